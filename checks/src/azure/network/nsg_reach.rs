//! Which sources an NSG really admits, rule by rule, in Azure's priority order: shared by
//! `azure-nsg-db-tier-bastion-only` and `azure-bastion-restricted`.
//!
//! Decisions a newcomer may question:
//! - Default rules count here (unlike the internet-exposure checks): `AllowVnetInBound`
//!   admits every port from the `VirtualNetwork` tag, which includes peered networks and
//!   on-premises ranges, so a data tier or a bastion is only as closed as the custom Deny
//!   that shadows it.
//! - Shadowing is credited when one higher-priority Deny covers the port (or, for a
//!   question about every port, has port `*`), has protocol `*` or the Allow's own, and
//!   covers the source: the same string, `*`/`Any`, or a CIDR containing the Allow's CIDR.
//!   Anything less is not credited: the source counts as admitted, erring towards FAIL.
//! - Destination application security groups narrow a rule to those groups' NICs; a rule
//!   aimed at other groups does not reach the protected NICs. Destination address prefixes
//!   are not modelled (an NSG on a subnet admitting a source to any address in it counts).

use phiscan_core::model::azure::{NetworkSecurityGroup, NsgRule};
use phiscan_core::network::Cidr;

use crate::common::PortRange;
use crate::reach::{admitted, Protocol};

/// One source an Allow rule admits (an address prefix, a service tag or an application
/// security group id), with the rule.
#[derive(Debug, Clone)]
pub(crate) struct Source<'a> {
    pub rule: &'a NsgRule,
    pub source: &'a str,
    pub asg: bool,
}

fn inbound(r: &NsgRule) -> bool {
    r.direction.eq_ignore_ascii_case("Inbound")
}

/// The rule's destination port ranges; a rule without one, or with one that does not
/// parse, counts as every port (towards FAIL on an Allow).
pub(crate) fn port_ranges(rule: &NsgRule) -> Vec<PortRange> {
    let parsed: Vec<Option<PortRange>> = rule
        .destination_port_ranges
        .iter()
        .map(|s| PortRange::parse(s))
        .collect();
    if parsed.is_empty() || parsed.iter().any(Option::is_none) {
        return vec![PortRange::ALL];
    }
    parsed.into_iter().flatten().collect()
}

/// The ports of `watched` the rule admits.
pub(crate) fn rule_ports(rule: &NsgRule, watched: &[u16]) -> Vec<u16> {
    let proto = Protocol::parse(&rule.protocol);
    let mut ports: Vec<u16> = port_ranges(rule)
        .into_iter()
        .flat_map(|r| admitted(proto, r, watched))
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports
}

/// Whether a Deny source covers an Allow source.
fn covers(deny: &str, allow: &str) -> bool {
    let (d, a) = (deny.trim(), allow.trim());
    if d == "*" || d.eq_ignore_ascii_case("any") || d.eq_ignore_ascii_case(a) {
        return true;
    }
    match (Cidr::parse(d), Cidr::parse(a)) {
        (Ok(d), Ok(a)) => d.contains(&a),
        _ => false,
    }
}

/// The higher-priority Deny that blocks `source` of `allow` on `port` (`None`: a question
/// about every port, only a Deny on `*` counts).
pub(crate) fn denied_by<'a>(
    nsg: &'a NetworkSecurityGroup,
    allow: &Source,
    port: Option<u16>,
) -> Option<&'a NsgRule> {
    nsg.rules.iter().find(|d| {
        inbound(d)
            && d.access.eq_ignore_ascii_case("Deny")
            && d.priority < allow.rule.priority
            && (d.protocol == "*" || d.protocol.eq_ignore_ascii_case(&allow.rule.protocol))
            && match port {
                Some(p) => port_ranges(d).iter().any(|r| r.contains(p)),
                None => port_ranges(d).iter().any(|r| r.is_all()),
            }
            && if allow.asg {
                d.source_address_prefixes.iter().any(|s| covers(s, "*"))
                    || d.source_application_security_groups
                        .iter()
                        .any(|g| g.eq_ignore_ascii_case(allow.source))
            } else {
                d.source_address_prefixes.iter().any(|s| covers(s, allow.source))
            }
    })
}

/// Every (Allow rule, source) of the NSG's inbound rules, custom and default, that can
/// reach NICs in `asgs` (the protected NICs' application security groups).
pub(crate) fn allow_sources<'a>(nsg: &'a NetworkSecurityGroup, asgs: &[String]) -> Vec<Source<'a>> {
    nsg.rules
        .iter()
        .filter(|r| inbound(r) && r.access.eq_ignore_ascii_case("Allow"))
        .filter(|r| {
            r.destination_application_security_groups.is_empty()
                || r.destination_application_security_groups
                    .iter()
                    .any(|g| asgs.iter().any(|a| a.eq_ignore_ascii_case(g)))
        })
        .flat_map(|r| {
            let prefixes = r.source_address_prefixes.iter().map(move |s| Source {
                rule: r,
                source: s.as_str(),
                asg: false,
            });
            let groups = r.source_application_security_groups.iter().map(move |g| Source {
                rule: r,
                source: g.as_str(),
                asg: true,
            });
            prefixes.chain(groups)
        })
        .collect()
}

/// Azure's service tags for its own platform traffic that reaches every NIC: the load
/// balancer's health probes (168.63.129.16), not a client network.
pub(crate) fn is_platform_probe(source: &str) -> bool {
    source.trim().eq_ignore_ascii_case("AzureLoadBalancer")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::{network_security_group, nsg_rule};

    #[test]
    fn a_higher_priority_deny_shadows_only_what_it_covers() {
        let rules = vec![
            nsg_rule("deny-vnet", 4000, "Deny", "*", "*", "VirtualNetwork"),
            nsg_rule("deny-ssh-10", 100, "Deny", "Tcp", "22", "10.0.0.0/8"),
            nsg_rule("allow-pg", 200, "Allow", "Tcp", "5432", "10.1.2.0/24"),
            nsg_rule("allow-ssh", 300, "Allow", "Tcp", "22", "10.1.2.0/24"),
        ];
        let nsg = network_security_group("n", rules);
        let sources = allow_sources(&nsg, &[]);
        let find = |rule: &str, src: &str| {
            sources
                .iter()
                .find(|s| s.rule.name == rule && s.source == src)
                .unwrap()
                .clone()
        };
        let vnet = find("AllowVnetInBound", "VirtualNetwork");
        assert_eq!(denied_by(&nsg, &vnet, Some(5432)).unwrap().name, "deny-vnet");
        assert_eq!(denied_by(&nsg, &vnet, None).unwrap().name, "deny-vnet");
        assert!(denied_by(&nsg, &find("allow-pg", "10.1.2.0/24"), Some(5432)).is_none());
        assert_eq!(
            denied_by(&nsg, &find("allow-ssh", "10.1.2.0/24"), Some(22)).unwrap().name,
            "deny-ssh-10"
        );
        assert_eq!(rule_ports(&nsg.rules[2], &[22, 5432, 6379]), vec![5432]);
        assert_eq!(rule_ports(&nsg.rules[0], &[22, 5432]), vec![22, 5432]);
    }
}
