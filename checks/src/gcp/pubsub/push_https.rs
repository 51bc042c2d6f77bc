use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::PubsubSubscription;

declare_check! {
    /// ## What it checks
    /// Every push subscription delivers to an `https://` endpoint
    /// (`pushConfig.pushEndpoint`). A pull subscription (no push endpoint) is
    /// NOT_APPLICABLE: its messages leave Google only over the Pub/Sub API, which is TLS.
    ///
    /// ## Why it matters
    /// A push subscription sends every message, ePHI included, to its endpoint as an HTTP
    /// POST; `http://` sends it in clear text over the network (transmission security, 45
    /// CFR 164.312(e)(1); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `push_endpoint` and `topic`.
    ///
    /// ## Remediation
    /// `gcloud pubsub subscriptions modify-push-config <sub> --push-endpoint=https://<host>/<path>`.
    pub struct PubsubPushHttps {
        id: "gcp-pubsub-push-https",
        title: "Pub/Sub push subscriptions deliver over https",
        severity: High,
        provider: Gcp,
        kinds: [GcpPubsubSubscription],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for PubsubPushHttps {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<PubsubSubscription>()
            .iter()
            .map(|s| {
                let endpoint = s.push_endpoint.as_deref().map(str::trim).filter(|e| !e.is_empty());
                let builder = match endpoint {
                    None => ctx.not_applicable(&s.resource).reason("A pull subscription: nothing is pushed."),
                    Some(e) if e.to_ascii_lowercase().starts_with("https://") => {
                        ctx.pass(&s.resource).reason(format!("Messages are pushed over https to {e}."))
                    }
                    Some(e) => ctx.fail(&s.resource).reason(format!("Messages are pushed to {e}, which is not an https endpoint.")),
                };
                builder
                    .evidence("push_endpoint", endpoint)
                    .evidence("topic", &s.topic)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp_stores::pubsub_subscription;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn push_endpoints_must_be_https() {
        let mut http = pubsub_subscription("http");
        http.push_endpoint = Some("http://hooks.example.org/pubsub".into());
        let mut pull = pubsub_subscription("pull");
        pull.push_endpoint = None;
        let mut inv = Inventory::new();
        inv.gcp_pubsub_subscriptions = vec![pubsub_subscription("https"), http, pull];
        let f = run(&PubsubPushHttps, &inv);
        assert_eq!(f.status_of("https"), Status::Pass);
        assert_eq!(f.status_of("http"), Status::Fail);
        assert!(f.of("http").reason.contains("http://hooks.example.org"));
        assert_eq!(f.status_of("pull"), Status::NotApplicable);
    }
}
