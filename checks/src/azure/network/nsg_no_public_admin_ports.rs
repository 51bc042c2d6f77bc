use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

use super::nsg_exposure;

declare_check! {
    /// ## What it checks
    /// No network security group has an inbound Allow rule that admits the internet (`*`,
    /// `Internet`, `Any`, `0.0.0.0/0`, `::/0`) over TCP, UDP or any protocol to an
    /// administrative port (SSH 22, RDP 3389 by default; `params.admin_ports`), unless a
    /// higher-priority (lower number) Deny rule blocks the same port from the internet
    /// first. Default rules never open ports to the internet and are skipped. NSGs attached
    /// to nothing are checked too: attaching them later exposes whatever they protect.
    /// Shadowing is credited only in the simple case of one Deny covering the port, the
    /// protocol and the address family; see the module notes of `nsg_exposure`.
    ///
    /// ## Why it matters
    /// Qolty's policy says internal servers are reached only through a bastion host over a
    /// VPN connection and that access is restricted "to only justified ports and
    /// protocols". SSH or RDP open to the internet invites credential stuffing and exploits
    /// against hosts that store ePHI (access control, 45 CFR 164.312(a)(1); access
    /// authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `watched_ports`, `public_rules` (name, priority, protocol, internet-wide sources,
    /// destination port ranges and the watched ports each rule opens), `shadowed_rules`
    /// (Allow rules whose watched ports a higher-priority Deny blocks first, and by which
    /// rule) and `attached_to` (subnets and NICs).
    ///
    /// ## Remediation
    /// Restrict the rule's source to the bastion's or VPN's address range, or delete it
    /// (`az network nsg rule delete -g <rg> --nsg-name <nsg> -n <rule>`) and use Azure
    /// Bastion or just-in-time VM access instead of open SSH/RDP.
    pub struct NsgNoPublicAdminPorts {
        id: "azure-nsg-no-public-admin-ports",
        title: "NSGs do not open admin ports to the internet",
        severity: Critical,
        provider: Azure,
        kinds: [AzureNetworkSecurityGroup],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for NsgNoPublicAdminPorts {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        nsg_exposure::evaluate(ctx, &ctx.config.params.admin_ports, "administrative")
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
                "ssh-world",
                vec![nsg_rule("ssh", 100, "Allow", "Tcp", "22", "Internet")],
            ),
            network_security_group(
                "rdp-range",
                vec![nsg_rule("rdp", 100, "Allow", "*", "3000-4000", "0.0.0.0/0")],
            ),
            network_security_group(
                "any-port",
                vec![nsg_rule("all", 4096, "Allow", "*", "*", "*")],
            ),
            network_security_group(
                "https-world",
                vec![nsg_rule("https", 100, "Allow", "Tcp", "443", "Internet")],
            ),
            network_security_group(
                "ssh-bastion",
                vec![nsg_rule("ssh", 100, "Allow", "Tcp", "22", "10.20.0.4/32")],
            ),
            network_security_group(
                "ssh-shadowed",
                vec![
                    nsg_rule("deny-admin", 100, "Deny", "*", "22,3389", "Internet"),
                    nsg_rule("legacy-ssh", 300, "Allow", "Tcp", "22", "*"),
                ],
            ),
            network_security_group("defaults-only", vec![]),
        ];
        let f = run(&NsgNoPublicAdminPorts, &inv);
        assert_eq!(f.status_of("ssh-world"), Status::Fail);
        assert_eq!(f.status_of("rdp-range"), Status::Fail);
        assert_eq!(f.status_of("any-port"), Status::Fail);
        assert!(f.of("any-port").reason.contains("22, 3389"));
        assert_eq!(f.status_of("https-world"), Status::Pass);
        assert_eq!(f.status_of("ssh-bastion"), Status::Pass);
        assert_eq!(f.status_of("ssh-shadowed"), Status::Pass);
        assert_eq!(
            f.evidence_of("ssh-shadowed", "shadowed_rules")[0]["denied_by"],
            json!(["deny-admin"])
        );
        assert!(f
            .of("ssh-shadowed")
            .reason
            .contains("Deny rule(s) deny-admin block"));
        assert_eq!(f.status_of("defaults-only"), Status::Pass);
    }
}
