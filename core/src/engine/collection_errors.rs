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

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::check::{CheckMeta, Finding, FindingBuilder, Status};
use crate::model::{CollectionError, Inventory, Provider, ResourceKind, ResourceRef};

/// What a failed detail read is about: (kind, provider, account, resource id).
type About<'a> = (ResourceKind, Provider, &'a str, &'a str);

fn about_ref(r: &ResourceRef) -> About<'_> {
    (r.kind, r.provider, &r.account, &r.id)
}

/// The findings of one check after the inventory's failed collections are applied.
///
/// Errors are looked up by account and by resource, not scanned per finding: an estate of a
/// million resources has thousands of failed reads, and each check has thousands of findings.
pub(super) fn apply(meta: &CheckMeta, inventory: &Inventory, found: Vec<Finding>) -> Vec<Finding> {
    let (per_resource, per_scope): (Vec<&CollectionError>, Vec<&CollectionError>) = inventory
        .errors
        .iter()
        .filter(|e| meta.kinds.contains(&e.kind))
        .partition(|e| e.resource.is_some());
    if per_resource.is_empty() && per_scope.is_empty() {
        return found;
    }
    let about: HashSet<About<'_>> = per_resource
        .iter()
        .filter_map(|e| {
            Some((
                e.kind,
                e.provider,
                e.account.as_str(),
                e.resource.as_deref()?,
            ))
        })
        .collect();
    // The errors that may withhold a PASS or NOT_APPLICABLE, by account.
    let mut by_account: HashMap<&str, Vec<&CollectionError>> = HashMap::new();
    for e in per_scope.iter().chain(&per_resource) {
        by_account.entry(e.account.as_str()).or_default().push(e);
    }
    let mut out = found;
    out.retain(|f| {
        let r = &f.resource;
        if about.contains(&about_ref(r)) {
            return false;
        }
        f.status == Status::Fail
            || !by_account.get(r.account.as_str()).is_some_and(|errors| {
                errors
                    .iter()
                    .filter(|e| e.resource.is_none() || e.kind != r.kind)
                    .any(|e| e.covers(&r.account, &r.region))
            })
    });
    out.extend(merged(&per_scope).iter().map(|e| scope_error(meta.id, e)));
    let per_resource = merged(&per_resource);
    if !per_resource.is_empty() {
        let kinds: BTreeSet<ResourceKind> = per_resource.iter().map(|e| e.kind).collect();
        // The first reference of each resource, as a scan of the inventory would find it.
        let mut refs: HashMap<About<'_>, &ResourceRef> = HashMap::new();
        for kind in kinds {
            for r in inventory.refs_of(kind) {
                refs.entry(about_ref(r)).or_insert(r);
            }
        }
        out.extend(
            per_resource
                .iter()
                .map(|e| resource_error(meta.id, e, &refs)),
        );
    }
    out
}

/// One error per (provider, account, region, kind, resource), reasons joined in order: a kind
/// listed per parent (recovery points per backup vault) can fail several times in one
/// region, one resource can fail several reads, and a report has one finding per check and
/// resource.
fn merged(errors: &[&CollectionError]) -> Vec<CollectionError> {
    type Key<'a> = (
        Provider,
        &'a str,
        Option<&'a str>,
        ResourceKind,
        Option<&'a str>,
    );
    let mut out: Vec<CollectionError> = Vec::new();
    let mut at: HashMap<Key<'_>, usize> = HashMap::new();
    for e in errors {
        let key = (
            e.provider,
            e.account.as_str(),
            e.region.as_deref(),
            e.kind,
            e.resource.as_deref(),
        );
        match at.get(&key).map(|&i| &mut out[i]) {
            Some(m) if !m.reason.split("; ").any(|r| r == e.reason) => {
                m.reason = format!("{}; {}", m.reason, e.reason);
                m.operation = match (m.operation.take(), &e.operation) {
                    (Some(a), Some(b)) if a != *b => Some(format!("{a}, {b}")),
                    (a, b) => a.or(b.clone()),
                };
            }
            Some(_) => {}
            None => {
                at.insert(key, out.len());
                out.push((*e).clone());
            }
        }
    }
    out
}

fn scope_error(check_id: &'static str, e: &CollectionError) -> Finding {
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
fn resource_error(
    check_id: &'static str,
    e: &CollectionError,
    refs: &HashMap<About<'_>, &ResourceRef>,
) -> Finding {
    let id = e.resource.as_deref().unwrap_or_default();
    let region = e.region.as_deref().unwrap_or("all-regions");
    let resource = refs
        .get(&(e.kind, e.provider, e.account.as_str(), id))
        .map(|r| (*r).clone())
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
