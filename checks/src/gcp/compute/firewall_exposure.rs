//! Shared logic of the two VPC firewall exposure checks (admin ports, database ports):
//! which `allowed` entries of an ingress rule open watched ports to the whole internet.
//!
//! Decisions a newcomer may question:
//! - Each rule is judged on its own. A higher-priority deny rule that shadows an exposing
//!   allow rule is not credited: the allow rule is one priority edit away from taking
//!   effect, and proving shadowing needs target tags and service accounts to line up.
//! - EGRESS rules are NOT_APPLICABLE (they admit nothing). A disabled ingress rule PASSes
//!   with the reason that it is disabled, and the evidence still shows what it would open.
//! - A direction other than `EGRESS` is treated as ingress: the Compute API defaults a rule
//!   without a direction to `INGRESS`.
//! - A port spec that cannot be parsed counts as every port, so malformed data never
//!   passes silently.

use phiscan_core::check::{Ctx, Finding, FindingError};
use phiscan_core::model::gcp::{Firewall, FirewallEntry};
use serde_json::json;

use crate::common::{is_internet_source, opened, PortRange};

/// One `allowed` entry that opens watched ports.
struct Exposure<'a> {
    entry: &'a FirewallEntry,
    ports: Vec<u16>,
    /// The entry opens every port (protocol `all`, no ports listed, or an unparseable spec).
    all_ports: bool,
}

/// TCP, UDP and `all` carry ports; ICMP, ESP, AH and the rest do not reach a listening
/// admin or database service.
fn carries_ports(protocol: &str) -> Option<bool> {
    match protocol.trim().to_ascii_lowercase().as_str() {
        "all" => Some(true),
        "tcp" | "udp" | "6" | "17" => Some(false),
        _ => None,
    }
}

fn entry_ranges(entry: &FirewallEntry, all_protocols: bool) -> Vec<PortRange> {
    if all_protocols || entry.ports.is_empty() {
        return vec![PortRange::ALL];
    }
    entry
        .ports
        .iter()
        .map(|p| PortRange::parse(p).unwrap_or(PortRange::ALL))
        .collect()
}

/// The internet-wide source ranges of a rule.
fn internet_sources(fw: &Firewall) -> Vec<&str> {
    fw.source_ranges
        .iter()
        .map(String::as_str)
        .filter(|s| is_internet_source(s))
        .collect()
}

/// The allowed entries opening watched ports, ignoring direction and the disabled flag
/// (the caller decides what those mean). Empty when no source is internet-wide.
fn exposures<'a>(fw: &'a Firewall, watched: &[u16]) -> Vec<Exposure<'a>> {
    if internet_sources(fw).is_empty() {
        return Vec::new();
    }
    fw.allowed
        .iter()
        .filter_map(|entry| {
            let all = carries_ports(&entry.ip_protocol)?;
            let ranges = entry_ranges(entry, all);
            let mut ports: Vec<u16> = ranges.iter().flat_map(|r| opened(*r, watched)).collect();
            ports.sort_unstable();
            ports.dedup();
            (!ports.is_empty()).then_some(Exposure {
                entry,
                ports,
                all_ports: ranges.iter().any(|r| r.is_all()),
            })
        })
        .collect()
}

