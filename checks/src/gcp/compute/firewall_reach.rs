//! Which firewall rules reach an instance and from where, in GCP's priority order: shared by
//! `gcp-firewall-db-tier-bastion-only` and `gcp-firewall-bastion-restricted`.
//!
//! Decisions a newcomer may question:
//! - A rule reaches an instance when it is an enabled INGRESS rule of the instance's network
//!   whose targets are every instance (no target tags or accounts), one of its network tags
//!   or one of its service accounts.
//! - An ingress rule with no source at all admits `0.0.0.0/0`, as the API does.
//! - Shadowing: a Deny that reaches the same instance, at a priority number no higher than
//!   the Allow's (a Deny wins a tie), covering the port (or, for a question about every
//!   port, every port) and the source (the same tag or account, or a range containing the
//!   Allow's range) blocks it first. Anything less is not credited: errs towards FAIL.

use phiscan_core::model::gcp::{ComputeInstance, Firewall, FirewallEntry};
use phiscan_core::network::Cidr;

use crate::common::PortRange;
use crate::gcp::vpc::topology::same_network;
use crate::reach::{admitted, Protocol};

/// The range of Identity-Aware Proxy TCP forwarding: connections from it carry an IAP
/// identity that IAM authorized (`iap.tunnelInstances.accessViaIAP`).
pub(crate) const IAP_RANGE: &str = "35.235.240.0/20";

/// One source of an ingress rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source<'a> {
    Range(&'a str),
    Tag(&'a str),
    Account(&'a str),
}

impl Source<'_> {
    pub(crate) fn describe(&self) -> String {
        match self {
            Source::Range(r) => r.to_string(),
            Source::Tag(t) => format!("tag {t}"),
            Source::Account(a) => format!("service account {a}"),
        }
    }
}

/// Whether `rule` applies to traffic into instance `i`.
pub(crate) fn reaches(rule: &Firewall, i: &ComputeInstance) -> bool {
    let on_network = i
        .network_interfaces
        .iter()
        .any(|n| n.network.as_deref().is_some_and(|x| same_network(x, &rule.network)));
    let targeted = (rule.target_tags.is_empty() && rule.target_service_accounts.is_empty())
        || rule.target_tags.iter().any(|t| i.network_tags.contains(t))
        || rule
            .target_service_accounts
            .iter()
            .any(|a| i.service_accounts.iter().any(|s| s.email.eq_ignore_ascii_case(a)));
    !rule.disabled && rule.direction.eq_ignore_ascii_case("INGRESS") && on_network && targeted
}

/// The rule's sources; none given means `0.0.0.0/0`.
pub(crate) fn sources(rule: &Firewall) -> Vec<Source<'_>> {
    let all: Vec<Source> = rule
        .source_ranges
        .iter()
        .map(|r| Source::Range(r.as_str()))
        .chain(rule.source_tags.iter().map(|t| Source::Tag(t.as_str())))
        .chain(rule.source_service_accounts.iter().map(|a| Source::Account(a.as_str())))
        .collect();
    if all.is_empty() {
        vec![Source::Range("0.0.0.0/0")]
    } else {
        all
    }
}

fn ranges(entry: &FirewallEntry) -> Vec<PortRange> {
    if entry.ports.is_empty() {
        return vec![PortRange::ALL];
    }
    entry
        .ports
        .iter()
        .map(|p| PortRange::parse(p).unwrap_or(PortRange::ALL))
        .collect()
}

