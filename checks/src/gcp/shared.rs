//! Rules several GCP checks apply alike: who is "the public" in an IAM policy, and when a
//! data store must be encrypted with a key the customer controls. One place, so the
//! Spanner, Firestore, Pub/Sub and BigQuery checks cannot drift apart.

use phiscan_core::check::{Ctx, FindingBuilder};
use phiscan_core::model::gcp::IamBinding;
use phiscan_core::ResourceRef;
use serde_json::json;

/// The label whose value `protected` demands a customer-controlled key.
pub const CLASSIFICATION_LABEL: &str = "data-classification";

/// Whether a resource is labelled `data-classification=protected` (case-insensitive).
pub fn is_protected(r: &ResourceRef) -> bool {
    r.tags
        .get(CLASSIFICATION_LABEL)
        .is_some_and(|c| c.trim().eq_ignore_ascii_case("protected"))
}

/// `allUsers` (anyone on the internet) and `allAuthenticatedUsers` (anyone with a Google
/// account).
fn is_public_member(member: &str) -> bool {
    matches!(member.trim(), "allUsers" | "allAuthenticatedUsers")
}

/// The bindings that grant a role to the public: (role, its public members), in policy
/// order.
pub fn public_grants(bindings: &[IamBinding]) -> Vec<(&str, Vec<&str>)> {
    bindings
        .iter()
        .filter_map(|b| {
            let members: Vec<&str> = b
                .members
                .iter()
                .map(String::as_str)
                .filter(|m| is_public_member(m))
                .collect();
            (!members.is_empty()).then_some((b.role.as_str(), members))
        })
        .collect()
}

/// `roles/x to allUsers and allAuthenticatedUsers; roles/y to allUsers`.
pub fn describe_grants(grants: &[(&str, Vec<&str>)]) -> String {
    grants
        .iter()
        .map(|(role, m)| format!("{role} to {}", m.join(" and ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The `public_bindings` evidence: `[{"role", "members"}]`.
pub fn grants_evidence(grants: &[(&str, Vec<&str>)]) -> Vec<serde_json::Value> {
    grants
        .iter()
        .map(|(role, m)| json!({"role": role, "members": m}))
        .collect()
}

/// PASS when no binding grants a role to the public, FAIL naming each grant otherwise;
/// `what` names the resource in the reason ("The database's IAM policy").
pub fn not_public(
    ctx: &Ctx,
    r: &ResourceRef,
    bindings: &[IamBinding],
    what: &str,
) -> FindingBuilder {
    let public = public_grants(bindings);
    let reason = if public.is_empty() {
        format!("{what} grants nothing to allUsers or allAuthenticatedUsers.")
    } else {
        format!("{what} grants {}.", describe_grants(&public))
    };
    ctx.verdict(public.is_empty(), r)
        .evidence("public_bindings", grants_evidence(&public))
        .reason(reason)
}

/// The customer-managed-key verdict of a data store: a Cloud KMS key PASSes; Google-managed
/// keys FAIL only where a customer key is demanded (`require_customer_managed_keys`, or the
/// resource labelled `data-classification=protected`), as `gcp-compute-disk-cmek` does.
/// `what` names the store in the reason ("The database").
pub fn cmek(ctx: &Ctx, r: &ResourceRef, key: Option<&str>, what: &str) -> FindingBuilder {
    let required = ctx.config.params.require_customer_managed_keys;
    let demanded_by = if required {
        Some("params.require_customer_managed_keys is true")
    } else if is_protected(r) {
        Some("it is labelled data-classification=protected")
    } else {
        None
    };
    let key = key.map(str::trim).filter(|k| !k.is_empty());
    let (ok, reason) = match (key, demanded_by) {
        (Some(k), _) => (
            true,
            format!("{what} is encrypted with customer-managed Cloud KMS key {k}."),
        ),
        (None, Some(why)) => (
            false,
            format!("{what} is encrypted with Google-managed keys, but a customer-managed key is required because {why}."),
        ),
        (None, None) => (
            true,
            format!("{what} is encrypted with Google-managed keys, and neither the config nor a data-classification=protected label demands a customer-managed key."),
        ),
    };
    ctx.verdict(ok, r)
        .evidence(
            "key_type",
            if key.is_some() {
                "cmek"
            } else {
                "google-managed"
            },
        )
        .evidence("kms_key_name", key)
        .evidence("data_classification", r.tags.get(CLASSIFICATION_LABEL))
        .evidence("require_customer_managed_keys", required)
        .evidence("customer_key_demanded", demanded_by.is_some())
        .reason(reason)
}

/// PASS when a reported setting is `wanted`, FAIL otherwise (another value, or none
/// reported: an unreported setting is not evidence of the safe one). The setting is evidence
/// under `key`; `off` is the reason's opening ("Point-in-time recovery is not enabled").
pub fn setting_is(
    ctx: &Ctx,
    r: &ResourceRef,
    key: &'static str,
    value: Option<&str>,
    wanted: &str,
    on: &str,
    off: &str,
) -> FindingBuilder {
    let ok = value == Some(wanted);
    let reason = if ok {
        on.to_string()
    } else {
        format!("{off} ({key} is {}).", value.unwrap_or("not reported"))
    };
    ctx.verdict(ok, r).evidence(key, value).reason(reason)
}
