//! What the AWS segmentation checks share (issue 14): which security groups belong to a
//! bastion, which customer a group or resource belongs to, the databases (RDS instances and
//! data-tier EC2 instances) with their groups, and the admitting rules of a group judged
//! source by source. The cloud-neutral parts (protocols, port ranges, where an address range
//! sits) are `crate::reach`; the settings are `phiscan_core::config::Segmentation`.

use std::collections::{BTreeSet, HashMap};

use phiscan_core::config::{Missing, Segmentation};
use phiscan_core::model::aws::{Ec2Instance, RdsInstance, SecurityGroup, SgRule, Vpc};
use phiscan_core::network::Cidr;
use phiscan_core::ResourceRef;
use serde_json::{json, Value};

use crate::common::PortRange;
use crate::index::{all_by, first_by};
use crate::reach::{admitted, place, Protocol, RangePlace};

/// The groups of bastions: tagged with `bastion_tag` themselves, or attached to an instance
/// that is.
pub fn bastion_groups(
    seg: &Segmentation,
    groups: &[SecurityGroup],
    instances: &[Ec2Instance],
) -> Result<BTreeSet<String>, Missing> {
    let tag = seg.bastion_tag()?;
    let mut out: BTreeSet<String> = groups
        .iter()
        .filter(|g| tag.matches(&g.resource.tags))
        .map(|g| g.group_id.clone())
        .collect();
    for i in instances.iter().filter(|i| tag.matches(&i.resource.tags)) {
        out.extend(i.security_groups.iter().cloned());
    }
    Ok(out)
}

/// A database: a managed RDS instance (Aurora members included), or an EC2 instance
/// carrying the data-tier tag.
pub struct Database<'a> {
    pub resource: &'a ResourceRef,
    pub what: &'static str,
    pub groups: &'a [String],
}

/// Every database of the inventory; data-tier instances only when `data_tier_tag` is set
/// (the second value says so when it is not).
pub fn databases<'a>(
    seg: &Segmentation,
    rds: &'a [RdsInstance],
    instances: &'a [Ec2Instance],
) -> (Vec<Database<'a>>, Option<Missing>) {
    let mut out: Vec<Database> = rds
        .iter()
        .map(|d| Database {
            resource: &d.resource,
            what: "RDS instance",
            groups: &d.vpc_security_groups,
        })
        .collect();
    match seg.data_tier_tag() {
        Ok(tag) => out.extend(
            instances
                .iter()
                .filter(|i| i.state != "terminated" && tag.matches(&i.resource.tags))
                .map(|i| Database {
                    resource: &i.resource,
                    what: "data-tier EC2 instance",
                    groups: &i.security_groups,
                }),
        ),
        Err(m) => return (out, Some(m)),
    }
    (out, None)
}

/// The security groups, VPCs and instances of the inventory by the keys the data-tier
/// check looks them up by, gathered once: scanning every group of every account for each
/// rule of each database made an evaluation quadratic in the accounts.
pub struct Lookup<'a> {
    groups: HashMap<(&'a str, &'a str), &'a SecurityGroup>,
    vpcs: HashMap<(&'a str, &'a str), Vec<&'a Vpc>>,
    /// Group id -> the instances it is attached to.
    carriers: HashMap<&'a str, Vec<&'a Ec2Instance>>,
}

impl<'a> Lookup<'a> {
    pub fn new(groups: &'a [SecurityGroup], vpcs: &'a [Vpc], instances: &'a [Ec2Instance]) -> Self {
        let mut carriers: HashMap<&str, Vec<&Ec2Instance>> = HashMap::new();
        for i in instances {
            for g in &i.security_groups {
                carriers.entry(g.as_str()).or_default().push(i);
            }
        }
        Lookup {
            groups: first_by(groups, |g| {
                Some((g.resource.account.as_str(), g.group_id.as_str()))
            }),
            vpcs: all_by(vpcs, |v| {
                Some((v.resource.account.as_str(), v.vpc_id.as_str()))
            }),
            carriers,
        }
    }

