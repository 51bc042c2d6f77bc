//! Failed collections as findings: the engine (not each check) turns them into ERROR, so a
//! check cannot forget to.
//!
//! - A failed list call ([`CollectionError::resource`] is `None`) leaves the kind unknown in
//!   its scope: for every check reading that kind, one ERROR finding for the scope, and the
//!   check's PASS and NOT_APPLICABLE findings inside the scope are dropped (they may rest on
//!   data that is missing). FAIL findings stay: an observed failure is real.
//! - A failed detail read of one resource (one bucket's GetBucketPolicy) leaves that resource
//!   half read: it stays in the inventory, its unread fields `None`. Every check reading the
//!   kind reports ERROR for that resource instead of any verdict on it, FAIL included (a
//!   `None` policy reads as "no policy", so a FAIL may be false too); the other resources of
//!   the kind are judged normally. Whether a check needs the missing field is not declared,
//!   so every check of the kind is treated as needing it: never a PASS on a half-read
//!   resource. A check that reads the kind only beside its own (a database reading its
//!   parameter group) has its PASS and NOT_APPLICABLE findings of other kinds in that
//!   resource's scope dropped, as for a failed list call, since it may have judged them on
//!   the half-read resource.

use crate::check::{CheckMeta, Finding, FindingBuilder, Status};
use crate::model::{CollectionError, Inventory, ResourceRef};

/// The findings of one check after the inventory's failed collections are applied.
pub(super) fn apply(meta: &CheckMeta, inventory: &Inventory, found: Vec<Finding>) -> Vec<Finding> {
    let (per_resource, per_scope): (Vec<&CollectionError>, Vec<&CollectionError>) = inventory
        .errors
        .iter()
        .filter(|e| meta.kinds.contains(&e.kind))
        .partition(|e| e.resource.is_some());
    let mut out = found;
    out.retain(|f| {
        let r = &f.resource;
        if per_resource.iter().any(|e| e.is_about(r)) {
            return false;
        }
        f.status == Status::Fail
            || !per_scope
                .iter()
                .chain(per_resource.iter().filter(|e| e.kind != r.kind))
                .any(|e| e.covers(&r.account, &r.region))
    });
    out.extend(merged(&per_scope).iter().map(|e| scope_error(meta.id, e)));
    out.extend(
        merged(&per_resource)
            .iter()
            .map(|e| resource_error(meta.id, e, inventory)),
    );
    out
}

/// One error per (provider, account, region, kind, resource), reasons joined in order: a kind
/// listed per parent (recovery points per backup vault) can fail several times in one
/// region, one resource can fail several reads, and a report has one finding per check and
/// resource.
fn merged(errors: &[&CollectionError]) -> Vec<CollectionError> {
    let mut out: Vec<CollectionError> = Vec::new();
    for e in errors {
        let key = |m: &CollectionError| {
            (
                m.provider,
                m.account.clone(),
                m.region.clone(),
                m.kind,
                m.resource.clone(),
            )
        };
        match out.iter_mut().find(|m| key(m) == key(e)) {
            Some(m) if !m.reason.split("; ").any(|r| r == e.reason) => {
                m.reason = format!("{}; {}", m.reason, e.reason);
                m.operation = match (m.operation.take(), &e.operation) {
                    (Some(a), Some(b)) if a != *b => Some(format!("{a}, {b}")),
                    (a, b) => a.or(b.clone()),
                };
            }
            Some(_) => {}
            None => out.push((*e).clone()),
        }
    }
    out
}

fn scope_error(check_id: &str, e: &CollectionError) -> Finding {
    let region = e.region.as_deref().unwrap_or("all-regions");
    let resource = ResourceRef::new(
        e.kind,
        &e.account,
        region,
        e.subject_id(),
        format!("{} in {}/{}", e.kind.as_str(), e.account, region),
    );
    FindingBuilder::new(check_id, Status::Error, resource)
        .evidence("kind", e.kind.as_str())
        .evidence(e.provider.scope_noun(), &e.account)
        .evidence("region", region)
        .evidence("error", &e.reason)
        .reason(format!(
            "Could not collect {} in {} {} ({}): {}",
            e.kind.as_str(),
            e.provider.scope_noun(),
            e.account,
            region,
            e.reason
        ))
        .build()
        .expect("collection-error finding has id, evidence and reason")
}

/// ERROR for the one resource `e` names: its reference from the inventory (name, tags, so
/// waivers and data-classification scopes apply to it as to its verdicts), or, when the
/// collector could not place it (a bucket whose region is unknown), built from the error.
fn resource_error(check_id: &str, e: &CollectionError, inventory: &Inventory) -> Finding {
    let id = e.resource.as_deref().unwrap_or_default();
    let region = e.region.as_deref().unwrap_or("all-regions");
    let resource = inventory
        .resource_refs()
        .into_iter()
        .find(|r| e.is_about(r))
        .cloned()
        .unwrap_or_else(|| ResourceRef::new(e.kind, &e.account, region, id, id));
    let operation = e.operation.as_deref().unwrap_or("its detail");
    let reason = format!(
        "Could not read {operation} for {}: {}",
        resource.name, e.reason
    );
    FindingBuilder::new(check_id, Status::Error, resource)
        .evidence("kind", e.kind.as_str())
        .evidence("operation", operation)
        .evidence("error", &e.reason)
        .reason(reason)
        .build()
        .expect("collection-error finding has id, evidence and reason")
}

#[cfg(test)]
#[path = "collection_errors_tests.rs"]
mod tests;