fn join_ports(ports: &[u16]) -> String {
    ports
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One finding per firewall rule: NOT_APPLICABLE for egress, PASS for disabled rules and
/// rules opening no watched port to 0.0.0.0/0 or ::/0, FAIL otherwise.
pub fn evaluate(ctx: &Ctx, watched: &[u16], what: &str) -> Result<Vec<Finding>, FindingError> {
    ctx.resources::<Firewall>()
        .iter()
        .map(|fw| {
            let found = exposures(fw, watched);
            let entries: Vec<serde_json::Value> = found
                .iter()
                .map(|e| {
                    json!({
                        "ip_protocol": e.entry.ip_protocol,
                        "ports": e.entry.ports,
                        "all_ports": e.all_ports,
                        "watched_ports_opened": e.ports,
                    })
                })
                .collect();
            let mut ports: Vec<u16> = found.iter().flat_map(|e| e.ports.clone()).collect();
            ports.sort_unstable();
            ports.dedup();
            let targets = if fw.target_tags.is_empty() && fw.target_service_accounts.is_empty() {
                "every instance in the network".to_string()
            } else {
                let mut t: Vec<String> =
                    fw.target_tags.iter().map(|t| format!("tag {t}")).collect();
                t.extend(
                    fw.target_service_accounts
                        .iter()
                        .map(|s| format!("service account {s}")),
                );
                t.join(", ")
            };
            let egress = fw.direction.trim().eq_ignore_ascii_case("EGRESS");
            let builder = if egress {
                ctx.not_applicable(&fw.resource).reason(format!(
                    "The rule is an EGRESS rule (direction {}), so it admits no inbound traffic.",
                    fw.direction
                ))
            } else if fw.disabled {
                let would = if ports.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (if enabled it would open {what} port(s) {} to the internet)",
                        join_ports(&ports)
                    )
                };
                ctx.pass(&fw.resource).reason(format!(
                    "The rule is disabled, so it admits no traffic{would}."
                ))
            } else if found.is_empty() {
                ctx.pass(&fw.resource).reason(format!(
                    "No allowed entry of this ingress rule opens {what} ports to 0.0.0.0/0 or ::/0."
                ))
            } else {
                ctx.fail(&fw.resource).reason(format!(
                    "The ingress rule opens {what} port(s) {} to the internet ({}) on {targets}.",
                    join_ports(&ports),
                    internet_sources(fw).join(", ")
                ))
            };
            builder
                .evidence("network", &fw.network)
                .evidence("direction", &fw.direction)
                .evidence("disabled", fw.disabled)
                .evidence("priority", fw.priority)
                .evidence("source_ranges", &fw.source_ranges)
                .evidence("target_tags", &fw.target_tags)
                .evidence("target_service_accounts", &fw.target_service_accounts)
                .evidence("watched_ports", watched)
                .evidence("public_entries", entries)
                .build()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{firewall, firewall_entry};

    #[test]
    fn protocols_and_port_specs() {
        let w = [22, 3389];
        assert!(exposures(
            &firewall("f", &["0.0.0.0/0"], vec![firewall_entry("icmp", &[])]),
            &w
        )
        .is_empty());
        assert!(exposures(
            &firewall("f", &["10.0.0.0/8"], vec![firewall_entry("all", &[])]),
            &w
        )
        .is_empty());
        let all = firewall("f", &["::/0"], vec![firewall_entry("all", &[])]);
        assert_eq!(exposures(&all, &w)[0].ports, vec![22, 3389]);
        assert!(exposures(&all, &w)[0].all_ports);
        let empty_ports = firewall("f", &["0.0.0.0/0"], vec![firewall_entry("6", &[])]);
        assert_eq!(exposures(&empty_ports, &w)[0].ports, vec![22, 3389]);
        let range = firewall(
            "f",
            &["0.0.0.0/0"],
            vec![firewall_entry("udp", &["20-25", "443"])],
        );
        assert_eq!(exposures(&range, &w)[0].ports, vec![22]);
        assert!(!exposures(&range, &w)[0].all_ports);
        let junk = firewall("f", &["0.0.0.0/0"], vec![firewall_entry("tcp", &["ssh"])]);
        assert_eq!(exposures(&junk, &w)[0].ports, vec![22, 3389]);
    }

    #[test]
    fn mixed_sources_count_when_one_is_internet_wide() {
        let f = firewall(
            "f",
            &["10.0.0.0/8", "0.0.0.0/0"],
            vec![firewall_entry("tcp", &["22"])],
        );
        assert_eq!(internet_sources(&f), vec!["0.0.0.0/0"]);
        assert_eq!(exposures(&f, &[22]).len(), 1);
    }
}
