use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::CloudFrontDistribution;

declare_check! {
    /// ## What it checks
    /// Every CloudFront distribution refuses viewers below TLS 1.2: its viewer certificate's
    /// `MinimumProtocolVersion` is a `TLSv1.2_*` (or newer `TLSv1.3_*`) security policy.
    /// `SSLv3`, `TLSv1`, `TLSv1_2016` and `TLSv1.1_2016` FAIL. A distribution on the default
    /// `*.cloudfront.net` certificate FAILs whatever its minimum says: CloudFront then
    /// negotiates down to TLS 1.0 (AWS documents this), and the fix is a certificate of
    /// your own.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996) and fail NIST SP 800-52 Rev. 2; ePHI sent
    /// over them is not protected as the rule expects (transmission security, 45 CFR
    /// 164.312(e)(1); integrity controls, 164.312(e)(2)(i); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `minimum_protocol_version`, `default_certificate` and `ssl_support_method`.
    ///
    /// ## Remediation
    /// Attach an ACM certificate (in us-east-1) for the distribution's alternate domain
    /// names and set `ViewerCertificate.MinimumProtocolVersion` to `TLSv1.2_2021` with
    /// `SSLSupportMethod` `sni-only` (`aws cloudfront update-distribution`).
    pub struct CloudFrontTls12 {
        id: "aws-cloudfront-tls12",
        title: "CloudFront distributions require TLS 1.2 or newer from viewers",
        severity: Medium,
        provider: Aws,
        kinds: [AwsCloudFrontDistribution],
        controls: [TransmissionSecurity, TransmissionIntegrityControls, TransmissionEncryption],
    }
}

/// Whether a CloudFront security policy name sets TLS 1.2 or newer as the minimum.
fn tls12_or_newer(policy: &str) -> bool {
    policy.starts_with("TLSv1.2_") || policy.starts_with("TLSv1.3")
}

impl Check for CloudFrontTls12 {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<CloudFrontDistribution>()
            .iter()
            .map(|d| {
                let r = &d.resource;
                let b = match (d.default_certificate, d.minimum_protocol_version.as_deref()) {
                    (Some(true), _) => ctx.fail(r).reason(
                        "The distribution uses the default *.cloudfront.net certificate, with which CloudFront accepts TLS 1.0.",
                    ),
                    (_, Some(p)) if tls12_or_newer(p) => ctx
                        .pass(r)
                        .reason(format!("The minimum viewer protocol is {p}.")),
                    (_, Some(p)) => ctx.fail(r).reason(format!(
                        "The minimum viewer protocol is {p}: viewers may use TLS older than 1.2."
                    )),
                    (_, None) => ctx
                        .error(r)
                        .reason("The distribution's minimum viewer protocol was not reported."),
                };
                b.evidence("minimum_protocol_version", &d.minimum_protocol_version)
                    .evidence("default_certificate", d.default_certificate)
                    .evidence("ssl_support_method", &d.ssl_support_method)
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
    use phiscan_core::{Inventory, Status};

    fn dist(id: &str, min: Option<&str>, default_cert: bool) -> CloudFrontDistribution {
        let mut d = cloudfront_distribution(id);
        d.minimum_protocol_version = min.map(Into::into);
        d.default_certificate = Some(default_cert);
        d
    }

    #[test]
    fn tls12_minimum_on_an_own_certificate() {
        let mut inv = Inventory::new();
        inv.aws_cloudfront_distributions = vec![
            dist("modern", Some("TLSv1.2_2021"), false),
            dist("tls13", Some("TLSv1.3_2025"), false),
            dist("old", Some("TLSv1.1_2016"), false),
            dist("tls1", Some("TLSv1_2016"), false),
            dist("default-cert", Some("TLSv1.2_2021"), true),
            dist("unknown", None, false),
        ];
        let f = run(&CloudFrontTls12, &inv);
        assert_eq!(f.status_of("modern"), Status::Pass);
        assert_eq!(f.status_of("tls13"), Status::Pass);
        assert_eq!(f.status_of("old"), Status::Fail);
        assert_eq!(f.status_of("tls1"), Status::Fail);
        assert_eq!(f.status_of("default-cert"), Status::Fail);
        assert!(f.of("default-cert").reason.contains("default"));
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
