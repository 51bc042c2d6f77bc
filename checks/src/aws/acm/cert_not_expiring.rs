use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::AcmCertificate;

declare_check! {
    /// ## What it checks
    /// No ACM certificate is expired or expires within `params.cert_expiry_days` days (30 by
    /// default), measured from the scan's clock against `NotAfter`. A certificate with status
    /// `EXPIRED` fails whatever its date says. Certificates that never served traffic are
    /// NOT_APPLICABLE with the reason: `PENDING_VALIDATION`, `VALIDATION_TIMED_OUT`,
    /// `FAILED`, `REVOKED` and `INACTIVE`. An `ISSUED` certificate without a reported
    /// `NotAfter` is ERROR: its expiry cannot be shown.
    ///
    /// ## Why it matters
    /// An expired certificate breaks TLS to the load balancers and APIs that carry ePHI;
    /// clients then fail, or users learn to click through warnings, which invites
    /// interception (transmission security, 45 CFR 164.312(e)(1); encryption,
    /// 164.312(e)(2)(ii)). Imported certificates are not renewed by ACM; Amazon-issued ones
    /// renew only while DNS or e-mail validation still works.
    ///
    /// ## Evidence
    /// `status`, `type`, `not_after`, `days_left`, `cert_expiry_days`, `in_use_by` and
    /// `renewal_eligibility`.
    ///
    /// ## Remediation
    /// Amazon-issued: fix the validation records so managed renewal succeeds
    /// (`aws acm describe-certificate` shows `RenewalSummary`). Imported: obtain a new
    /// certificate and `aws acm import-certificate --certificate-arn <arn> ...` to replace
    /// it in place. Delete expired certificates that nothing uses.
    pub struct AcmCertNotExpiring {
        id: "aws-acm-cert-not-expiring",
        title: "ACM certificates are not expired or about to expire",
        severity: High,
        provider: Aws,
        kinds: [AwsAcmCertificate],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for AcmCertNotExpiring {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let window = ctx.config.params.cert_expiry_days;
        ctx.resources::<AcmCertificate>()
            .iter()
            .map(|c| {
                let days_left = c.not_after.map(|t| (t - ctx.now).num_days());
                let b = match (c.status.as_str(), c.not_after) {
                    ("EXPIRED", _) => ctx.fail(&c.resource).reason("The certificate has expired."),
                    ("ISSUED", None) => ctx.error(&c.resource).reason(
                        "The certificate is issued but its NotAfter date was not reported, so its expiry cannot be shown.",
                    ),
                    ("ISSUED", Some(t)) if t <= ctx.now => ctx
                        .fail(&c.resource)
                        .reason(format!("The certificate expired on {}.", t.format("%Y-%m-%d"))),
                    ("ISSUED", Some(t)) if t - ctx.now <= chrono::Duration::days(window) => {
                        ctx.fail(&c.resource).reason(format!(
                            "The certificate expires on {}, within {window} days.",
                            t.format("%Y-%m-%d")
                        ))
                    }
                    ("ISSUED", Some(t)) => ctx.pass(&c.resource).reason(format!(
                        "The certificate is valid until {}, more than {window} days away.",
                        t.format("%Y-%m-%d")
                    )),
                    (status, _) => ctx.not_applicable(&c.resource).reason(format!(
                        "The certificate is {status}: it does not serve traffic, so it cannot expire in use."
                    )),
                };
                b.evidence("status", &c.status)
                    .evidence("type", &c.cert_type)
                    .evidence("not_after", c.not_after)
                    .evidence("days_left", days_left)
                    .evidence("cert_expiry_days", window)
                    .evidence("in_use_by", &c.in_use_by)
                    .evidence("renewal_eligibility", &c.renewal_eligibility)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::acm_certificate;
    use crate::testing::{now, run, run_with};
    use chrono::Duration;
    use phiscan_core::{Config, Inventory, Status};

    fn cert(id: &str, status: &str, days: Option<i64>) -> AcmCertificate {
        let mut c = acm_certificate(id);
        c.status = status.into();
        c.not_after = days.map(|d| now() + Duration::days(d));
        c
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.aws_acm_certificates = vec![
            cert("year", "ISSUED", Some(365)),
            cert("soon", "ISSUED", Some(10)),
            cert("edge", "ISSUED", Some(30)),
            cert("past", "ISSUED", Some(-1)),
            cert("expired", "EXPIRED", Some(-40)),
            cert("pending", "PENDING_VALIDATION", None),
            cert("undated", "ISSUED", None),
        ];
        let f = run(&AcmCertNotExpiring, &inv);
        assert_eq!(f.status_of("year"), Status::Pass);
        assert_eq!(f.status_of("soon"), Status::Fail);
        assert_eq!(f.status_of("edge"), Status::Fail);
        assert_eq!(f.status_of("past"), Status::Fail);
        assert_eq!(f.status_of("expired"), Status::Fail);
        assert_eq!(f.status_of("pending"), Status::NotApplicable);
        assert_eq!(f.status_of("undated"), Status::Error);
        assert_eq!(f.evidence_of("soon", "days_left"), 10);
    }

    #[test]
    fn window_comes_from_params() {
        let mut config = Config::default();
        config.params.cert_expiry_days = 7;
        let mut inv = Inventory::new();
        inv.aws_acm_certificates = vec![cert("soon", "ISSUED", Some(10))];
        let f = run_with(&AcmCertNotExpiring, &inv, &config);
        assert_eq!(f.status_of("soon"), Status::Pass);
    }
}
