use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::BlobService;

use crate::azure::support::flag_verdict;

declare_check! {
    /// ## What it checks
    /// Every storage account's blob service keeps previous versions of blobs:
    /// `isVersioningEnabled` is `true`. `false` and not reported (the default is off) FAIL.
    ///
    /// ## Why it matters
    /// Soft delete does not cover overwrites: an upload, a faulty job or ransomware that
    /// rewrites a blob destroys its content unless versioning kept the previous one. The
    /// data backup plan (45 CFR 164.308(a)(7)(ii)(A)) and protection of ePHI from improper
    /// alteration (integrity, 164.312(c)(1)).
    ///
    /// ## Evidence
    /// `versioning_enabled` (null when not reported).
    ///
    /// ## Remediation
    /// `az storage account blob-service-properties update --account-name <account> -g <rg>
    /// --enable-versioning true`, with a lifecycle rule that deletes old versions.
    pub struct StorageBlobVersioning {
        id: "azure-storage-blob-versioning",
        title: "Storage accounts keep previous blob versions",
        severity: Medium,
        provider: Azure,
        kinds: [AzureBlobService],
        controls: [DataBackupPlan, Integrity],
    }
}

impl Check for StorageBlobVersioning {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<BlobService>()
            .iter()
            .map(|b| {
                let (ok, reason) = flag_verdict(
                    b.versioning_enabled,
                    true,
                    [
                        "Blob versioning is on: an overwritten blob keeps its previous version.",
                        "Blob versioning is off: an overwrite destroys the previous content.",
                        "ARM did not report isVersioningEnabled; accounts that never set it keep no versions.",
                    ],
                );
                ctx.verdict(ok, &b.resource)
                    .evidence("versioning_enabled", b.versioning_enabled)
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
                versioning_enabled: v,
                ..blob_service(id)
            })
            .collect();
        let f = run(&StorageBlobVersioning, &inv);
        f.assert_statuses(&[("on", Status::Pass), ("off", Status::Fail), ("silent", Status::Fail)]);
    }
}
