use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::CloudFrontDistribution;

declare_check! {
    /// ## What it checks
    /// Every cache behavior of every CloudFront distribution (the default behavior and each
    /// path pattern) has the viewer protocol policy `redirect-to-https` or `https-only`.
    /// A behavior with `allow-all` serves its content over plain HTTP and FAILs the
    /// distribution; the failing path patterns are named. Disabled distributions are judged
    /// too (enabling one should not reopen HTTP).
    ///
    /// ## Why it matters
    /// A portal or API behind CloudFront carries ePHI between viewers and the edge; over
    /// HTTP anyone on the path reads and alters it (transmission security, 45 CFR
    /// 164.312(e)(1); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `viewer_protocol_policies` (path pattern and policy of each behavior),
    /// `plain_http_behaviors` and `enabled`.
    ///
    /// ## Remediation
    /// Set `ViewerProtocolPolicy` to `redirect-to-https` (or `https-only` for APIs) on every
    /// behavior: `aws cloudfront get-distribution-config --id <id>`, edit the
    /// `DefaultCacheBehavior` and `CacheBehaviors`, then `aws cloudfront update-distribution
    /// --id <id> --if-match <etag> --distribution-config file://config.json`.
    pub struct CloudFrontHttpsOnly {
        id: "aws-cloudfront-https-only",
        title: "CloudFront distributions serve viewers over HTTPS only",
        severity: High,
        provider: Aws,
        kinds: [AwsCloudFrontDistribution],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

const SECURE: [&str; 2] = ["redirect-to-https", "https-only"];

impl Check for CloudFrontHttpsOnly {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<CloudFrontDistribution>()
            .iter()
            .map(|d| {
                let r = &d.resource;
                let plain: Vec<&str> = d
                    .viewer_protocol_policies
                    .iter()
                    .filter(|b| !SECURE.contains(&b.viewer_protocol_policy.as_str()))
                    .map(|b| b.path_pattern.as_str())
                    .collect();
                let b = if d.viewer_protocol_policies.is_empty() {
                    ctx.error(r)
                        .reason("The distribution's cache behaviors were not reported.")
                } else if plain.is_empty() {
                    ctx.pass(r).reason(
                        "Every cache behavior redirects HTTP to HTTPS or accepts HTTPS only.",
                    )
                } else {
                    ctx.fail(r).reason(format!(
                        "Cache behavior(s) {} serve viewers over plain HTTP.",
                        plain.join(", ")
                    ))
                };
                b.evidence("viewer_protocol_policies", &d.viewer_protocol_policies)
                    .evidence("plain_http_behaviors", plain)
                    .evidence("enabled", d.enabled)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws_edges::cloudfront_distribution;
    use crate::testing::run;
    use phiscan_core::model::aws::CacheBehaviorPolicy;
    use phiscan_core::{Inventory, Status};

    fn behavior(path: &str, policy: &str) -> CacheBehaviorPolicy {
        CacheBehaviorPolicy {
            path_pattern: path.into(),
            viewer_protocol_policy: policy.into(),
        }
    }

    #[test]
    fn every_behavior_must_be_https() {
        let mut api = cloudfront_distribution("api");
        api.viewer_protocol_policies = vec![behavior("*", "https-only")];
        let mut mixed = cloudfront_distribution("mixed");
        mixed
            .viewer_protocol_policies
            .push(behavior("/public/*", "allow-all"));
        let mut unknown = cloudfront_distribution("unknown");
        unknown.viewer_protocol_policies.clear();
        let mut inv = Inventory::new();
        inv.aws_cloudfront_distributions =
            vec![cloudfront_distribution("portal"), api, mixed, unknown];
        let f = run(&CloudFrontHttpsOnly, &inv);
        assert_eq!(f.status_of("portal"), Status::Pass);
        assert_eq!(f.status_of("api"), Status::Pass);
        assert_eq!(f.status_of("mixed"), Status::Fail);
        assert_eq!(
            f.evidence_of("mixed", "plain_http_behaviors"),
            serde_json::json!(["/public/*"])
        );
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
