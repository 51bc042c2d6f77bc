use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::OpenSearchDomain;

declare_check! {
    /// ## What it checks
    /// Every OpenSearch Service domain has `EncryptionAtRestOptions.Enabled = true`; a
    /// domain whose answer does not say is an ERROR.
    ///
    /// ## Why it matters
    /// A search index holds the documents it makes searchable (clinical notes, patient
    /// directories, logs full of identifiers), plus swap files and automated snapshots. The
    /// policies promise that data at rest is encrypted (encryption and decryption,
    /// 45 CFR 164.312(a)(2)(iv)).
    ///
    /// ## Evidence
    /// `encryption_at_rest`, `kms_key_id` and `engine_version`.
    ///
    /// ## Remediation
    /// On OpenSearch 1.x+ / Elasticsearch 6.7+: `aws opensearch update-domain-config
    /// --domain-name <name> --encryption-at-rest-options Enabled=true,KmsKeyId=<key-arn>`
    /// (a blue/green deployment); older versions: upgrade first.
    pub struct OpenSearchEncryptedAtRest {
        id: "aws-opensearch-encrypted-at-rest",
        title: "OpenSearch domains are encrypted at rest",
        severity: High,
        provider: Aws,
        kinds: [AwsOpenSearchDomain],
        controls: [EncryptionDecryption],
    }
}

impl Check for OpenSearchEncryptedAtRest {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<OpenSearchDomain>()
            .iter()
            .map(|d| {
                let b = match d.encryption_at_rest {
                    Some(true) => ctx.pass(&d.resource).reason("Encryption at rest is enabled."),
                    Some(false) => ctx.fail(&d.resource).reason("Encryption at rest is disabled: indices, swap and snapshots are stored in plaintext."),
                    None => ctx.error(&d.resource).reason("DescribeDomains did not report encryption at rest."),
                };
                b.evidence("encryption_at_rest", d.encryption_at_rest)
                    .evidence("kms_key_id", &d.kms_key_id)
                    .evidence("engine_version", &d.engine_version)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::opensearch_domain;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn enabled_passes_disabled_fails() {
        let mut plain = opensearch_domain("plain");
        plain.encryption_at_rest = Some(false);
        let mut unknown = opensearch_domain("unknown");
        unknown.encryption_at_rest = None;
        let mut inv = Inventory::new();
        inv.aws_opensearch_domains = vec![opensearch_domain("enc"), plain, unknown];
        let f = run(&OpenSearchEncryptedAtRest, &inv);
        assert_eq!(f.status_of("enc"), Status::Pass);
        assert_eq!(f.status_of("plain"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
