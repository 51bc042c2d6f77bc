//! Shared logic of the two NSG exposure checks (admin ports, database ports): which inbound
//! Allow rules admit the whole internet to which watched ports, once Azure's priority order
//! is taken into account.
//!
//! Decisions a newcomer may question:
//! - Only custom rules count. Default rules (`defaultSecurityRules`) never admit the
//!   internet (AllowVnetInBound, AllowAzureLoadBalancerInBound), and their DenyAllInBound
//!   sits at priority 65500, after every custom rule, so it shadows nothing.
//! - A rule matters when it is Inbound, its protocol is `Tcp`, `Udp` or `*` (ICMP, ESP and
//!   AH have no ports), one of its sources is internet-wide (`*`, `Internet`, `Any`,
//!   `0.0.0.0/0`, `::/0`; see `common::is_internet_source`) and a destination port range
//!   covers a watched port. Destination addresses are not modelled: an NSG admitting the
//!   internet to any of its targets is exposed.
//! - Shadowing, the simple case: Azure evaluates rules by priority (lowest number first)
//!   and stops at the first match. An Allow's (source, port) pair is shadowed when one Deny
//!   rule with a lower priority number covers the port, has protocol `*` or the Allow's own
//!   protocol, and has an internet-wide source covering the same address family (`*`,
//!   `Internet`, `Any` cover IPv4 and IPv6; `0.0.0.0/0` IPv4 only; `::/0` IPv6 only).
//!   Partial denies (a CIDR subset, several denies that only together cover the internet)
//!   are not credited: the port counts as open. That errs towards FAIL, never towards PASS.
//! - A port spec that does not parse counts as all ports on an Allow and as no port on a
//!   Deny, again erring towards FAIL. An Allow with no port range at all counts as all ports.

use phiscan_core::check::{Ctx, Finding, FindingError};
use phiscan_core::model::azure::{NetworkSecurityGroup, NsgRule};
use serde_json::json;

use crate::common::{is_internet_source, opened, PortRange};

/// One Allow rule that admits the internet to watched ports nothing denies first.
struct Exposure<'a> {
    rule: &'a NsgRule,
    sources: Vec<&'a str>,
    ports: Vec<u16>,
}

/// One Allow rule that would admit the internet to watched ports, but a higher-priority
/// Deny blocks them first.
struct Shadowed<'a> {
    rule: &'a NsgRule,
    ports: Vec<u16>,
    denied_by: Vec<&'a str>,
}

/// (IPv4, IPv6) coverage of an internet-wide source.
fn families(source: &str) -> (bool, bool) {
    match source.trim() {
        "0.0.0.0/0" | "0.0.0.0" => (true, false),
        "::/0" | "0::/0" => (false, true),
        _ => (true, true),
    }
}

fn is_inbound(rule: &NsgRule) -> bool {
    !rule.default_rule && rule.direction.eq_ignore_ascii_case("Inbound")
}

/// The rule's destination port ranges; unparsable specs are returned apart.
fn ranges(rule: &NsgRule) -> (Vec<PortRange>, Vec<&str>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for spec in &rule.destination_port_ranges {
        match PortRange::parse(spec) {
            Some(r) => ok.push(r),
            None => bad.push(spec.as_str()),
        }
    }
    (ok, bad)
}

/// The Deny rules that block `source` on `port` before `allow` is reached.
fn shadowing<'a>(
    nsg: &'a NetworkSecurityGroup,
    allow: &NsgRule,
    source: &str,
    port: u16,
) -> Option<&'a NsgRule> {
    let (v4, v6) = families(source);
    nsg.rules.iter().find(|d| {
        is_inbound(d)
            && d.access.eq_ignore_ascii_case("Deny")
            && d.priority < allow.priority
            && (d.protocol == "*" || d.protocol.eq_ignore_ascii_case(&allow.protocol))
            && ranges(d).0.iter().any(|r| r.contains(port))
            && d.source_address_prefixes.iter().any(|s| {
                let (d4, d6) = families(s);
                is_internet_source(s) && (d4 || !v4) && (d6 || !v6)
            })
    })
}

