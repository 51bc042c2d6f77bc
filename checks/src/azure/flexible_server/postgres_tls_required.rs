use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::PostgresFlexibleServer;

use super::secure_transport;

declare_check! {
    /// ## What it checks
    /// Every Azure Database for PostgreSQL flexible server has the server parameter
    /// `require_secure_transport` set to `on`, so clients must connect over TLS. `off`
    /// FAILs; a value ARM did not report FAILs as "not reported" (the default is `on`, but
    /// the parameter may have been switched off, so the default proves nothing).
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
    /// `az postgres flexible-server parameter set -g <rg> -s <server>
    /// --name require_secure_transport --value on` (portal: Server parameters). Make sure
    /// clients use `sslmode=require` or stricter first.
    pub struct PostgresFlexibleTlsRequired {
        id: "azure-postgres-flexible-tls-required",
        title: "PostgreSQL flexible servers require TLS",
        severity: High,
        provider: Azure,
        kinds: [AzurePostgresFlexibleServer],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for PostgresFlexibleTlsRequired {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let servers = ctx
            .resources::<PostgresFlexibleServer>()
            .iter()
            .map(|s| &s.0);
        secure_transport::evaluate(ctx, servers, "PostgreSQL")
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
        let pg = |id, v| {
            let v: Option<&str> = v;
            PostgresFlexibleServer(FlexibleServer {
                require_secure_transport: v.map(Into::into),
                ..flexible_server(ResourceKind::AzurePostgresFlexibleServer, id)
            })
        };
        let mut inv = Inventory::new();
        inv.azure_postgres_flexible_servers = vec![
            pg("on", Some("on")),
            pg("off", Some("off")),
            pg("unset", None),
            pg("odd", Some("maybe")),
        ];
        let f = run(&PostgresFlexibleTlsRequired, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("unset"), Status::Fail);
        assert!(f.of("unset").reason.contains("not reported"));
        assert_eq!(f.status_of("odd"), Status::Fail);
    }
}