/// The ports of `watched` that `entries` admit.
pub(crate) fn entry_ports(entries: &[FirewallEntry], watched: &[u16]) -> Vec<u16> {
    let mut out: Vec<u16> = entries
        .iter()
        .flat_map(|e| {
            let proto = Protocol::parse(&e.ip_protocol);
            ranges(e).into_iter().flat_map(move |r| admitted(proto, r, watched))
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether the Allow entries admit TCP 22 and nothing else.
pub(crate) fn ssh_only(entries: &[FirewallEntry]) -> bool {
    !entries.is_empty()
        && entries.iter().all(|e| {
            Protocol::parse(&e.ip_protocol) == Protocol::Tcp
                && !e.ports.is_empty()
                && ranges(e).iter().all(|r| *r == PortRange { from: 22, to: 22 })
        })
}

fn covers(deny: &Firewall, src: &Source) -> bool {
    sources(deny).iter().any(|d| match (d, src) {
        (Source::Range(d), Source::Range(a)) => match (Cidr::parse(d), Cidr::parse(a)) {
            (Ok(d), Ok(a)) => d.contains(&a),
            _ => d == a,
        },
        // A Deny from everywhere covers tags and accounts too (their addresses are inside).
        (Source::Range(d), _) => Cidr::parse(d).is_ok_and(|c| c.is_everything()),
        (d, s) => d == s,
    })
}

/// The Deny rule that blocks `src` of `allow` into `i` on `port` first (`None`: a question
/// about every port, only a Deny of every port counts).
pub(crate) fn denied_by<'a>(
    rules: impl IntoIterator<Item = &'a Firewall>,
    i: &ComputeInstance,
    allow: &Firewall,
    src: &Source,
    port: Option<u16>,
) -> Option<&'a Firewall> {
    rules.into_iter().find(|d| {
        !d.denied.is_empty()
            && d.priority <= allow.priority
            && reaches(d, i)
            && covers(d, src)
            && match port {
                Some(p) => !entry_ports(&d.denied, &[p]).is_empty(),
                None => d.denied.iter().any(|e| {
                    Protocol::parse(&e.ip_protocol) == Protocol::All || ranges(e).iter().any(|r| r.is_all())
                }),
            }
    })
}

/// The Allow rules that reach `i`.
pub(crate) fn allows_into<'a>(
    rules: impl IntoIterator<Item = &'a Firewall>,
    i: &ComputeInstance,
) -> Vec<&'a Firewall> {
    rules
        .into_iter()
        .filter(|r| !r.allowed.is_empty() && reaches(r, i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{compute_instance, firewall, firewall_entry};

    #[test]
    fn targets_sources_and_shadowing() {
        let mut i = compute_instance("db");
        i.network_tags = vec!["db".into()];
        let mut to_db = firewall("to-db", &[], vec![firewall_entry("tcp", &["5432"])]);
        to_db.target_tags = vec!["db".into()];
        to_db.source_tags = vec!["app".into()];
        let mut to_web = firewall("to-web", &["0.0.0.0/0"], vec![firewall_entry("tcp", &["443"])]);
        to_web.target_tags = vec!["web".into()];
        let all = firewall("all", &[], vec![firewall_entry("all", &[])]);
        let mut deny = firewall("deny-app", &[], vec![]);
        deny.denied = vec![firewall_entry("tcp", &[])];
        deny.source_tags = vec!["app".into()];
        deny.priority = 900;
        let rules = vec![to_db.clone(), to_web, all.clone(), deny];
        let names: Vec<&str> = allows_into(&rules, &i).iter().map(|r| r.resource.id.as_str()).collect();
        assert_eq!(names, vec!["to-db", "all"]);
        assert_eq!(sources(&all), vec![Source::Range("0.0.0.0/0")]);
        assert_eq!(denied_by(&rules, &i, &to_db, &Source::Tag("app"), Some(5432)).unwrap().resource.id, "deny-app");
        assert!(denied_by(&rules, &i, &all, &Source::Range("0.0.0.0/0"), Some(5432)).is_none());
        assert_eq!(entry_ports(&all.allowed, &[22, 5432]), vec![22, 5432]);
        assert!(ssh_only(&[firewall_entry("tcp", &["22"])]));
        assert!(!ssh_only(&[firewall_entry("tcp", &["22", "3389"])]));
        assert!(!ssh_only(&[firewall_entry("tcp", &[])]));
    }
}
