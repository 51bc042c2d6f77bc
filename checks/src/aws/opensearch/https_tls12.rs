use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::OpenSearchDomain;

declare_check! {
    /// ## What it checks
    /// Every OpenSearch Service domain's endpoint enforces HTTPS
    /// (`DomainEndpointOptions.EnforceHTTPS = true`) with a TLS security policy whose
    /// minimum is TLS 1.2 (`Policy-Min-TLS-1-2-2019-07`, `Policy-Min-TLS-1-2-PFS-2023-10`).
    /// HTTP allowed, or `Policy-Min-TLS-1-0-2019-07`, fails; a domain that reported neither
    /// is an ERROR.
    ///
    /// ## Why it matters
    /// Searches and their results (ePHI) travel between the applications and the domain;
    /// plain HTTP or TLS 1.0/1.1 leave them readable on the way (transmission security,
    /// 45 CFR 164.312(e)(1); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `enforce_https` and `tls_security_policy`.
    ///
    /// ## Remediation
    /// `aws opensearch update-domain-config --domain-name <name> --domain-endpoint-options
    /// EnforceHTTPS=true,TLSSecurityPolicy=Policy-Min-TLS-1-2-PFS-2023-10`.
    pub struct OpenSearchHttpsTls12 {
        id: "aws-opensearch-https-tls12",
        title: "OpenSearch domains enforce HTTPS with TLS 1.2 or later",
        severity: High,
        provider: Aws,
        kinds: [AwsOpenSearchDomain],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

/// A TLS security policy whose minimum is TLS 1.2 or later.
fn tls12(policy: &str) -> bool {
    ["Policy-Min-TLS-1-2", "Policy-Min-TLS-1-3"]
        .iter()
        .any(|p| policy.starts_with(p))
}

impl Check for OpenSearchHttpsTls12 {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<OpenSearchDomain>()
            .iter()
            .map(|d| {
                let policy = d.tls_security_policy.as_deref();
                let b = match (d.enforce_https, policy) {
                    (Some(false), _) => ctx.fail(&d.resource).reason("HTTPS is not enforced: the endpoint also answers plain HTTP."),
                    (Some(true), Some(p)) if tls12(p) => ctx.pass(&d.resource).reason(format!("HTTPS is enforced with {p}.")),
                    (Some(true), Some(p)) => ctx.fail(&d.resource).reason(format!("HTTPS is enforced, but {p} still accepts TLS 1.0 and 1.1.")),
                    (Some(true), None) | (None, _) => ctx.error(&d.resource).reason("DescribeDomains did not report the endpoint's HTTPS enforcement and TLS policy."),
                };
                b.evidence("enforce_https", d.enforce_https)
                    .evidence("tls_security_policy", policy)
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
    fn https_with_a_tls12_policy_passes() {
        let with = |id: &str, https: Option<bool>, policy: Option<&str>| {
            let mut d = opensearch_domain(id);
            d.enforce_https = https;
            d.tls_security_policy = policy.map(str::to_string);
            d
        };
        let mut inv = Inventory::new();
        inv.aws_opensearch_domains = vec![
            opensearch_domain("tls12"),
            with("pfs", Some(true), Some("Policy-Min-TLS-1-2-PFS-2023-10")),
            with("tls10", Some(true), Some("Policy-Min-TLS-1-0-2019-07")),
            with("http", Some(false), Some("Policy-Min-TLS-1-2-2019-07")),
            with("unknown", None, None),
        ];
        let f = run(&OpenSearchHttpsTls12, &inv);
        assert_eq!(f.status_of("tls12"), Status::Pass);
        assert_eq!(f.status_of("pfs"), Status::Pass);
        assert_eq!(f.status_of("tls10"), Status::Fail);
        assert!(f.of("tls10").reason.contains("TLS 1.0"));
        assert_eq!(f.status_of("http"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
