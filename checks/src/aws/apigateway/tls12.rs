use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::ApiGatewayDomainName;

declare_check! {
    /// ## What it checks
    /// Every API Gateway custom domain name (GetDomainNames) has a security policy that
    /// refuses TLS below 1.2: `TLS_1_2` or one of the newer `SecurityPolicy_TLS12_*` /
    /// `SecurityPolicy_TLS13_*` policies. `TLS_1_0` FAILs; a domain whose policy was not
    /// reported is ERROR. (The default `execute-api` endpoints have no policy to set; APIs
    /// holding ePHI should be reached through a custom domain.)
    ///
    /// ## Why it matters
    /// APIs carry ePHI to mobile apps and partners. TLS 1.0 is deprecated (RFC 8996) and
    /// fails NIST SP 800-52 Rev. 2 (transmission security, 45 CFR 164.312(e)(1); integrity
    /// controls, 164.312(e)(2)(i); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `security_policy` and `endpoint_types`.
    ///
    /// ## Remediation
    /// `aws apigateway update-domain-name --domain-name <name> --patch-operations
    /// op=replace,path=/securityPolicy,value=TLS_1_2`.
    pub struct ApiGatewayTls12 {
        id: "aws-apigateway-tls12",
        title: "API Gateway custom domains require TLS 1.2 or newer",
        severity: Medium,
        provider: Aws,
        kinds: [AwsApiGatewayDomainName],
        controls: [TransmissionSecurity, TransmissionIntegrityControls, TransmissionEncryption],
    }
}

/// Whether an API Gateway security policy refuses TLS 1.0 and 1.1.
fn tls12_or_newer(policy: &str) -> bool {
    policy == "TLS_1_2"
        || policy.starts_with("SecurityPolicy_TLS12")
        || policy.starts_with("SecurityPolicy_TLS13")
}

impl Check for ApiGatewayTls12 {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<ApiGatewayDomainName>()
            .iter()
            .map(|d| {
                let r = &d.resource;
                let b = match d.security_policy.as_deref() {
                    Some(p) if tls12_or_newer(p) => ctx
                        .pass(r)
                        .reason(format!("The domain's security policy is {p}.")),
                    Some(p) => ctx.fail(r).reason(format!(
                        "The domain's security policy is {p}: clients may use TLS older than 1.2."
                    )),
                    None => ctx
                        .error(r)
                        .reason("The domain's security policy was not reported."),
                };
                b.evidence("security_policy", &d.security_policy)
                    .evidence("endpoint_types", &d.endpoint_types)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws_edges::apigateway_domain;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn tls_1_0_fails() {
        let policy = |id: &str, p: Option<&str>| {
            let mut d = apigateway_domain(id);
            d.security_policy = p.map(Into::into);
            d
        };
        let mut inv = Inventory::new();
        inv.aws_apigateway_domain_names = vec![
            policy("api", Some("TLS_1_2")),
            policy("strict", Some("SecurityPolicy_TLS13_1_3_2025_09")),
            policy("legacy", Some("TLS_1_0")),
            policy("unknown", None),
        ];
        let f = run(&ApiGatewayTls12, &inv);
        assert_eq!(f.status_of("api"), Status::Pass);
        assert_eq!(f.status_of("strict"), Status::Pass);
        assert_eq!(f.status_of("legacy"), Status::Fail);
        assert!(f.of("legacy").reason.contains("TLS_1_0"));
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
