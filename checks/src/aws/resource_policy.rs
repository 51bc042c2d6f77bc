//! The verdict the resource-policy checks share (SQS queue policies, SNS topic policies,
//! OpenSearch domain access policies): FAIL when an Allow grants everyone without a
//! condition, PASS otherwise, with the conditioned wildcard statements in the evidence so a
//! reviewer can judge them. "Everyone" is read once, by [`policy_doc::everyone_allowed`].

use phiscan_core::check::{Ctx, FindingBuilder};
use phiscan_core::ResourceRef;
use serde_json::Value;

use crate::aws::policy_doc;

/// `noun` names the policy in reasons ("queue policy"). `None`: the resource has no policy,
/// which grants nothing beyond its own account. The caller adds its evidence and builds.
pub(crate) fn not_public(
    ctx: &Ctx,
    resource: &ResourceRef,
    policy: Option<&Value>,
    noun: &str,
) -> FindingBuilder {
    let Some(doc) = policy else {
        return ctx
            .pass(resource)
            .evidence("policy_present", false)
            .reason(format!(
                "There is no {noun}: only the owning account's principals can be granted access."
            ));
    };
    let (open, conditioned) = policy_doc::everyone_allowed(doc);
    let reason = if !open.is_empty() {
        format!(
            "The {noun} allows everyone without a condition in {} statement(s).",
            open.len()
        )
    } else if !conditioned.is_empty() {
        format!(
            "The {noun} names everyone only under conditions ({} statement(s)); see the conditions in the evidence.",
            conditioned.len()
        )
    } else {
        format!("No statement of the {noun} allows everyone.")
    };
    ctx.verdict(open.is_empty(), resource)
        .evidence("policy_present", true)
        .evidence("public_statements", open)
        .evidence("conditioned_wildcard_statements", conditioned)
        .reason(reason)
}
