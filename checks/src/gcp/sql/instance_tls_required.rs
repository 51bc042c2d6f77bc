use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::SqlInstance;

declare_check! {
    /// ## What it checks
    /// Every Cloud SQL instance refuses unencrypted connections. `settings.ipConfiguration.
    /// sslMode` decides: `ENCRYPTED_ONLY` and `TRUSTED_CLIENT_CERTIFICATE_REQUIRED` PASS,
    /// `ALLOW_UNENCRYPTED_AND_ENCRYPTED` FAILs. When `sslMode` is absent (or
    /// `SSL_MODE_UNSPECIFIED`), the legacy `requireSsl` flag decides: true PASSes, false
    /// FAILs. When neither is reported the instance FAILs, because an unreported setting is
    /// not evidence that TLS is enforced. Any other `sslMode` value FAILs as unrecognised.
    ///
    /// ## Why it matters
    /// Janus HCP promises that "all data transmission is encrypted". Database connections
    /// carry ePHI; an instance that accepts plaintext connections lets one misconfigured
    /// client send it in the clear (transmission security, 45 CFR 164.312(e)(1); encryption
    /// in transit, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `ssl_mode`, `require_ssl`, `decided_by` (`ssl_mode`, `require_ssl` or `nothing`) and
    /// `database_version`.
    ///
    /// ## Remediation
    /// `gcloud sql instances patch <instance> --ssl-mode=ENCRYPTED_ONLY` (or
    /// `TRUSTED_CLIENT_CERTIFICATE_REQUIRED` to also demand client certificates), after
    /// making sure every client connects with TLS or through the Cloud SQL Auth Proxy.
    pub struct SqlInstanceTlsRequired {
        id: "gcp-sql-instance-tls-required",
        title: "Cloud SQL instances require TLS for connections",
        severity: High,
        provider: Gcp,
        kinds: [GcpSqlInstance],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

/// (compliant, which setting decided, reason).
fn decide(i: &SqlInstance) -> (bool, &'static str, String) {
    let mode = i
        .ssl_mode
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty() && *m != "SSL_MODE_UNSPECIFIED");
    match (mode, i.require_ssl) {
        (Some(m @ ("ENCRYPTED_ONLY" | "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")), _) => {
            (true, "ssl_mode", format!("sslMode is {m}: unencrypted connections are refused."))
        }
        (Some(m @ "ALLOW_UNENCRYPTED_AND_ENCRYPTED"), _) => {
            (false, "ssl_mode", format!("sslMode is {m}: the instance accepts unencrypted connections."))
        }
        (Some(m), _) => (
            false,
            "ssl_mode",
            format!("sslMode is {m}, which phiscan does not recognise as enforcing TLS."),
        ),
        (None, Some(true)) => (
            true,
            "require_ssl",
            "sslMode is not reported and the legacy requireSsl flag is true: connections must use TLS.".to_string(),
        ),
        (None, Some(false)) => (
            false,
            "require_ssl",
            "sslMode is not reported and the legacy requireSsl flag is false: the instance accepts unencrypted connections.".to_string(),
        ),
        (None, None) => (
            false,
            "nothing",
            "Neither sslMode nor requireSsl is reported, so TLS enforcement cannot be shown.".to_string(),
        ),
    }
}

impl Check for SqlInstanceTlsRequired {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SqlInstance>()
            .iter()
            .map(|i| {
                let (ok, decided_by, reason) = decide(i);
                ctx.verdict(ok, &i.resource)
                    .evidence("ssl_mode", &i.ssl_mode)
                    .evidence("require_ssl", i.require_ssl)
                    .evidence("decided_by", decided_by)
                    .evidence("database_version", &i.database_version)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::sql_instance;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn with(id: &str, mode: Option<&str>, require_ssl: Option<bool>) -> SqlInstance {
        let mut i = sql_instance(id);
        i.ssl_mode = mode.map(str::to_string);
        i.require_ssl = require_ssl;
        i
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.gcp_sql_instances = vec![
            with("encrypted-only", Some("ENCRYPTED_ONLY"), Some(false)),
            with(
                "client-certs",
                Some("TRUSTED_CLIENT_CERTIFICATE_REQUIRED"),
                None,
            ),
            with(
                "allow-plain",
                Some("ALLOW_UNENCRYPTED_AND_ENCRYPTED"),
                Some(true),
            ),
            with("weird-mode", Some("SOMETIMES"), Some(true)),
            with("legacy-on", None, Some(true)),
            with(
                "unspecified-legacy-off",
                Some("SSL_MODE_UNSPECIFIED"),
                Some(false),
            ),
            with("unreported", None, None),
        ];
        let f = run(&SqlInstanceTlsRequired, &inv);
        assert_eq!(f.status_of("encrypted-only"), Status::Pass);
        assert_eq!(f.status_of("client-certs"), Status::Pass);
        assert_eq!(f.status_of("allow-plain"), Status::Fail);
        assert_eq!(f.evidence_of("allow-plain", "decided_by"), "ssl_mode");
        assert_eq!(f.status_of("weird-mode"), Status::Fail);
        assert_eq!(f.status_of("legacy-on"), Status::Pass);
        assert_eq!(f.evidence_of("legacy-on", "decided_by"), "require_ssl");
        assert_eq!(f.status_of("unspecified-legacy-off"), Status::Fail);
        assert_eq!(f.status_of("unreported"), Status::Fail);
        assert_eq!(f.evidence_of("unreported", "decided_by"), "nothing");
    }
}
