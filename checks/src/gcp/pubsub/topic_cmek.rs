use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::PubsubTopic;

use crate::gcp::shared::cmek;

declare_check! {
    /// ## What it checks
    /// Reports how the messages of every Pub/Sub topic are encrypted at rest: `cmek`
    /// (`kmsKeyName`) or `google-managed`. Google-managed keys FAIL only where a customer
    /// key is demanded: `params.require_customer_managed_keys`, or the topic labelled
    /// `data-classification=protected`. Every other topic PASSes with its key type as
    /// evidence.
    ///
    /// ## Why it matters
    /// Janus HCP moves ePHI between services through Pub/Sub; retained and undelivered
    /// messages are ePHI at rest (encryption and decryption, 45 CFR 164.312(a)(2)(iv)).
    ///
    /// ## Evidence
    /// `key_type`, `kms_key_name`, `data_classification`, `require_customer_managed_keys`
    /// and `customer_key_demanded`.
    ///
    /// ## Remediation
    /// `gcloud pubsub topics update <topic> --topic-encryption-key=projects/<p>/locations/<loc>/keyRings/<ring>/cryptoKeys/<key>`
    /// after granting the Pub/Sub service agent `roles/cloudkms.cryptoKeyEncrypterDecrypter`.
    pub struct PubsubTopicCmek {
        id: "gcp-pubsub-topic-cmek",
        title: "Pub/Sub topics holding protected data use customer-managed keys",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpPubsubTopic],
        controls: [EncryptionDecryption],
    }
}

impl Check for PubsubTopicCmek {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<PubsubTopic>()
            .iter()
            .map(|t| cmek(ctx, &t.resource, t.kms_key_name.as_deref(), "The topic").build())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gcp::shared::CLASSIFICATION_LABEL;
    use crate::testing::gcp_stores::pubsub_topic;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn protected_topics_need_a_customer_key() {
        let mut protected = pubsub_topic("google-protected");
        protected.kms_key_name = None;
        protected.resource = protected.resource.with_tag(CLASSIFICATION_LABEL, "protected");
        let mut plain = pubsub_topic("google-plain");
        plain.kms_key_name = None;
        let mut inv = Inventory::new();
        inv.gcp_pubsub_topics = vec![pubsub_topic("cmek"), protected, plain];
        let f = run(&PubsubTopicCmek, &inv);
        assert_eq!(f.status_of("cmek"), Status::Pass);
        assert_eq!(f.status_of("google-protected"), Status::Fail);
        assert_eq!(f.status_of("google-plain"), Status::Pass);
    }
}
