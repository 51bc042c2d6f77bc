use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{NaclEntry, NetworkAcl};
use serde_json::json;

use crate::common::{is_internet_source, PortRange};

declare_check! {
    /// ## What it checks
    /// No network ACL lets the internet (`0.0.0.0/0` or `::/0`) reach an administrative port
    /// (SSH 22, RDP 3389 by default; `params.admin_ports`, the list the security-group check
    /// uses) over TCP or UDP (like the security-group check). Ingress entries are evaluated as AWS does: in rule-number
    /// order, the first entry that matches decides, so a lower-numbered `deny` of
    /// `0.0.0.0/0` on the port wins over a later `allow`. Only entries whose source is the
    /// whole internet decide; entries for narrower ranges do not stop or admit "anyone".
    /// Protocol `-1` covers every protocol and port. Default ACLs are judged too: AWS
    /// creates them allowing all inbound traffic, so they fail until restricted, and ACLs
    /// associated with no subnet are judged because associating them is one call.
    ///
    /// ## Why it matters
    /// Network ACLs are the subnet-level firewall behind the security groups: the policies
    /// promise that only justified ports are open and that ePHI servers are reached only
    /// through the bastion host. An ACL that admits SSH or RDP from anywhere leaves the
    /// security group as the only barrier (access control, 45 CFR 164.312(a)(1); access
    /// authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `nacl_id`, `vpc_id`, `is_default`, `subnet_ids`, `watched_ports` and `open` (for each
    /// exposed port, protocol and address family: the deciding `allow` entry's rule number
    /// and CIDR).
    ///
    /// ## Remediation
    /// Add a `deny` entry for the port from `0.0.0.0/0` (and `::/0`) numbered below the
    /// allowing entry, or narrow the allowing entry to the bastion or corporate range:
    /// `aws ec2 create-network-acl-entry --network-acl-id <acl> --ingress --rule-number 50
    /// --protocol tcp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny`.
    pub struct NaclNoPublicAdminPorts {
        id: "aws-vpc-nacl-no-public-admin-ports",
        title: "Network ACLs do not admit admin ports from the internet",
        severity: High,
        provider: Aws,
        kinds: [AwsEc2NetworkAcl],
        controls: [AccessControl, AccessAuthorization],
    }
}

/// Whether `entry` applies to `proto` (6 = TCP, 17 = UDP) traffic to `port`.
fn matches(entry: &NaclEntry, proto: &str, port: u16) -> bool {
    let p = entry.protocol.to_ascii_lowercase();
    if p == "-1" || p == "all" {
        return true;
    }
    let named = match proto {
        "6" => "tcp",
        _ => "udp",
    };
    (p == proto || p == named)
        && PortRange::from_bounds(entry.port_from, entry.port_to).contains(port)
}

/// The internet-wide source of `entry` in the address family (`v6`), if it has one.
fn internet_source(entry: &NaclEntry, v6: bool) -> Option<&str> {
    let cidr = if v6 {
        entry.ipv6_cidr_block.as_deref()
    } else {
        entry.cidr_block.as_deref()
    };
    cidr.filter(|c| is_internet_source(c))
}

/// The `allow` entry that decides that the internet reaches (`proto`, `port`) in family
/// `v6`, if the first matching internet-wide ingress entry is an allow.
fn deciding_allow<'a>(
    acl: &'a NetworkAcl,
    proto: &str,
    port: u16,
    v6: bool,
) -> Option<&'a NaclEntry> {
    let mut ingress: Vec<&NaclEntry> = acl.entries.iter().filter(|e| !e.egress).collect();
    ingress.sort_by_key(|e| e.rule_number);
    ingress
        .into_iter()
        .find(|e| internet_source(e, v6).is_some() && matches(e, proto, port))
        .filter(|e| e.rule_action.eq_ignore_ascii_case("allow"))
}

