use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::DynamoDbTable;

declare_check! {
    /// ## What it checks
    /// Every DynamoDB table is encrypted with a customer-managed KMS key. DynamoDB always
    /// encrypts at rest, with one of three keys: an AWS owned key (the default; the table
    /// has no `SSEDescription`), the AWS managed key `aws/dynamodb` (`SSEType = KMS`), or a
    /// customer-managed key (`SSEType = KMS` with the customer's key). Only the last passes.
    /// The collector asks KMS who manages the key (DescribeKey's `KeyManager`; a key with an
    /// `alias/aws/...` alias is AWS managed). An `SSEDescription` whose status is not
    /// `ENABLED` (e.g. `UPDATING`, or `DISABLED` when the key became inaccessible) fails.
    /// The check always demands a customer key, whatever
    /// `params.require_customer_managed_keys` says: deciding who controls the key is its
    /// whole purpose, and encryption at rest itself is never off for DynamoDB.
    ///
    /// ## Why it matters
    /// With an AWS owned or AWS managed key, the account cannot restrict, audit or revoke
    /// the use of the key that protects the table's ePHI; a customer key adds a key policy,
    /// CloudTrail records of each use and crypto-shredding (encryption and decryption,
    /// 45 CFR 164.312(a)(2)(iv)).
    ///
    /// ## Evidence
    /// `sse_status`, `sse_type`, `kms_key_arn`, `kms_key_manager` and `table_status`.
    ///
    /// ## Remediation
    /// `aws dynamodb update-table --table-name <table> --sse-specification
    /// Enabled=true,SSEType=KMS,KMSMasterKeyId=<cmk-arn>` (the switch happens online), after
    /// allowing DynamoDB to use the key in its key policy.
    pub struct DynamoDbEncryptedCmk {
        id: "aws-dynamodb-encrypted-cmk",
        title: "DynamoDB tables are encrypted with a customer-managed KMS key",
        severity: Medium,
        provider: Aws,
        kinds: [AwsDynamoDbTable],
        controls: [EncryptionDecryption],
    }
}

impl Check for DynamoDbEncryptedCmk {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<DynamoDbTable>()
            .iter()
            .map(|t| {
                let key = t.kms_key_arn.as_deref().unwrap_or("(none)");
                let (ok, reason) = match (t.sse_status.as_deref(), t.kms_key_manager.as_deref()) {
                    (None, _) => (false, "The table is encrypted with an AWS owned key (no SSEDescription): the account cannot control or audit the key.".to_string()),
                    (Some("ENABLED"), Some("CUSTOMER")) => (true, format!("The table is encrypted with customer-managed KMS key {key}.")),
                    (Some("ENABLED"), Some("AWS")) => (false, format!("The table is encrypted with the AWS managed key {key} (aws/dynamodb), not a customer-managed key.")),
                    (Some("ENABLED"), _) => (false, format!("The table's encryption names no customer-managed key (key {key}).")),
                    (Some(s), _) => (false, format!("The table's server-side encryption is {s}, not ENABLED (key {key}).")),
                };
                ctx.verdict(ok, &t.resource)
                    .evidence("sse_status", &t.sse_status)
                    .evidence("sse_type", &t.sse_type)
                    .evidence("kms_key_arn", &t.kms_key_arn)
                    .evidence("kms_key_manager", &t.kms_key_manager)
                    .evidence("table_status", &t.table_status)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::dynamodb_table;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn kms(id: &str, status: &str, manager: &str) -> DynamoDbTable {
        let mut t = dynamodb_table(id);
        t.sse_status = Some(status.into());
        t.sse_type = Some("KMS".into());
        t.kms_key_arn = Some(format!("arn:aws:kms:us-east-1:111122223333:key/{id}"));
        t.kms_key_manager = Some(manager.into());
        t
    }

    #[test]
    fn only_an_enabled_customer_key_passes() {
        let mut inv = Inventory::new();
        inv.aws_dynamodb_tables = vec![
            kms("cmk", "ENABLED", "CUSTOMER"),
            kms("aws-managed", "ENABLED", "AWS"),
            kms("inaccessible", "DISABLED", "CUSTOMER"),
            dynamodb_table("aws-owned"),
        ];
        let f = run(&DynamoDbEncryptedCmk, &inv);
        assert_eq!(f.status_of("cmk"), Status::Pass);
        assert_eq!(f.status_of("aws-managed"), Status::Fail);
        assert!(f.of("aws-managed").reason.contains("AWS managed"));
        assert_eq!(f.status_of("inaccessible"), Status::Fail);
        assert_eq!(f.status_of("aws-owned"), Status::Fail);
        assert!(f.of("aws-owned").reason.contains("AWS owned"));
    }
}