fn analyse<'a>(
    nsg: &'a NetworkSecurityGroup,
    watched: &[u16],
) -> (Vec<Exposure<'a>>, Vec<Shadowed<'a>>) {
    let mut exposed = Vec::new();
    let mut shadowed = Vec::new();
    for rule in nsg
        .rules
        .iter()
        .filter(|r| is_inbound(r) && r.access.eq_ignore_ascii_case("Allow"))
    {
        let proto = rule.protocol.to_ascii_lowercase();
        let sources: Vec<&str> = rule
            .source_address_prefixes
            .iter()
            .map(String::as_str)
            .filter(|s| is_internet_source(s))
            .collect();
        if sources.is_empty() || !matches!(proto.as_str(), "tcp" | "udp" | "*") {
            continue;
        }
        let (parsed, bad) = ranges(rule);
        let all = parsed.is_empty() || !bad.is_empty();
        let candidates: Vec<u16> = if all {
            watched.to_vec()
        } else {
            let mut ports: Vec<u16> = parsed.iter().flat_map(|r| opened(*r, watched)).collect();
            ports.sort_unstable();
            ports.dedup();
            ports
        };
        let (mut open, mut open_sources, mut blocked, mut denied_by) =
            (vec![], vec![], vec![], vec![]);
        for port in candidates {
            let mut port_open = false;
            for s in &sources {
                match shadowing(nsg, rule, s, port) {
                    Some(d) => denied_by.push(d.name.as_str()),
                    None => {
                        port_open = true;
                        open_sources.push(*s);
                    }
                }
            }
            if port_open {
                open.push(port)
            } else {
                blocked.push(port)
            }
        }
        open_sources.sort_unstable();
        open_sources.dedup();
        denied_by.sort_unstable();
        denied_by.dedup();
        if !open.is_empty() {
            exposed.push(Exposure {
                rule,
                sources: open_sources,
                ports: open,
            });
        }
        if !blocked.is_empty() {
            shadowed.push(Shadowed {
                rule,
                ports: blocked,
                denied_by,
            });
        }
    }
    (exposed, shadowed)
}

