use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

use super::nsg_exposure;

declare_check! {
    /// ## What it checks
    /// No network security group has an inbound Allow rule that admits the internet (`*`,
    /// `Internet`, `Any`, `0.0.0.0/0`, `::/0`) over TCP, UDP or any protocol to a database
    /// port (SQL Server 1433, PostgreSQL 5432, MySQL 3306, Oracle 1521, MongoDB 27017,
    /// Redis 6379, Elasticsearch 9200 by default; `params.db_ports`), unless a
    /// higher-priority (lower number) Deny rule blocks the same port from the internet
    /// first. Default rules never open ports to the internet and are skipped. Shadowing is
    /// credited only in the simple case of one Deny covering the port, the protocol and the
    /// address family; see the module notes of `nsg_exposure`.
    ///
    /// ## Why it matters
    /// Qolty's policy says "the database servers, where the ePHI resides, are located on the
    /// internal Qolty network and can only be accessed through a bastion host over a VPN
    /// connection". A database port open to the internet exposes ePHI directly to password
    /// guessing and engine exploits (access control, 45 CFR 164.312(a)(1); access
    /// authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `watched_ports`, `public_rules` (name, priority, protocol, internet-wide sources,
    /// destination port ranges and the watched ports each rule opens), `shadowed_rules`
    /// (Allow rules whose watched ports a higher-priority Deny blocks first, and by which
    /// rule) and `attached_to` (subnets and NICs).
    ///
    /// ## Remediation
    /// Admit database ports only from the application subnet and the bastion
    /// (`--source-address-prefixes 10.x.y.0/24`), or delete the rule:
    /// `az network nsg rule delete -g <rg> --nsg-name <nsg> -n <rule>`. Prefer private
    /// endpoints for managed databases.
    pub struct NsgNoPublicDbPorts {
        id: "azure-nsg-no-public-db-ports",
        title: "NSGs do not open database ports to the internet",
        severity: Critical,
        provider: Azure,
        kinds: [AzureNetworkSecurityGroup],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for NsgNoPublicDbPorts {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        nsg_exposure::evaluate(ctx, &ctx.config.params.db_ports, "database")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::{network_security_group, nsg_rule};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};
    use serde_json::json;

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_network_security_groups = vec![
            network_security_group(
                "mssql-world",
                vec![nsg_rule("sql", 100, "Allow", "Tcp", "1433", "Internet")],
            ),
            network_security_group(
                "pg-v6",
                vec![nsg_rule("pg", 100, "Allow", "Tcp", "5432", "::/0")],
            ),
            network_security_group(
                "range",
                vec![nsg_rule("r", 100, "Allow", "Tcp", "3000-3400", "*")],
            ),
            network_security_group(
                "ssh-world",
                vec![nsg_rule("ssh", 100, "Allow", "Tcp", "22", "*")],
            ),
            network_security_group(
                "pg-app",
                vec![nsg_rule("pg", 100, "Allow", "Tcp", "5432", "10.20.1.0/24")],
            ),
            network_security_group(
                "pg-shadowed",
                vec![
                    nsg_rule("deny-db", 100, "Deny", "Tcp", "5432", "*"),
                    nsg_rule("pg", 200, "Allow", "Tcp", "5432", "Internet"),
                ],
            ),
        ];
        let f = run(&NsgNoPublicDbPorts, &inv);
        assert_eq!(f.status_of("mssql-world"), Status::Fail);
        assert_eq!(f.status_of("pg-v6"), Status::Fail);
        assert_eq!(f.status_of("range"), Status::Fail);
        assert_eq!(
            f.evidence_of("range", "public_rules")[0]["watched_ports_opened"],
            json!([3306])
        );
        assert_eq!(f.status_of("ssh-world"), Status::Pass);
        assert_eq!(f.status_of("pg-app"), Status::Pass);
        assert_eq!(f.status_of("pg-shadowed"), Status::Pass);
    }
}
