use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::SqlServer;

declare_check! {
    /// ## What it checks
    /// Every Azure SQL logical server's `minimalTlsVersion` is `1.2` or `1.3`. `1.0`, `1.1`
    /// and `None` (no minimum: any version is accepted) FAIL. A server for which ARM reports
    /// no value FAILs too: servers created before the setting existed omit it and accept
    /// TLS 1.0. Unrecognised values FAIL with the value named.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996) and weaken the protection of ePHI in transit
    /// between applications and the database: transmission security (45 CFR 164.312(e)(1)),
    /// integrity controls (164.312(e)(2)(i)) and encryption (164.312(e)(2)(ii)); the
    /// policies promise that "all data transmission is encrypted".
    ///
    /// ## Evidence
    /// `minimal_tls_version` (as reported, null when omitted).
    ///
    /// ## Remediation
    /// `az sql server update -n <server> -g <rg> --minimal-tls-version 1.2` (portal: SQL
    /// server > Networking > Connectivity > Minimum TLS version). Check first that no client
    /// driver still negotiates TLS 1.0/1.1.
    pub struct SqlMinTls12 {
        id: "azure-sql-min-tls12",
        title: "Azure SQL servers require TLS 1.2 or newer",
        severity: Medium,
        provider: Azure,
        kinds: [AzureSqlServer],
        controls: [TransmissionSecurity, TransmissionIntegrityControls, TransmissionEncryption],
    }
}

impl Check for SqlMinTls12 {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SqlServer>()
            .iter()
            .map(|s| {
                let v = s.minimal_tls_version.as_deref().map(str::trim);
                let (ok, reason) = match v {
                    Some("1.2" | "1.3") => (true, format!("The minimal TLS version is {}.", v.unwrap_or_default())),
                    Some(old @ ("1.0" | "1.1")) => (false, format!("The minimal TLS version is {old}: clients may connect with deprecated TLS.")),
                    Some(none) if none.eq_ignore_ascii_case("None") => (false, "The minimal TLS version is None: the server accepts any TLS version.".to_string()),
                    Some(other) => (false, format!("The minimal TLS version {other:?} is not one phiscan recognises as TLS 1.2 or newer.")),
                    None => (false, "ARM did not report minimalTlsVersion; servers that never set it accept TLS 1.0.".to_string()),
                };
                ctx.verdict(ok, &s.resource)
                    .evidence("minimal_tls_version", &s.minimal_tls_version)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::sql_server;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_sql_servers = ["1.2", "1.3", "1.0", "None", "TLS1_2"]
            .iter()
            .map(|v| {
                let mut s = sql_server(v);
                s.minimal_tls_version = Some(v.to_string());
                s
            })
            .chain([sql_server("silent")])
            .collect();
        let f = run(&SqlMinTls12, &inv);
        assert_eq!(f.status_of("1.2"), Status::Pass);
        assert_eq!(f.status_of("1.3"), Status::Pass);
        assert_eq!(f.status_of("1.0"), Status::Fail);
        assert_eq!(f.status_of("None"), Status::Fail);
        assert_eq!(f.status_of("TLS1_2"), Status::Fail);
        assert_eq!(f.status_of("silent"), Status::Fail);
    }
}
