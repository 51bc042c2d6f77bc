use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::BlobService;

use super::blob_soft_delete::soft_delete_verdict;

declare_check! {
    /// ## What it checks
    /// Every storage account's blob service keeps deleted containers: container soft delete
    /// (`containerDeleteRetentionPolicy.enabled`) is on. `false` and not reported FAIL. Blob
    /// soft delete (`azure-storage-blob-soft-delete`) does not cover this: deleting a
    /// container deletes every blob in it at once, beyond blob soft delete's reach.
    ///
    /// ## Why it matters
    /// One mistaken `az storage container delete` removes a whole data set of ePHI: the data
    /// backup plan (45 CFR 164.308(a)(7)(ii)(A)) and protection from improper destruction
    /// (integrity, 164.312(c)(1)).
    ///
    /// ## Evidence
    /// `container_delete_retention_enabled`, `container_delete_retention_days`.
    ///
    /// ## Remediation
    /// `az storage account blob-service-properties update --account-name <account> -g <rg>
    /// --enable-container-delete-retention true --container-delete-retention-days 14`.
    pub struct StorageContainerSoftDelete {
        id: "azure-storage-container-soft-delete",
        title: "Storage accounts keep deleted containers (soft delete)",
        severity: Medium,
        provider: Azure,
        kinds: [AzureBlobService],
        controls: [DataBackupPlan, Integrity],
    }
}

impl Check for StorageContainerSoftDelete {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<BlobService>()
            .iter()
            .map(|b| {
                let on = b.container_delete_retention_enabled;
                let (ok, reason) = soft_delete_verdict(
                    "containers (with every blob in them)",
                    "containerDeleteRetentionPolicy",
                    on,
                    b.container_delete_retention_days,
                );
                ctx.verdict(ok, &b.resource)
                    .evidence("container_delete_retention_enabled", on)
                    .evidence("container_delete_retention_days", b.container_delete_retention_days)
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
                container_delete_retention_enabled: v,
                ..blob_service(id)
            })
            .collect();
        let f = run(&StorageContainerSoftDelete, &inv);
        f.assert_statuses(&[("on", Status::Pass), ("off", Status::Fail), ("silent", Status::Fail)]);
    }
}