fn join<T: ToString>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// One finding per NSG: FAIL when an inbound Allow rule admits the internet to a watched
/// port and no higher-priority Deny blocks it first.
pub fn evaluate(ctx: &Ctx, watched: &[u16], what: &str) -> Result<Vec<Finding>, FindingError> {
    ctx.resources::<NetworkSecurityGroup>()
        .iter()
        .map(|nsg| {
            let (exposed, shadowed) = analyse(nsg, watched);
            let public_rules: Vec<serde_json::Value> = exposed
                .iter()
                .map(|e| {
                    json!({
                        "name": e.rule.name,
                        "priority": e.rule.priority,
                        "protocol": e.rule.protocol,
                        "sources": e.sources,
                        "destination_port_ranges": e.rule.destination_port_ranges,
                        "watched_ports_opened": e.ports,
                    })
                })
                .collect();
            let shadowed_rules: Vec<serde_json::Value> = shadowed
                .iter()
                .map(|s| {
                    json!({
                        "name": s.rule.name,
                        "priority": s.rule.priority,
                        "watched_ports_denied_first": s.ports,
                        "denied_by": s.denied_by,
                    })
                })
                .collect();
            let mut ports: Vec<u16> = exposed.iter().flat_map(|e| e.ports.clone()).collect();
            ports.sort_unstable();
            ports.dedup();
            let reason = if exposed.is_empty() {
                let mut r = format!("No inbound Allow rule admits the internet on {what} ports ({}).", join(watched));
                if !shadowed.is_empty() {
                    r.pop();
                    r.push_str(&format!(
                        ": rule(s) {} would, but higher-priority Deny rule(s) {} block those ports first.",
                        join(shadowed.iter().map(|s| s.rule.name.as_str())),
                        join(shadowed.iter().flat_map(|s| s.denied_by.clone()))
                    ));
                }
                r
            } else {
                let attached = if nsg.attached_to.is_empty() {
                    "It is attached to nothing today, but any subnet or NIC it is attached to later is exposed.".to_string()
                } else {
                    format!("It is attached to {}.", join(&nsg.attached_to))
                };
                format!(
                    "Inbound rule(s) {} admit the internet on {what} port(s) {}. {attached}",
                    join(exposed.iter().map(|e| e.rule.name.as_str())),
                    join(&ports)
                )
            };
            ctx.verdict(exposed.is_empty(), &nsg.resource)
                .evidence("watched_ports", watched)
                .evidence("public_rules", public_rules)
                .evidence("shadowed_rules", shadowed_rules)
                .evidence("attached_to", &nsg.attached_to)
                .reason(reason)
                .build()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::{network_security_group, nsg_rule};

    /// An inbound custom rule; `ports` and `sources` are comma-separated.
    /// The three inbound default rules every NSG carries.
    #[test]
    fn icmp_private_outbound_and_defaults_do_not_count() {
        let mut out = nsg_rule("out", 100, "Allow", "Tcp", "22", "*");
        out.direction = "Outbound".into();
        let g = network_security_group(
            "g",
            vec![
                nsg_rule("icmp", 100, "Allow", "Icmp", "*", "Internet"),
                nsg_rule(
                    "vnet",
                    110,
                    "Allow",
                    "Tcp",
                    "22",
                    "10.0.0.0/8,VirtualNetwork",
                ),
                out,
            ],
        );
        let (e, s) = analyse(&g, &[22]);
        assert!(e.is_empty() && s.is_empty());
    }

    #[test]
    fn higher_priority_deny_shadows_same_family_only() {
        let g = network_security_group(
            "g",
            vec![
                nsg_rule("deny-ssh", 100, "Deny", "Tcp", "22", "Internet"),
                nsg_rule("allow-all", 200, "Allow", "Tcp", "*", "*"),
            ],
        );
        let (e, s) = analyse(&g, &[22, 3389]);
        assert_eq!(e[0].ports, vec![3389]);
        assert_eq!(s[0].ports, vec![22]);
        assert_eq!(s[0].denied_by, vec!["deny-ssh"]);
        // A v4-only deny leaves IPv6 (and "*") open.
        let g = network_security_group(
            "g",
            vec![
                nsg_rule("deny-v4", 100, "Deny", "*", "22", "0.0.0.0/0"),
                nsg_rule("allow", 200, "Allow", "Tcp", "22", "0.0.0.0/0,::/0"),
            ],
        );
        let (e, _) = analyse(&g, &[22]);
        assert_eq!(e[0].sources, vec!["::/0"]);
    }

    #[test]
    fn lower_priority_or_narrower_denies_do_not_shadow() {
        let g = network_security_group(
            "g",
            vec![
                nsg_rule("allow", 100, "Allow", "Tcp", "3000-3400", "Any"),
                nsg_rule("deny-later", 200, "Deny", "*", "*", "*"),
            ],
        );
        assert_eq!(analyse(&g, &[22, 3389]).0[0].ports, vec![3389]);
        let g = network_security_group(
            "g",
            vec![
                nsg_rule("deny-udp", 100, "Deny", "Udp", "22", "*"),
                nsg_rule("deny-subset", 110, "Deny", "*", "22", "198.51.100.0/24"),
                nsg_rule("allow", 200, "Allow", "*", "22", "*"),
            ],
        );
        assert_eq!(analyse(&g, &[22]).0[0].ports, vec![22]);
    }

    #[test]
    fn unparsable_ports_err_towards_exposure() {
        let g = network_security_group(
            "g",
            vec![nsg_rule("allow", 100, "Allow", "Tcp", "ssh", "*")],
        );
        assert_eq!(analyse(&g, &[22, 3389]).0[0].ports, vec![22, 3389]);
        let g = network_security_group(
            "g",
            vec![
                nsg_rule("deny", 100, "Deny", "Tcp", "ssh", "*"),
                nsg_rule("allow", 200, "Allow", "Tcp", "22", "*"),
            ],
        );
        assert_eq!(analyse(&g, &[22]).0[0].ports, vec![22]);
    }
}
