use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::PostgresFlexibleServer;

use super::public_access;

declare_check! {
    /// ## What it checks
    /// Every Azure Database for PostgreSQL flexible server is off the public internet: public
    /// network access is `Disabled`, or no firewall rule admits the whole internet
    /// (`0.0.0.0`-`255.255.255.255`) or every Azure service (`0.0.0.0`-`0.0.0.0`). A rule
    /// whose addresses are not IPv4 counts as too wide.
    ///
    /// ## Why it matters
    /// The policies promise that "database servers ... [are] only accessed through the
    /// bastion host"; a database reachable from any address is one leaked password away from
    /// an ePHI breach. Access control (45 CFR 164.312(a)(1)) and access authorization
    /// (164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `public_network_access`, `firewall_rules` (name, start, end) and `too_wide_rules`.
    ///
    /// ## Remediation
    /// Delete the wide rules (`az postgres flexible-server firewall-rule delete -g <rg> -n <server>
    /// -r <rule>`) and allow only the application subnets' addresses, or disable public
    /// access and connect through a private endpoint
    /// (`az postgres flexible-server update -g <rg> -n <server> --public-access Disabled`).
    pub struct PostgresFlexibleNoPublicAccess {
        id: "azure-postgres-flexible-no-public-access",
        title: "PostgreSQL flexible servers are not open to the internet",
        severity: Critical,
        provider: Azure,
        kinds: [AzurePostgresFlexibleServer],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for PostgresFlexibleNoPublicAccess {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let servers = ctx
            .resources::<PostgresFlexibleServer>()
            .iter()
            .map(|s| &s.0);
        public_access::evaluate(ctx, servers, "PostgreSQL")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::{firewall_rule, flexible_server};
    use crate::testing::run;
    use phiscan_core::model::azure::FlexibleServer;
    use phiscan_core::{Inventory, ResourceKind, Status};

    fn server(id: &str, access: Option<&str>, rules: &[(&str, &str)]) -> PostgresFlexibleServer {
        PostgresFlexibleServer(FlexibleServer {
            public_network_access: access.map(Into::into),
            firewall_rules: rules.iter().map(|(s, e)| firewall_rule(s, e)).collect(),
            ..flexible_server(ResourceKind::AzurePostgresFlexibleServer, id)
        })
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_postgres_flexible_servers = vec![
            server(
                "private",
                Some("Disabled"),
                &[("0.0.0.0", "255.255.255.255")],
            ),
            server(
                "narrow",
                Some("Enabled"),
                &[("203.0.113.0", "203.0.113.255")],
            ),
            server(
                "internet",
                Some("Enabled"),
                &[("0.0.0.0", "255.255.255.255")],
            ),
            server("all-azure", None, &[("0.0.0.0", "0.0.0.0")]),
            server("ipv6", Some("Enabled"), &[("::", "ffff::")]),
        ];
        let f = run(&PostgresFlexibleNoPublicAccess, &inv);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert_eq!(f.status_of("narrow"), Status::Pass);
        assert_eq!(f.status_of("internet"), Status::Fail);
        assert_eq!(f.status_of("all-azure"), Status::Fail);
        assert_eq!(f.status_of("ipv6"), Status::Fail);
        assert!(f.of("internet").reason.contains("the whole internet"));
    }
}
