use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::S3Bucket;

declare_check! {
    /// ## What it checks
    /// Every S3 bucket has an explicit default-encryption configuration
    /// (`GetBucketEncryption`) with a known algorithm: `AES256` (SSE-S3), `aws:kms` or
    /// `aws:kms:dsse`. A bucket without one fails: AWS has applied SSE-S3 to new objects in
    /// every bucket since January 2023, but a bucket without explicit configuration proves
    /// nothing about objects written before then, and the auditor sees no configured control.
    /// With `params.require_customer_managed_keys`, `AES256` fails, and so does `aws:kms`
    /// without a KMS key id or with `alias/aws/s3` (both mean the AWS-managed key);
    /// `aws:kms` with a named key passes.
    ///
    /// ## Why it matters
    /// Buckets hold ePHI uploads, exports and backups. The policies promise that data at
    /// rest is encrypted (encryption and decryption, 45 CFR 164.312(a)(2)(iv)); a
    /// customer-managed key adds a separate, logged permission to every decryption.
    ///
    /// ## Evidence
    /// `sse_algorithm`, `kms_master_key_id`, `bucket_key_enabled`,
    /// `require_customer_managed_keys`, and `note` when the bucket has no explicit
    /// configuration.
    ///
    /// ## Remediation
    /// `aws s3api put-bucket-encryption --bucket <bucket> --server-side-encryption-configuration
    /// '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"<key-arn>"},"BucketKeyEnabled":true}]}'`.
    /// Objects written before the change keep their old encryption: re-encrypt them with
    /// an in-place copy (`aws s3 cp s3://<bucket>/ s3://<bucket>/ --recursive --sse aws:kms
    /// --sse-kms-key-id <key-arn>`) or S3 Batch Operations.
    pub struct S3BucketDefaultEncryption {
        id: "aws-s3-bucket-default-encryption",
        title: "S3 buckets have explicit default encryption",
        severity: High,
        provider: Aws,
        kinds: [AwsS3Bucket],
        controls: [EncryptionDecryption],
    }
}

const NO_CONFIG_NOTE: &str = "AWS applies SSE-S3 to new objects in every bucket since January 2023, but this bucket has no explicit default-encryption configuration.";

impl Check for S3BucketDefaultEncryption {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let require_cmk = ctx.config.params.require_customer_managed_keys;
        ctx.resources::<S3Bucket>()
            .iter()
            .map(|b| {
                let Some(enc) = &b.default_encryption else {
                    return ctx
                        .fail(&b.resource)
                        .evidence("sse_algorithm", None::<String>)
                        .evidence("require_customer_managed_keys", require_cmk)
                        .evidence("note", NO_CONFIG_NOTE)
                        .reason("The bucket has no explicit default-encryption configuration.")
                        .build();
                };
                let alg = enc.sse_algorithm.as_str();
                let named_key = enc
                    .kms_master_key_id
                    .as_deref()
                    .filter(|k| !k.is_empty() && *k != "alias/aws/s3");
                let (ok, reason) = match alg {
                    "AES256" if require_cmk => (false, "Default encryption is SSE-S3 (AES256) with an S3-managed key, but customer-managed keys are required.".to_string()),
                    "AES256" => (true, "Default encryption is SSE-S3 (AES256).".to_string()),
                    "aws:kms" | "aws:kms:dsse" => match named_key {
                        Some(k) => (true, format!("Default encryption is {alg} with KMS key {k}.")),
                        None if require_cmk => (false, format!("Default encryption is {alg} with the AWS-managed key aws/s3, but customer-managed keys are required.")),
                        None => (true, format!("Default encryption is {alg} with the AWS-managed key aws/s3.")),
                    },
                    other => (false, format!("Default encryption names an unrecognized algorithm {other:?}.")),
                };
                ctx.verdict(ok, &b.resource)
                    .evidence("sse_algorithm", alg)
                    .evidence("kms_master_key_id", &enc.kms_master_key_id)
                    .evidence("bucket_key_enabled", enc.bucket_key_enabled)
                    .evidence("require_customer_managed_keys", require_cmk)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::s3_bucket;
    use crate::testing::{run, run_with};
    use phiscan_core::model::aws::S3DefaultEncryption;
    use phiscan_core::{Config, Inventory, Status};

    fn encrypted(name: &str, alg: &str, key: Option<&str>) -> S3Bucket {
        let mut b = s3_bucket(name);
        b.default_encryption = Some(S3DefaultEncryption {
            sse_algorithm: alg.into(),
            kms_master_key_id: key.map(Into::into),
            bucket_key_enabled: Some(true),
        });
        b
    }

    fn inventory() -> Inventory {
        let mut inv = Inventory::new();
        inv.aws_s3_buckets = vec![
            s3_bucket("none"),
            encrypted("sse-s3", "AES256", None),
            encrypted("kms-cmk", "aws:kms", Some("arn:aws:kms:us-east-1:1:key/k")),
            encrypted("kms-aws", "aws:kms", None),
            encrypted("odd", "ROT13", None),
        ];
        inv
    }

    #[test]
    fn defaults_accept_any_real_encryption() {
        let f = run(&S3BucketDefaultEncryption, &inventory());
        assert_eq!(f.status_of("arn:aws:s3:::none"), Status::Fail);
        assert!(f
            .evidence_of("arn:aws:s3:::none", "note")
            .as_str()
            .unwrap()
            .contains("January 2023"));
        assert_eq!(f.status_of("arn:aws:s3:::sse-s3"), Status::Pass);
        assert_eq!(f.status_of("arn:aws:s3:::kms-cmk"), Status::Pass);
        assert_eq!(f.status_of("arn:aws:s3:::kms-aws"), Status::Pass);
        assert_eq!(f.status_of("arn:aws:s3:::odd"), Status::Fail);
    }

    #[test]
    fn customer_managed_keys_when_required() {
        let mut config = Config::default();
        config.params.require_customer_managed_keys = true;
        let f = run_with(&S3BucketDefaultEncryption, &inventory(), &config);
        assert_eq!(f.status_of("arn:aws:s3:::sse-s3"), Status::Fail);
        assert_eq!(f.status_of("arn:aws:s3:::kms-cmk"), Status::Pass);
        assert_eq!(f.status_of("arn:aws:s3:::kms-aws"), Status::Fail);
        assert_eq!(f.status_of("arn:aws:s3:::none"), Status::Fail);
    }
}