    /// The group `id` of `account`.
    pub fn group(&self, account: &str, id: &str) -> Option<&'a SecurityGroup> {
        self.groups.get(&(account, id)).copied()
    }

    /// The address ranges of the VPC a group lives in (empty when the VPC is not in the
    /// inventory: then no range counts as inside it).
    pub fn vpc_ranges(&self, g: &SecurityGroup) -> Vec<Cidr> {
        let Some(vpc) = g.vpc_id.as_deref() else {
            return Vec::new();
        };
        self.vpcs
            .get(&(g.resource.account.as_str(), vpc))
            .into_iter()
            .flatten()
            .flat_map(|v| v.cidr_blocks.iter().filter_map(|c| Cidr::parse(c).ok()))
            .collect()
    }

    /// The customer a security group belongs to: its own customer tag, else the one
    /// customer every tagged instance it is attached to names.
    pub fn group_customer(&self, seg: &Segmentation, g: &'a SecurityGroup) -> Option<&'a str> {
        if let Some(c) = seg.customer_of(&g.resource.tags) {
            return Some(c);
        }
        let named: BTreeSet<&str> = self
            .carriers
            .get(g.group_id.as_str())
            .into_iter()
            .flatten()
            .filter_map(|i| seg.customer_of(&i.resource.tags))
            .collect();
        if named.len() == 1 {
            named.first().copied()
        } else {
            None
        }
    }
}

/// Where one source of a rule comes from.
pub enum Source<'a> {
    Range(&'a str),
    Group(&'a str),
    PrefixList(&'a str),
}

impl Source<'_> {
    pub fn label(&self) -> String {
        match self {
            Source::Range(r) => r.to_string(),
            Source::Group(g) => format!("security group {g}"),
            Source::PrefixList(p) => format!("prefix list {p}"),
        }
    }
}

/// One source of one rule admitting watched ports, judged by the caller.
pub struct Admission<'a> {
    pub group: &'a SecurityGroup,
    pub rule: &'a SgRule,
    pub ports: Vec<u16>,
    pub source: Source<'a>,
}

/// Every (rule, source) of `g` admitting a port of `watched` (all-traffic rules admit them
/// all).
pub fn admissions<'a>(g: &'a SecurityGroup, watched: &[u16]) -> Vec<Admission<'a>> {
    let mut out = Vec::new();
    for rule in &g.ingress {
        let range = PortRange::from_bounds(rule.from_port, rule.to_port);
        let ports = admitted(Protocol::parse(&rule.protocol), range, watched);
        if ports.is_empty() {
            continue;
        }
        out.extend(sources(rule).map(|source| Admission {
            group: g,
            rule,
            ports: ports.clone(),
            source,
        }));
    }
    out
}

/// The sources one inbound rule admits: address ranges, then security groups, then prefix
/// lists, in the order the API lists them.
pub fn sources(rule: &SgRule) -> impl Iterator<Item = Source<'_>> {
    rule.ipv4_ranges
        .iter()
        .chain(&rule.ipv6_ranges)
        .map(|r| Source::Range(r))
        .chain(rule.source_groups.iter().map(|s| Source::Group(s)))
        .chain(rule.prefix_lists.iter().map(|p| Source::PrefixList(p)))
}

/// Evidence of one judged admission.
pub fn admission_evidence(a: &Admission, allowed: bool, why: &str) -> Value {
    source_evidence(a.group, a.rule, &a.source, json!(a.ports), allowed, why)
}

/// Evidence of one judged source of an inbound rule; `ports`: the watched ports it opens
/// (null where every port is judged).
pub fn source_evidence(
    g: &SecurityGroup,
    rule: &SgRule,
    source: &Source,
    ports: Value,
    allowed: bool,
    why: &str,
) -> Value {
    json!({
        "group_id": g.group_id,
        "protocol": rule.protocol,
        "from_port": rule.from_port,
        "to_port": rule.to_port,
        "ports": ports,
        "source": source.label(),
        "allowed": allowed,
        "why": why,
    })
}

/// Why an address-range source is (not) allowed to reach a database.
pub fn judge_range(source: &str, vpc: &[Cidr]) -> (bool, String) {
    match place(source, vpc) {
        RangePlace::PrivateInside => (true, "a private range inside the database's VPC".into()),
        other => (false, format!("{} ({source})", other.describe())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{security_group, sg_rule};

    #[test]
    fn all_traffic_and_group_references_are_admissions() {
        let mut all = sg_rule("-1", None, None, "10.0.0.0/16");
        all.source_groups = vec!["sg-app".into()];
        let g = security_group(
            "sg-db",
            vec![all, sg_rule("icmp", Some(-1), Some(-1), "0.0.0.0/0")],
        );
        let a = admissions(&g, &[22, 5432]);
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].ports, vec![22, 5432]);
        assert_eq!(a[1].source.label(), "security group sg-app");
    }

    #[test]
    fn ranges_inside_the_vpc_only() {
        let vpc = vec![Cidr::parse("10.0.0.0/16").unwrap()];
        assert!(judge_range("10.0.4.0/24", &vpc).0);
        assert!(!judge_range("10.1.0.0/16", &vpc).0);
        assert!(!judge_range("0.0.0.0/0", &vpc).1.is_empty());
        assert!(!judge_range("10.0.4.0/24", &[]).0);
    }
}