impl Check for NaclNoPublicAdminPorts {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let watched = &ctx.config.params.admin_ports;
        ctx.resources::<NetworkAcl>()
            .iter()
            .map(|acl| {
                let mut open = Vec::new();
                let mut ports = Vec::new();
                for &port in watched {
                    for (proto, pname) in [("6", "tcp"), ("17", "udp")] {
                        for v6 in [false, true] {
                            if let Some(e) = deciding_allow(acl, proto, port, v6) {
                                open.push(json!({
                                    "port": port,
                                    "protocol": pname,
                                    "source": internet_source(e, v6),
                                    "rule_number": e.rule_number,
                                }));
                                ports.push(port);
                            }
                        }
                    }
                }
                ports.dedup();
                let reason = if open.is_empty() {
                    "No ingress entry admits administrative ports from 0.0.0.0/0 or ::/0 ahead of a deny.".to_string()
                } else {
                    let default = if acl.is_default {
                        " It is the VPC's default ACL, which AWS creates allowing all inbound traffic."
                    } else {
                        ""
                    };
                    format!(
                        "The internet reaches administrative port(s) {} through this ACL.{default}",
                        ports.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
                    )
                };
                ctx.verdict(open.is_empty(), &acl.resource)
                    .evidence("nacl_id", &acl.nacl_id)
                    .evidence("vpc_id", &acl.vpc_id)
                    .evidence("is_default", acl.is_default)
                    .evidence("subnet_ids", &acl.subnet_ids)
                    .evidence("watched_ports", watched)
                    .evidence("open", &open)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{nacl_entry, network_acl};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn acl(id: &str, entries: Vec<NaclEntry>) -> NetworkAcl {
        let mut a = network_acl(id);
        a.entries.splice(0..0, entries);
        a
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut egress_only = acl("egress-only", vec![]);
        egress_only.entries.push(NaclEntry {
            egress: true,
            ..nacl_entry(100, "-1", "allow", "0.0.0.0/0", None)
        });
        inv.aws_ec2_network_acls = vec![
            acl(
                "default-like",
                vec![nacl_entry(100, "-1", "allow", "0.0.0.0/0", None)],
            ),
            acl(
                "ssh-world",
                vec![nacl_entry(100, "6", "allow", "0.0.0.0/0", Some((22, 22)))],
            ),
            acl(
                "rdp-v6",
                vec![nacl_entry(120, "6", "allow", "::/0", Some((3389, 3389)))],
            ),
            acl(
                "deny-first",
                vec![
                    nacl_entry(50, "6", "deny", "0.0.0.0/0", Some((22, 22))),
                    nacl_entry(60, "6", "deny", "0.0.0.0/0", Some((3389, 3389))),
                    nacl_entry(60, "17", "deny", "0.0.0.0/0", Some((3389, 3389))),
                    nacl_entry(70, "17", "deny", "0.0.0.0/0", Some((22, 22))),
                    nacl_entry(100, "-1", "allow", "0.0.0.0/0", None),
                ],
            ),
            acl(
                "udp-left-open",
                vec![
                    nacl_entry(50, "6", "deny", "0.0.0.0/0", Some((0, 65535))),
                    nacl_entry(100, "-1", "allow", "0.0.0.0/0", None),
                ],
            ),
            acl(
                "deny-after",
                vec![
                    nacl_entry(100, "6", "allow", "0.0.0.0/0", Some((0, 1024))),
                    nacl_entry(200, "6", "deny", "0.0.0.0/0", Some((22, 22))),
                ],
            ),
            acl(
                "narrow-deny-does-not-close",
                vec![
                    nacl_entry(50, "-1", "deny", "198.51.100.0/24", None),
                    nacl_entry(100, "6", "allow", "0.0.0.0/0", Some((22, 22))),
                ],
            ),
            acl(
                "office-only",
                vec![
                    nacl_entry(100, "6", "allow", "203.0.113.0/24", Some((22, 22))),
                    nacl_entry(110, "6", "allow", "0.0.0.0/0", Some((443, 443))),
                ],
            ),
            egress_only,
        ];
        let f = run(&NaclNoPublicAdminPorts, &inv);
        for id in [
            "default-like",
            "ssh-world",
            "rdp-v6",
            "udp-left-open",
            "deny-after",
            "narrow-deny-does-not-close",
        ] {
            assert_eq!(f.status_of(id), Status::Fail, "{id}");
        }
        for id in ["deny-first", "office-only", "egress-only"] {
            assert_eq!(f.status_of(id), Status::Pass, "{id}");
        }
        assert_eq!(
            f.evidence_of("ssh-world", "open"),
            json!([{"port": 22, "protocol": "tcp", "source": "0.0.0.0/0", "rule_number": 100}])
        );
        assert!(f.of("default-like").reason.contains("22, 3389"));
    }
}
