use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::BigqueryDataset;

use crate::gcp::shared::cmek;

declare_check! {
    /// ## What it checks
    /// Reports the default key of every BigQuery dataset: `cmek`
    /// (`defaultEncryptionConfiguration.kmsKeyName`, used for every new table) or
    /// `google-managed`. Google-managed keys FAIL only where a customer key is demanded:
    /// `params.require_customer_managed_keys`, or the dataset labelled
    /// `data-classification=protected`. Tables created with their own key are not read.
    ///
    /// ## Why it matters
    /// Analytics copies of clinical data are ePHI at rest too (encryption and decryption,
    /// 45 CFR 164.312(a)(2)(iv)); a default key makes every new table use it without each
    /// job having to ask.
    ///
    /// ## Evidence
    /// `key_type`, `kms_key_name`, `data_classification`, `require_customer_managed_keys`
    /// and `customer_key_demanded`.
    ///
    /// ## Remediation
    /// `bq update --default_kms_key=projects/<p>/locations/<loc>/keyRings/<ring>/cryptoKeys/<key> <project>:<dataset>`,
    /// then rewrite existing tables with that key (`bq cp -f --destination_kms_key=...`).
    pub struct BigqueryDatasetCmek {
        id: "gcp-bigquery-dataset-cmek",
        title: "BigQuery datasets holding protected data use customer-managed keys",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpBigqueryDataset],
        controls: [EncryptionDecryption],
    }
}

impl Check for BigqueryDatasetCmek {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<BigqueryDataset>()
            .iter()
            .map(|d| cmek(ctx, &d.resource, d.kms_key_name.as_deref(), "The dataset's default key").build())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gcp::shared::CLASSIFICATION_LABEL;
    use crate::testing::gcp_stores::bigquery_dataset;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn protected_datasets_need_a_customer_key() {
        let mut protected = bigquery_dataset("google-protected");
        protected.kms_key_name = None;
        protected.resource = protected.resource.with_tag(CLASSIFICATION_LABEL, "protected");
        let mut plain = bigquery_dataset("google-plain");
        plain.kms_key_name = None;
        let mut inv = Inventory::new();
        inv.gcp_bigquery_datasets = vec![bigquery_dataset("cmek"), protected, plain];
        let f = run(&BigqueryDatasetCmek, &inv);
        assert_eq!(f.status_of("cmek"), Status::Pass);
        assert_eq!(f.status_of("google-protected"), Status::Fail);
        assert_eq!(f.status_of("google-plain"), Status::Pass);
    }
}
