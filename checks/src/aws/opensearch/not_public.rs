use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::OpenSearchDomain;

declare_check! {
    /// ## What it checks
    /// No OpenSearch Service domain is open to everyone: a domain in a VPC (`VPCOptions`
    /// with subnets) passes, since its endpoint is reachable only from inside the network;
    /// a domain with a public endpoint passes only if its access policy has no `Allow` for
    /// everyone without a condition (`Principal` `"*"` or `{"AWS": "*"}`, or
    /// `NotPrincipal`). A wildcard with a condition (`aws:SourceIp`) passes with the
    /// condition in the evidence. The reading of "everyone" is shared with the KMS, SQS and
    /// SNS policy checks.
    ///
    /// ## Why it matters
    /// A public domain whose policy allows `*` answers unsigned requests from the whole
    /// internet: every indexed document can be searched and downloaded (access control,
    /// 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `vpc_subnet_ids`, and for public endpoints `policy_present`, `public_statements` and
    /// `conditioned_wildcard_statements`.
    ///
    /// ## Remediation
    /// Replace the wildcard principal with IAM roles, or add an `aws:SourceIp` condition:
    /// `aws opensearch update-domain-config --domain-name <name> --access-policies
    /// file://policy.json`. A VPC endpoint requires a new domain (`--vpc-options`) and a
    /// snapshot restore.
    pub struct OpenSearchNotPublic {
        id: "aws-opensearch-not-public",
        title: "OpenSearch domains are in a VPC or their access policy does not allow everyone",
        severity: Critical,
        provider: Aws,
        kinds: [AwsOpenSearchDomain],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for OpenSearchNotPublic {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<OpenSearchDomain>()
            .iter()
            .map(|d| {
                if !d.vpc_subnet_ids.is_empty() {
                    return ctx
                        .pass(&d.resource)
                        .evidence("vpc_subnet_ids", &d.vpc_subnet_ids)
                        .reason(format!(
                            "The domain's endpoint is inside a VPC (subnets {}).",
                            d.vpc_subnet_ids.join(", ")
                        ))
                        .build();
                }
                crate::aws::resource_policy::not_public(
                    ctx,
                    &d.resource,
                    d.access_policies.as_ref(),
                    "access policy of this public-endpoint domain",
                )
                .evidence("vpc_subnet_ids", &d.vpc_subnet_ids)
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
    use serde_json::json;

    #[test]
    fn vpc_or_a_policy_without_star_passes() {
        let star = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "es:*", "Resource": "*"}]});
        let public = |id: &str, policy: Option<serde_json::Value>| {
            let mut d = opensearch_domain(id);
            d.vpc_subnet_ids = vec![];
            d.access_policies = policy;
            d
        };
        let mut in_vpc_star = opensearch_domain("vpc-star");
        in_vpc_star.access_policies = Some(star.clone());
        let mut inv = Inventory::new();
        inv.aws_opensearch_domains = vec![
            in_vpc_star,
            public("open", Some(star)),
            public("ip-pinned", Some(json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "es:ESHttpGet",
                "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}))),
            public("roles", Some(json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/search"}, "Action": "es:*"}]}))),
            public("no-policy", None),
        ];
        let f = run(&OpenSearchNotPublic, &inv);
        assert_eq!(f.status_of("vpc-star"), Status::Pass);
        assert_eq!(f.status_of("open"), Status::Fail);
        assert_eq!(f.status_of("ip-pinned"), Status::Pass);
        assert_eq!(f.status_of("roles"), Status::Pass);
        assert_eq!(f.status_of("no-policy"), Status::Pass);
    }
}
