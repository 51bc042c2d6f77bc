use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

use super::firewall_exposure;

declare_check! {
    /// ## What it checks
    /// No enabled INGRESS VPC firewall rule allows an administrative port (SSH 22, RDP 3389
    /// by default; `params.admin_ports`) from `0.0.0.0/0` or `::/0`. An allowed entry counts
    /// when its protocol is `all`, `tcp`, `udp`, `6` or `17`; an entry without ports (or
    /// protocol `all`) opens every port. Disabled rules PASS with the reason that they are
    /// disabled (the evidence still shows what they would open); EGRESS rules are
    /// NOT_APPLICABLE. Each rule is judged on its own: a higher-priority deny rule that
    /// shadows it is not credited.
    ///
    /// ## Why it matters
    /// Janus HCP's servers sit behind GCP firewalls and are administered through a bastion
    /// host. SSH or RDP open to the whole internet exposes the hosts that store ePHI to
    /// credential stuffing and exploits, and bypasses the bastion (access control,
    /// 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)). Janus's third-party
    /// policy also limits external access "to the minimum necessary".
    ///
    /// ## Evidence
    /// `network`, `direction`, `disabled`, `priority`, `source_ranges`, `target_tags`,
    /// `target_service_accounts`, `watched_ports` and `public_entries` (for each
    /// internet-facing allowed entry: protocol, ports, `all_ports` when it opens every port,
    /// and the watched ports it opens).
    ///
    /// ## Remediation
    /// Restrict the rule's sources to the bastion's address or to Identity-Aware Proxy's
    /// TCP forwarding range `35.235.240.0/20`, e.g.
    /// `gcloud compute firewall-rules update <rule> --source-ranges=35.235.240.0/20`, or
    /// delete it with `gcloud compute firewall-rules delete <rule>` and use
    /// `gcloud compute ssh --tunnel-through-iap`.
    pub struct FirewallNoPublicAdminPorts {
        id: "gcp-compute-firewall-no-public-admin-ports",
        title: "VPC firewall rules do not open admin ports to the internet",
        severity: Critical,
        provider: Gcp,
        kinds: [GcpComputeFirewall],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for FirewallNoPublicAdminPorts {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        firewall_exposure::evaluate(ctx, &ctx.config.params.admin_ports, "administrative")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{firewall, firewall_entry};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut disabled = firewall(
            "ssh-disabled",
            &["0.0.0.0/0"],
            vec![firewall_entry("tcp", &["22"])],
        );
        disabled.disabled = true;
        let mut egress = firewall(
            "egress-all",
            &["0.0.0.0/0"],
            vec![firewall_entry("all", &[])],
        );
        egress.direction = "EGRESS".into();
        let mut inv = Inventory::new();
        inv.gcp_compute_firewalls = vec![
            firewall(
                "ssh-world",
                &["0.0.0.0/0"],
                vec![firewall_entry("tcp", &["22"])],
            ),
            firewall(
                "rdp-v6",
                &["::/0"],
                vec![firewall_entry("tcp", &["3000-4000"])],
            ),
            firewall(
                "all-world",
                &["0.0.0.0/0"],
                vec![firewall_entry("all", &[])],
            ),
            firewall(
                "https-world",
                &["0.0.0.0/0"],
                vec![firewall_entry("tcp", &["443"])],
            ),
            firewall(
                "ssh-iap",
                &["35.235.240.0/20"],
                vec![firewall_entry("tcp", &["22"])],
            ),
            disabled,
            egress,
        ];
        let f = run(&FirewallNoPublicAdminPorts, &inv);
        assert_eq!(f.status_of("ssh-world"), Status::Fail);
        assert_eq!(f.status_of("rdp-v6"), Status::Fail);
        assert_eq!(f.status_of("all-world"), Status::Fail);
        assert!(f.of("all-world").reason.contains("22, 3389"));
        assert_eq!(f.status_of("https-world"), Status::Pass);
        assert_eq!(f.status_of("ssh-iap"), Status::Pass);
        assert_eq!(f.status_of("ssh-disabled"), Status::Pass);
        assert!(f.of("ssh-disabled").reason.contains("disabled"));
        assert_eq!(f.status_of("egress-all"), Status::NotApplicable);
    }
}
