use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::Elbv2Listener;

declare_check! {
    /// ## What it checks
    /// Every `HTTPS` and `TLS` listener has an SSL policy whose protocols are all TLS 1.2 or
    /// TLS 1.3 (the protocols come from `DescribeSSLPolicies` for the listener's policy).
    /// A policy that still allows `TLSv1`, `TLSv1.1` or any SSL version fails, as does a
    /// policy reported with no protocols. Other listeners get no finding here (see
    /// `aws-elbv2-listener-tls`). When the policy's protocols were not collected, the
    /// finding is ERROR: the data is missing, so neither PASS nor FAIL would be true, and
    /// ERROR marks the scan incomplete.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 rely on deprecated constructions (SHA-1/MD5 handshakes, CBC modes
    /// open to BEAST/POODLE-style attacks) and fail current guidance such as NIST SP 800-52
    /// Rev. 2. Encrypting ePHI in transit with a weak protocol does not protect its
    /// confidentiality or integrity (transmission security, 45 CFR 164.312(e)(1);
    /// integrity controls, 164.312(e)(2)(i); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `load_balancer`, `protocol`, `port`, `ssl_policy`, `ssl_protocols` and
    /// `disallowed_protocols`.
    ///
    /// ## Remediation
    /// `aws elbv2 modify-listener --listener-arn <arn> --ssl-policy
    /// ELBSecurityPolicy-TLS13-1-2-2021-06` (TLS 1.2 and 1.3), after confirming no client
    /// still needs TLS 1.0/1.1.
    pub struct Elbv2TlsPolicy {
        id: "aws-elbv2-tls-policy",
        title: "TLS listeners allow only TLS 1.2 and newer",
        severity: Medium,
        provider: Aws,
        kinds: [AwsElbv2Listener],
        controls: [TransmissionSecurity, TransmissionIntegrityControls, TransmissionEncryption],
    }
}

const ALLOWED: [&str; 2] = ["TLSv1.2", "TLSv1.3"];

impl Check for Elbv2TlsPolicy {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<Elbv2Listener>()
            .iter()
            .filter(|l| matches!(l.protocol.to_ascii_uppercase().as_str(), "HTTPS" | "TLS"))
            .map(|l| {
                let policy = l.ssl_policy.as_deref().unwrap_or("(none reported)");
                let (builder, bad) = match &l.ssl_protocols {
                    None => (
                        ctx.error(&l.resource).reason(format!(
                            "The protocols of SSL policy {policy} were not reported, so the policy cannot be judged."
                        )),
                        Vec::new(),
                    ),
                    Some(protos) => {
                        let bad: Vec<&str> = protos
                            .iter()
                            .map(String::as_str)
                            .filter(|p| !ALLOWED.contains(p))
                            .collect();
                        let reason = if protos.is_empty() {
                            format!("SSL policy {policy} was reported with no protocols.")
                        } else if bad.is_empty() {
                            format!("SSL policy {policy} allows only {}.", protos.join(", "))
                        } else {
                            format!("SSL policy {policy} still allows {}.", bad.join(", "))
                        };
                        (ctx.verdict(!protos.is_empty() && bad.is_empty(), &l.resource).reason(reason), bad)
                    }
                };
                builder
                    .evidence("load_balancer", &l.load_balancer_name)
                    .evidence("protocol", &l.protocol)
                    .evidence("port", l.port)
                    .evidence("ssl_policy", &l.ssl_policy)
                    .evidence("ssl_protocols", &l.ssl_protocols)
                    .evidence("disallowed_protocols", bad)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::elbv2_listener;
    use crate::testing::run;
    use phiscan_core::Inventory;
    use phiscan_core::Status;

    fn tls(id: &str, policy: &str, protos: Option<&[&str]>) -> Elbv2Listener {
        let mut l = elbv2_listener(id, "HTTPS", 443);
        l.ssl_policy = Some(policy.into());
        l.ssl_protocols = protos.map(|p| p.iter().map(|s| s.to_string()).collect());
        l
    }

    #[test]
    fn only_tls12_and_newer_pass() {
        let mut inv = Inventory::new();
        inv.aws_elbv2_listeners = vec![
            tls(
                "modern",
                "ELBSecurityPolicy-TLS13-1-2-2021-06",
                Some(&["TLSv1.2", "TLSv1.3"]),
            ),
            tls(
                "old",
                "ELBSecurityPolicy-2016-08",
                Some(&["TLSv1", "TLSv1.1", "TLSv1.2"]),
            ),
            tls("empty", "Custom", Some(&[])),
            tls("unknown", "Custom", None),
            elbv2_listener("http", "HTTP", 80),
            elbv2_listener("tcp", "TCP", 5432),
        ];
        let f = run(&Elbv2TlsPolicy, &inv);
        assert_eq!(f.0.len(), 4, "HTTP and TCP listeners are not evaluated");
        assert_eq!(f.status_of("modern"), Status::Pass);
        assert_eq!(f.status_of("old"), Status::Fail);
        assert_eq!(
            f.evidence_of("old", "disallowed_protocols"),
            serde_json::json!(["TLSv1", "TLSv1.1"])
        );
        assert_eq!(f.status_of("empty"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Error);
        assert!(f.of("unknown").reason.contains("not reported"));
    }
}
