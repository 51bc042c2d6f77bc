use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

use super::firewall_exposure;

declare_check! {
    /// ## What it checks
    /// No enabled INGRESS VPC firewall rule allows a database port (PostgreSQL 5432, MySQL
    /// 3306, SQL Server 1433, Oracle 1521, MongoDB 27017, Redis 6379, Elasticsearch 9200 by
    /// default; `params.db_ports`) from `0.0.0.0/0` or `::/0`. An allowed entry counts when
    /// its protocol is `all`, `tcp`, `udp`, `6` or `17`; an entry without ports (or protocol
    /// `all`) opens every port. Disabled rules PASS with the reason that they are disabled;
    /// EGRESS rules are NOT_APPLICABLE. Shadowing deny rules are not credited.
    ///
    /// ## Why it matters
    /// Janus HCP runs Postgres, CockroachDB and ElasticSearch servers on GCP; their ports
    /// must admit only the application tier and the bastion host. A database port open to
    /// the internet exposes ePHI directly to password guessing and engine exploits (access
    /// control, 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `network`, `direction`, `disabled`, `priority`, `source_ranges`, `target_tags`,
    /// `target_service_accounts`, `watched_ports` and `public_entries` (for each
    /// internet-facing allowed entry: protocol, ports, `all_ports` when it opens every port,
    /// and the watched ports it opens).
    ///
    /// ## Remediation
    /// Admit database ports only from the application subnets or service accounts, e.g.
    /// `gcloud compute firewall-rules update <rule> --source-ranges=10.10.0.0/20` or
    /// `--source-service-accounts=<app-sa>`, or delete the rule with
    /// `gcloud compute firewall-rules delete <rule>`.
    pub struct FirewallNoPublicDbPorts {
        id: "gcp-compute-firewall-no-public-db-ports",
        title: "VPC firewall rules do not open database ports to the internet",
        severity: Critical,
        provider: Gcp,
        kinds: [GcpComputeFirewall],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for FirewallNoPublicDbPorts {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        firewall_exposure::evaluate(ctx, &ctx.config.params.db_ports, "database")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{firewall, firewall_entry};
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    #[test]
    fn verdicts() {
        let mut egress = firewall(
            "egress-pg",
            &["0.0.0.0/0"],
            vec![firewall_entry("tcp", &["5432"])],
        );
        egress.direction = "EGRESS".into();
        let mut inv = Inventory::new();
        inv.gcp_compute_firewalls = vec![
            firewall(
                "pg-world",
                &["0.0.0.0/0"],
                vec![firewall_entry("tcp", &["5432"])],
            ),
            firewall("es-v6", &["::/0"], vec![firewall_entry("17", &[])]),
            firewall(
                "ssh-world",
                &["0.0.0.0/0"],
                vec![firewall_entry("tcp", &["22"])],
            ),
            firewall(
                "pg-app",
                &["10.10.0.0/20"],
                vec![firewall_entry("tcp", &["5432"])],
            ),
            egress,
        ];
        let f = run(&FirewallNoPublicDbPorts, &inv);
        assert_eq!(f.status_of("pg-world"), Status::Fail);
        assert_eq!(
            f.evidence_of("pg-world", "public_entries")[0]["watched_ports_opened"],
            serde_json::json!([5432])
        );
        assert_eq!(f.status_of("es-v6"), Status::Fail);
        assert_eq!(f.status_of("ssh-world"), Status::Pass);
        assert_eq!(f.status_of("pg-app"), Status::Pass);
        assert_eq!(f.status_of("egress-pg"), Status::NotApplicable);
    }

    #[test]
    fn watched_ports_come_from_config() {
        let mut inv = Inventory::new();
        inv.gcp_compute_firewalls = vec![firewall(
            "influx",
            &["0.0.0.0/0"],
            // InfluxDB: a store outside the default table (ports::KNOWN_PORTS).
            vec![firewall_entry("tcp", &["8086"])],
        )];
        assert_eq!(
            run(&FirewallNoPublicDbPorts, &inv).status_of("influx"),
            Status::Pass
        );
        let mut config = Config::default();
        config.params.db_ports.push(8086);
        let f = run_with(&FirewallNoPublicDbPorts, &inv, &config);
        assert_eq!(f.status_of("influx"), Status::Fail);
    }
}
