use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{Ec2Instance, SecurityGroup};
use serde_json::Value;

use crate::aws::segmentation::{bastion_groups, source_evidence, sources, Source};
use crate::common::{missing_setting, PortRange};
use crate::reach::{within, Protocol};

declare_check! {
    /// ## What it checks
    /// Every security group of a bastion (tagged with `segmentation.bastion_tag`, or
    /// attached to an instance that is) admits SSH only (TCP 22, nothing else, no
    /// all-traffic rule) and only from address ranges inside `segmentation.admin_cidrs`
    /// (the administrators' VPN). Rules naming other security groups or prefix lists fail:
    /// they admit addresses phiscan cannot hold to the admin ranges. Without
    /// `segmentation.bastion_tag` no bastion can be told apart and every security group is
    /// NOT_APPLICABLE; without `segmentation.admin_cidrs` the bastion's groups are.
    ///
    /// ## Why it matters
    /// The bastion is the one door to the database servers: the policies allow "an SSH
    /// connection through the bastion host" from administrators over the VPN. Any other port
    /// or source widens that door for everyone (access control, 45 CFR 164.312(a)(1);
    /// access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `group_id`, `admin_cidrs`, `attached_to` and `rules` (protocol, ports, source,
    /// `allowed` and `why` for each source of each inbound rule).
    ///
    /// ## Remediation
    /// Revoke every inbound rule but TCP 22 from the VPN's range:
    /// `aws ec2 revoke-security-group-ingress --group-id <sg> ...`, then
    /// `aws ec2 authorize-security-group-ingress --group-id <sg> --protocol tcp --port 22
    /// --cidr <admin range>`.
    pub struct BastionRestricted {
        id: "aws-ec2-bastion-restricted",
        title: "Bastion security groups admit only SSH, only from the admin ranges",
        severity: High,
        provider: Aws,
        kinds: [AwsEc2SecurityGroup, AwsEc2Instance],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for BastionRestricted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let seg = ctx.config.segmentation();
        let groups = ctx.resources::<SecurityGroup>();
        let bastions = match bastion_groups(seg, groups, ctx.resources::<Ec2Instance>()) {
            Ok(b) => b,
            Err(missing) => {
                return groups
                    .iter()
                    .map(|g| missing_setting(ctx, &g.resource, missing))
                    .collect()
            }
        };
        groups
            .iter()
            .filter(|g| bastions.contains(&g.group_id))
            .map(|g| {
                let admin = match seg.admin_cidrs() {
                    Ok(a) => a,
                    Err(missing) => return missing_setting(ctx, &g.resource, missing),
                };
                let mut rules: Vec<Value> = Vec::new();
                let mut bad = 0;
                // Every inbound rule is an opening of the bastion, whatever its protocol
                // (ICMP included): each source of each rule is judged.
                let openings = g
                    .ingress
                    .iter()
                    .flat_map(|rule| sources(rule).map(move |source| (rule, source)));
                for (rule, source) in openings {
                    let ssh_only = Protocol::parse(&rule.protocol) == Protocol::Tcp
                        && PortRange::from_bounds(rule.from_port, rule.to_port)
                            == PortRange { from: 22, to: 22 };
                    let (ok, why) = match (&source, ssh_only) {
                        (_, false) => (false, "admits more than SSH (TCP 22)".to_string()),
                        (Source::Range(r), true) if within(r, admin) => {
                            (true, "SSH from an admin range".to_string())
                        }
                        (Source::Range(r), true) => (false, format!("SSH from {r}, outside the admin ranges")),
                        (other, true) => (
                            false,
                            format!("SSH from {}, which is no admin address range", other.label()),
                        ),
                    };
                    bad += usize::from(!ok);
                    rules.push(source_evidence(g, rule, &source, Value::Null, ok, &why));
                }
                let reason = if bad == 0 {
                    "The bastion's group admits only SSH from the admin ranges.".to_string()
                } else {
                    format!("{bad} inbound rule source(s) of the bastion's group admit more than SSH from the admin ranges (see rules).")
                };
                ctx.verdict(bad == 0, &g.resource)
                    .evidence("group_id", &g.group_id)
                    .evidence("admin_cidrs", admin.iter().map(|c| c.to_string()).collect::<Vec<_>>())
                    .evidence("attached_to", &g.attached_to)
                    .evidence("rules", rules)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{ec2_instance, security_group, sg_rule};
    use crate::testing::{run, run_with, segmented};
    use phiscan_core::{Inventory, Status};

    fn tagged(id: &str, rules: Vec<phiscan_core::model::aws::SgRule>) -> SecurityGroup {
        let mut g = security_group(id, rules);
        g.resource = g.resource.with_tag("role", "bastion");
        g
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut host = ec2_instance("i-bastion");
        host.security_groups = vec!["sg-by-instance".into()];
        host.resource = host.resource.with_tag("role", "bastion");
        inv.aws_ec2_instances = vec![host];
        let mut from_group = sg_rule("tcp", Some(22), Some(22), "10.8.0.0/16");
        from_group.ipv4_ranges.clear();
        from_group.source_groups = vec!["sg-x".into()];
        inv.aws_ec2_security_groups = vec![
            tagged("sg-vpn-ssh", vec![sg_rule("tcp", Some(22), Some(22), "10.8.3.0/24")]),
            tagged("sg-office-ssh", vec![sg_rule("tcp", Some(22), Some(22), "203.0.113.0/24")]),
            tagged("sg-rdp-too", vec![
                sg_rule("tcp", Some(22), Some(22), "10.8.0.0/16"),
                sg_rule("tcp", Some(3389), Some(3389), "10.8.0.0/16"),
            ]),
            tagged("sg-range", vec![sg_rule("tcp", Some(20), Some(23), "10.8.0.0/16")]),
            tagged("sg-all", vec![sg_rule("-1", None, None, "10.8.0.0/16")]),
            // Ping from anywhere is an opening too, although it has no port.
            tagged("sg-icmp", vec![
                sg_rule("tcp", Some(22), Some(22), "10.8.0.0/16"),
                sg_rule("icmp", Some(8), Some(-1), "0.0.0.0/0"),
            ]),
            tagged("sg-group-ref", vec![from_group]),
            security_group("sg-by-instance", vec![sg_rule("tcp", Some(22), Some(22), "0.0.0.0/0")]),
            // Not a bastion's: not judged.
            security_group("sg-app", vec![sg_rule("tcp", Some(22), Some(22), "0.0.0.0/0")]),
        ];
        let f = run_with(&BastionRestricted, &inv, &segmented());
        f.assert_statuses(&[
            ("sg-vpn-ssh", Status::Pass),
            ("sg-office-ssh", Status::Fail),
            ("sg-rdp-too", Status::Fail),
            ("sg-range", Status::Fail),
            ("sg-all", Status::Fail),
            ("sg-icmp", Status::Fail),
            ("sg-group-ref", Status::Fail),
            ("sg-by-instance", Status::Fail),
        ]);
        assert_eq!(f.0.len(), 8);
        let icmp = &f.evidence_of("sg-icmp", "rules")[1];
        assert_eq!(icmp["protocol"], "icmp");
        assert_eq!(icmp["why"], "admits more than SSH (TCP 22)");
        assert_eq!(f.evidence_of("sg-rdp-too", "rules")[1]["allowed"], false);
        // Without the settings: every group NOT_APPLICABLE, naming the bastion tag.
        let f = run(&BastionRestricted, &inv);
        assert_eq!(f.status_of("sg-app"), Status::NotApplicable);
        assert!(f.of("sg-app").reason.contains("segmentation.bastion_tag"));
    }
}
