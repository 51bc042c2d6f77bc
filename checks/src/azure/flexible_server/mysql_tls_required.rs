use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::MysqlFlexibleServer;

use super::secure_transport;

declare_check! {
    /// ## What it checks
    /// Every Azure Database for MySQL flexible server has the server parameter
    /// `require_secure_transport` set to `ON`, so clients must connect over TLS. `OFF`
    /// FAILs; a value ARM did not report FAILs as "not reported" (the default is `ON`, but
    /// the parameter may have been switched off, so the default proves nothing). Values are
    /// compared case-insensitively.
    ///
    /// ## Why it matters
    /// Transmission security (45 CFR 164.312(e)(1)) and its encryption specification
    /// (164.312(e)(2)(ii)): queries and result sets carry ePHI, and Qolty promises that "all
    /// data transmission is encrypted". With the parameter off, a misconfigured client
    /// sends credentials and ePHI in clear text.
    ///
    /// ## Evidence
    /// `require_secure_transport` (as reported, null when not reported) and
    /// `public_network_access`.
    ///
    /// ## Remediation
    /// `az mysql flexible-server parameter set -g <rg> -s <server>
    /// --name require_secure_transport --value ON` (portal: Server parameters). Make sure
    /// clients use `--ssl-mode=REQUIRED` or stricter first.
    pub struct MysqlFlexibleTlsRequired {
        id: "azure-mysql-flexible-tls-required",
        title: "MySQL flexible servers require TLS",
        severity: High,
        provider: Azure,
        kinds: [AzureMysqlFlexibleServer],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for MysqlFlexibleTlsRequired {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let servers = ctx.resources::<MysqlFlexibleServer>().iter().map(|s| &s.0);
        secure_transport::evaluate(ctx, servers, "MySQL")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::flexible_server;
    use crate::testing::run;
    use phiscan_core::model::azure::FlexibleServer;
    use phiscan_core::{Inventory, ResourceKind, Status};

    #[test]
    fn verdicts() {
        let my = |id, v: Option<&str>| {
            MysqlFlexibleServer(FlexibleServer {
                require_secure_transport: v.map(Into::into),
                ..flexible_server(ResourceKind::AzureMysqlFlexibleServer, id)
            })
        };
        let mut inv = Inventory::new();
        inv.azure_mysql_flexible_servers = vec![
            my("on", Some("ON")),
            my("lower-on", Some("on")),
            my("off", Some("OFF")),
            my("unset", None),
        ];
        let f = run(&MysqlFlexibleTlsRequired, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("lower-on"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("unset"), Status::Fail);
        assert!(f.evidence_of("unset", "require_secure_transport").is_null());
    }
}
