use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::{AuthorizedNetwork, SqlInstance};

use crate::common::is_internet_source;

declare_check! {
    /// ## What it checks
    /// No Cloud SQL instance with a public IPv4 address (`ipv4Enabled`) lists `0.0.0.0/0` or
    /// `::/0` among its authorized networks. A public IP restricted to specific networks
    /// PASSes, and the evidence and reason say that the public IP is on. Without a public IP
    /// the authorized networks admit nothing, so the instance PASSes whatever they list.
    ///
    /// ## Why it matters
    /// Janus HCP's database servers are meant to be reached only from the application tier
    /// and through the bastion host. An instance open to every address on the internet
    /// exposes ePHI to password guessing and engine exploits (access control,
    /// 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `ipv4_enabled`, `authorized_networks` (name and CIDR of each) and
    /// `internet_wide_networks` (the entries that admit the whole internet).
    ///
    /// ## Remediation
    /// Remove the world-wide entry with `gcloud sql instances patch <instance>
    /// --authorized-networks=<office-cidr>,...` (the list replaces the old one), or better
    /// turn the public IP off with `--no-assign-ip` after giving the instance a private IP
    /// (`--network=<vpc>`) and connecting through the Cloud SQL Auth Proxy.
    pub struct SqlInstanceNoPublicNetwork {
        id: "gcp-sql-instance-no-public-network",
        title: "Cloud SQL instances are not open to the whole internet",
        severity: Critical,
        provider: Gcp,
        kinds: [GcpSqlInstance],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for SqlInstanceNoPublicNetwork {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SqlInstance>()
            .iter()
            .map(|i| {
                let world: Vec<&AuthorizedNetwork> = i
                    .authorized_networks
                    .iter()
                    .filter(|n| is_internet_source(&n.value))
                    .collect();
                let world_cidrs: Vec<&str> = world.iter().map(|n| n.value.as_str()).collect();
                let (ok, reason) = match (i.ipv4_enabled, world.is_empty()) {
                    (true, false) => (
                        false,
                        format!(
                            "The instance has a public IP and its authorized networks admit the whole internet ({}).",
                            world_cidrs.join(", ")
                        ),
                    ),
                    (true, true) => (
                        true,
                        format!(
                            "The public IP is on, but only {} authorized network(s) are admitted and none is 0.0.0.0/0 or ::/0.",
                            i.authorized_networks.len()
                        ),
                    ),
                    (false, false) => (
                        true,
                        format!(
                            "The instance has no public IP, so its world-wide authorized network entries ({}) admit nothing.",
                            world_cidrs.join(", ")
                        ),
                    ),
                    (false, true) => (true, "The instance has no public IP.".to_string()),
                };
                ctx.verdict(ok, &i.resource)
                    .evidence("ipv4_enabled", i.ipv4_enabled)
                    .evidence("authorized_networks", &i.authorized_networks)
                    .evidence("internet_wide_networks", world)
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

    fn with(id: &str, ipv4: bool, cidrs: &[&str]) -> SqlInstance {
        let mut i = sql_instance(id);
        i.ipv4_enabled = ipv4;
        i.authorized_networks = cidrs
            .iter()
            .map(|c| AuthorizedNetwork {
                name: None,
                value: c.to_string(),
            })
            .collect();
        i
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.gcp_sql_instances = vec![
            with("public-world", true, &["203.0.113.0/24", "0.0.0.0/0"]),
            with("public-world-v6", true, &["::/0"]),
            with("public-office", true, &["203.0.113.0/24"]),
            with("private-stale-world", false, &["0.0.0.0/0"]),
            with("private", false, &[]),
        ];
        let f = run(&SqlInstanceNoPublicNetwork, &inv);
        assert_eq!(f.status_of("public-world"), Status::Fail);
        assert_eq!(
            f.evidence_of("public-world", "internet_wide_networks")[0]["value"],
            "0.0.0.0/0"
        );
        assert_eq!(f.status_of("public-world-v6"), Status::Fail);
        assert_eq!(f.status_of("public-office"), Status::Pass);
        assert_eq!(f.evidence_of("public-office", "ipv4_enabled"), true);
        assert!(f.of("public-office").reason.contains("public IP is on"));
        assert_eq!(f.status_of("private-stale-world"), Status::Pass);
        assert_eq!(f.status_of("private"), Status::Pass);
    }
}
