use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::PubsubTopic;

use crate::gcp::shared::not_public;

declare_check! {
    /// ## What it checks
    /// No binding of a Pub/Sub topic's IAM policy grants a role to `allUsers` or
    /// `allAuthenticatedUsers` (who could then publish to it, or attach their own
    /// subscription and read every message).
    ///
    /// ## Why it matters
    /// Messages on Janus HCP's topics carry ePHI. A public subscriber role lets anyone
    /// read them; a public publisher role lets anyone inject records (access control, 45
    /// CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `public_bindings` (role and public members of each offending binding).
    ///
    /// ## Remediation
    /// `gcloud pubsub topics remove-iam-policy-binding <topic> --member=allUsers
    /// --role=<role>` (and the same for `allAuthenticatedUsers`).
    pub struct PubsubTopicNotPublic {
        id: "gcp-pubsub-topic-not-public",
        title: "Pub/Sub topics are not public",
        severity: Critical,
        provider: Gcp,
        kinds: [GcpPubsubTopic],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for PubsubTopicNotPublic {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<PubsubTopic>()
            .iter()
            .map(|t| not_public(ctx, &t.resource, &t.iam_bindings, "The topic's IAM policy").build())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::iam_binding;
    use crate::testing::gcp_stores::pubsub_topic;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn public_members_fail() {
        let mut public = pubsub_topic("public");
        public.iam_bindings = vec![iam_binding("roles/pubsub.publisher", &["allUsers"])];
        let mut inv = Inventory::new();
        inv.gcp_pubsub_topics = vec![public, pubsub_topic("private")];
        let f = run(&PubsubTopicNotPublic, &inv);
        assert_eq!(f.status_of("public"), Status::Fail);
        assert!(f.of("public").reason.contains("roles/pubsub.publisher to allUsers"));
        assert_eq!(f.status_of("private"), Status::Pass);
    }
}
