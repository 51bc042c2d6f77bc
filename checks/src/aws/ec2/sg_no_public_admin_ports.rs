use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

use super::sg_exposure;

declare_check! {
    /// ## What it checks
    /// No security group has an ingress rule that opens an administrative port (SSH 22,
    /// RDP 3389 by default; `params.admin_ports`) or all traffic to `0.0.0.0/0` or `::/0`.
    /// Groups attached to nothing are checked too: attaching them later exposes whatever
    /// they are attached to.
    ///
    /// ## Why it matters
    /// The policies promise that servers holding ePHI are reached only through the bastion
    /// host and that firewalls admit only justified ports. An SSH or RDP port open to the
    /// internet invites credential stuffing and exploits against the hosts that store ePHI
    /// (access control, 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `group_id`, `vpc_id`, `watched_ports`, `public_rules` (protocol, port range, the
    /// internet-wide sources and which watched ports each rule opens) and `attached_to`.
    ///
    /// ## Remediation
    /// Replace the rule with one that admits only the bastion host's security group or a
    /// corporate CIDR, or use SSM Session Manager instead of inbound SSH/RDP:
    /// `aws ec2 revoke-security-group-ingress --group-id <sg> --ip-permissions ...`.
    pub struct SgNoPublicAdminPorts {
        id: "aws-ec2-sg-no-public-admin-ports",
        title: "Security groups do not open admin ports to the internet",
        severity: Critical,
        provider: Aws,
        kinds: [AwsEc2SecurityGroup],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for SgNoPublicAdminPorts {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        sg_exposure::evaluate(ctx, &ctx.config.params.admin_ports, "administrative")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{security_group, sg_rule};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.aws_ec2_security_groups = vec![
            security_group(
                "sg-ssh-world",
                vec![sg_rule("tcp", Some(22), Some(22), "0.0.0.0/0")],
            ),
            security_group(
                "sg-rdp-v6",
                vec![sg_rule("tcp", Some(3389), Some(3389), "::/0")],
            ),
            security_group(
                "sg-all-traffic",
                vec![sg_rule("-1", None, None, "0.0.0.0/0")],
            ),
            security_group(
                "sg-https-world",
                vec![sg_rule("tcp", Some(443), Some(443), "0.0.0.0/0")],
            ),
            security_group(
                "sg-ssh-bastion",
                vec![sg_rule("tcp", Some(22), Some(22), "10.0.1.5/32")],
            ),
            security_group("sg-empty", vec![]),
        ];
        let f = run(&SgNoPublicAdminPorts, &inv);
        assert_eq!(f.status_of("sg-ssh-world"), Status::Fail);
        assert_eq!(f.status_of("sg-rdp-v6"), Status::Fail);
        assert_eq!(f.status_of("sg-all-traffic"), Status::Fail);
        assert_eq!(f.status_of("sg-https-world"), Status::Pass);
        assert_eq!(f.status_of("sg-ssh-bastion"), Status::Pass);
        assert_eq!(f.status_of("sg-empty"), Status::Pass);
        assert!(f.of("sg-all-traffic").reason.contains("22, 3389"));
    }
}
