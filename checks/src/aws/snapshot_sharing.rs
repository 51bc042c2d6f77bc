//! What the EBS and RDS snapshot-not-public checks share: the verdict on a snapshot's
//! sharing. Public fails; each account it is shared with must be on the `[[third_parties]]`
//! list with its access not ended (a shared snapshot is read access: anyone it is shared
//! with can copy or restore it). The organization's own other accounts (backup, DR) are
//! listed there too: judging by the accounts a scan happens to cover would give a sharded
//! scan other verdicts than a whole one.

use phiscan_core::check::{Ctx, FindingBuilder};
use phiscan_core::config::External;
use phiscan_core::ResourceRef;
use serde_json::json;

/// `public_reason` says how the snapshot is public in the service's own terms. The caller
/// adds its own evidence and builds.
pub(crate) fn snapshot_sharing(
    ctx: &Ctx,
    resource: &ResourceRef,
    public: bool,
    shared_with_accounts: &[String],
    encrypted: bool,
    public_reason: &str,
) -> FindingBuilder {
    let today = ctx.now.date_naive();
    let judged: Vec<(&str, bool, String)> = shared_with_accounts
        .iter()
        .map(|a| {
            if a == &resource.account {
                (a.as_str(), true, "the snapshot's own account".to_string())
            } else {
                let adm = ctx
                    .config
                    .partners()
                    .admit(External::AwsAccount(a), false, today);
                (a.as_str(), adm.is_allowed(), adm.explain())
            }
        })
        .collect();
    let outside: Vec<&str> = judged.iter().filter(|j| !j.1).map(|j| j.0).collect();
    let shared = shared_with_accounts.join(", ");
    let reason = if public {
        public_reason.to_string()
    } else if shared.is_empty() {
        "The snapshot is not public and not shared with other accounts.".to_string()
    } else if outside.is_empty() {
        format!("The snapshot is not public; it is shared with account(s) {shared}, each a current partner.")
    } else {
        format!(
            "The snapshot is shared with account(s) {} outside the partner list ([[third_parties]]), or whose access ended.",
            outside.join(", ")
        )
    };
    ctx.verdict(!public && outside.is_empty(), resource)
        .evidence("public", public)
        .evidence("shared_with_accounts", shared_with_accounts)
        .evidence(
            "sharing",
            judged
                .iter()
                .map(|(a, ok, why)| json!({"account": a, "allowed": ok, "why": why}))
                .collect::<Vec<_>>(),
        )
        .evidence("encrypted", encrypted)
        .reason(reason)
}
