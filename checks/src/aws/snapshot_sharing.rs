//! What the EBS and RDS snapshot-not-public checks share: the verdict on a snapshot's
//! sharing (public fails; shared with named accounts passes, with the accounts named).

use phiscan_core::check::{Ctx, FindingBuilder};
use phiscan_core::ResourceRef;

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
    let shared = shared_with_accounts.join(", ");
    let reason = match (public, shared.is_empty()) {
        (true, _) => public_reason.to_string(),
        (false, true) => "The snapshot is not public and not shared with other accounts.".to_string(),
        (false, false) => format!(
            "The snapshot is not public; it is shared with account(s) {shared}, which must be covered by an agreement."
        ),
    };
    ctx.verdict(!public, resource)
        .evidence("public", public)
        .evidence("shared_with_accounts", shared_with_accounts)
        .evidence("encrypted", encrypted)
        .reason(reason)
}
