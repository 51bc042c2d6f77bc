//! Shared logic of the two security-group exposure checks (admin ports, database ports):
//! which ingress rules open which watched ports to the whole internet.

use phiscan_core::check::{Ctx, Finding, FindingError};
use phiscan_core::model::aws::{SecurityGroup, SgRule};
use serde_json::json;

use crate::common::{is_internet_source, opened, PortRange};

/// One rule that opens watched ports to the internet.
pub(crate) struct Exposure<'a> {
    pub rule: &'a SgRule,
    pub sources: Vec<&'a str>,
    pub ports: Vec<u16>,
}

/// The ingress rules of `sg` that open any of `watched` (or all traffic) to 0.0.0.0/0 or ::/0.
/// Also used by `aws-rds-instance-not-public` to say whether a database's port is reachable.
pub(crate) fn exposures<'a>(sg: &'a SecurityGroup, watched: &[u16]) -> Vec<Exposure<'a>> {
    sg.ingress
        .iter()
        .filter_map(|rule| {
            let sources: Vec<&str> = rule
                .ipv4_ranges
                .iter()
                .chain(&rule.ipv6_ranges)
                .map(String::as_str)
                .filter(|s| is_internet_source(s))
                .collect();
            // ICMP "ports" are type/code, not ports: only TCP, UDP and all-traffic matter.
            let proto = rule.protocol.to_ascii_lowercase();
            if sources.is_empty()
                || !matches!(proto.as_str(), "tcp" | "udp" | "-1" | "all" | "6" | "17")
            {
                return None;
            }
            let range = if proto == "-1" || proto == "all" {
                PortRange::ALL
            } else {
                PortRange::from_bounds(rule.from_port, rule.to_port)
            };
            let ports = opened(range, watched);
            (!ports.is_empty()).then_some(Exposure {
                rule,
                sources,
                ports,
            })
        })
        .collect()
}

/// One finding per security group: FAIL when any ingress rule opens a watched port (or all
/// traffic) to 0.0.0.0/0 or ::/0.
pub fn evaluate(ctx: &Ctx, watched: &[u16], what: &str) -> Result<Vec<Finding>, FindingError> {
    ctx.resources::<SecurityGroup>()
        .iter()
        .map(|sg| {
            let found = exposures(sg, watched);
            let rules: Vec<serde_json::Value> = found
                .iter()
                .map(|e| {
                    json!({
                        "protocol": e.rule.protocol,
                        "from_port": e.rule.from_port,
                        "to_port": e.rule.to_port,
                        "sources": e.sources,
                        "watched_ports_opened": e.ports,
                    })
                })
                .collect();
            let mut ports: Vec<u16> = found.iter().flat_map(|e| e.ports.clone()).collect();
            ports.sort_unstable();
            ports.dedup();
            let attached = if sg.attached_to.is_empty() {
                "It is attached to nothing today, but any resource it is attached to later is exposed.".to_string()
            } else {
                format!("It is attached to {}.", sg.attached_to.join(", "))
            };
            let reason = if found.is_empty() {
                format!("No ingress rule opens {what} ports to 0.0.0.0/0 or ::/0.")
            } else {
                format!(
                    "Ingress open to the internet on {what} port(s) {}. {attached}",
                    ports
                        .iter()
                        .map(u16::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            ctx.verdict(found.is_empty(), &sg.resource)
                .evidence("group_id", &sg.group_id)
                .evidence("vpc_id", &sg.vpc_id)
                .evidence("watched_ports", watched)
                .evidence("public_rules", rules)
                .evidence("attached_to", &sg.attached_to)
                .reason(reason)
                .build()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{security_group, sg_rule};

    #[test]
    fn icmp_and_private_sources_do_not_count() {
        let g = security_group(
            "sg",
            vec![
                sg_rule("icmp", Some(-1), Some(-1), "0.0.0.0/0"),
                sg_rule("tcp", Some(22), Some(22), "10.0.0.0/8"),
            ],
        );
        assert!(exposures(&g, &[22]).is_empty());
    }

    #[test]
    fn all_traffic_and_ranges_count() {
        let g = security_group("sg", vec![sg_rule("-1", None, None, "::/0")]);
        assert_eq!(exposures(&g, &[22, 3389])[0].ports, vec![22, 3389]);
        let g = security_group("sg", vec![sg_rule("tcp", Some(0), Some(1024), "0.0.0.0/0")]);
        assert_eq!(exposures(&g, &[22, 3389])[0].ports, vec![22]);
    }
}
