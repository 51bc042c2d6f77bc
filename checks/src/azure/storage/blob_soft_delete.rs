use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::BlobService;

declare_check! {
    /// ## What it checks
    /// Every storage account's blob service keeps deleted blobs: soft delete
    /// (`deleteRetentionPolicy.enabled`) is on, for `deleteRetentionPolicy.days` days.
    /// `false` and not reported (off is the default of accounts created by the API) FAIL.
    ///
    /// ## Why it matters
    /// A blob deleted by mistake, by a faulty job or by ransomware is otherwise gone: the
    /// data backup plan (45 CFR 164.308(a)(7)(ii)(A)) and protection of ePHI from improper
    /// destruction (integrity, 164.312(c)(1)).
    ///
    /// ## Evidence
    /// `delete_retention_enabled`, `delete_retention_days`.
    ///
    /// ## Remediation
    /// `az storage account blob-service-properties update --account-name <account> -g <rg>
    /// --enable-delete-retention true --delete-retention-days 14`.
    pub struct StorageBlobSoftDelete {
        id: "azure-storage-blob-soft-delete",
        title: "Storage accounts keep deleted blobs (soft delete)",
        severity: Medium,
        provider: Azure,
        kinds: [AzureBlobService],
        controls: [DataBackupPlan, Integrity],
    }
}

/// The verdict on a soft delete policy (`policy`, keeping deleted `what`): on passes, off
/// and unreported fail. Returns (passes, reason); shared with container soft delete.
pub(super) fn soft_delete_verdict(
    what: &str,
    policy: &str,
    enabled: Option<bool>,
    days: Option<i32>,
) -> (bool, String) {
    match (enabled, days) {
        (Some(true), Some(d)) => (true, format!("Soft delete keeps deleted {what} for {d} days.")),
        (Some(true), None) => (true, format!("Soft delete of {what} is on.")),
        (Some(false), _) => (false, format!("Soft delete of {what} is off ({policy}.enabled = false): deleted {what} cannot be recovered.")),
        (None, _) => (false, format!("ARM did not report {policy}; accounts that never set it keep no deleted {what}.")),
    }
}

impl Check for StorageBlobSoftDelete {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<BlobService>()
            .iter()
            .map(|b| {
                let (ok, reason) = soft_delete_verdict(
                    "blobs",
                    "deleteRetentionPolicy",
                    b.delete_retention_enabled,
                    b.delete_retention_days,
                );
                ctx.verdict(ok, &b.resource)
                    .evidence("delete_retention_enabled", b.delete_retention_enabled)
                    .evidence("delete_retention_days", b.delete_retention_days)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::blob_service;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_blob_services = [("on", Some(true)), ("off", Some(false)), ("silent", None)]
            .into_iter()
            .map(|(id, v)| BlobService {
                delete_retention_enabled: v,
                ..blob_service(id)
            })
            .collect();
        let f = run(&StorageBlobSoftDelete, &inv);
        f.assert_statuses(&[("on", Status::Pass), ("off", Status::Fail), ("silent", Status::Fail)]);
    }
}
