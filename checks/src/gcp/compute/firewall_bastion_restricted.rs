use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::{ComputeInstance, Firewall};
use phiscan_core::network::Cidr;
use serde_json::json;

use super::firewall_reach::{allows_into, denied_by, sources, ssh_only, Source, IAP_RANGE};
use crate::reach::within;
use crate::segmentation::not_applicable;
use crate::gcp::vpc::topology::{networks_of, ByNetwork};

declare_check! {
    /// ## What it checks
    /// Every firewall rule reaching a bastion (an instance labelled
    /// `segmentation.bastion_tag`) admits SSH (TCP 22) only, and only from
    /// `segmentation.admin_cidrs` or the IAP TCP forwarding range `35.235.240.0/20`, where
    /// IAM authorizes each connection. Rules from other instances' tags or service accounts
    /// fail: a bastion is entered from the VPN. A Deny of every port, at a higher priority,
    /// that covers a source shadows it. Without `bastion_tag` or `admin_cidrs` the check is
    /// NOT_APPLICABLE.
    ///
    /// ## Why it matters
    /// The bastion is the only door to the data tier; "IPtables is configured to restrict
    /// access to only justified ports and protocols" means the door itself admits SSH from
    /// the administrators' network only (access control, 45 CFR 164.312(a)(1); person or
    /// entity authentication, 164.312(d)).
    ///
    /// ## Evidence
    /// `admin_cidrs`, `rules`: each rule and source reaching the bastion, its protocols and
    /// ports, whether it is allowed and why, and the Deny that shadows it if any.
    ///
    /// ## Remediation
    /// `gcloud compute firewall-rules update <rule> --source-ranges=<VPN range> --allow=tcp:22`,
    /// or use IAP (`--source-ranges=35.235.240.0/20`) and delete rules that open other ports.
    pub struct FirewallBastionRestricted {
        id: "gcp-firewall-bastion-restricted",
        title: "Firewall rules admit only SSH from the VPN ranges to bastions",
        severity: Critical,
        provider: Gcp,
        kinds: [GcpComputeFirewall, GcpComputeInstance],
        controls: [AccessControl, PersonEntityAuthentication],
    }
}

impl Check for FirewallBastionRestricted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let seg = ctx.config.segmentation();
        let instances = ctx.resources::<ComputeInstance>();
        let rules = ctx.resources::<Firewall>();
        let tag = match seg.bastion_tag() {
            Ok(t) => t,
            // Which instances are bastions is unknown: every instance is told why.
            Err(m) => {
                return instances
                    .iter()
                    .map(|i| not_applicable(ctx, &i.resource, m))
                    .collect()
            }
        };
        let bastions = instances.iter().filter(|i| tag.matches(&i.resource.tags));
        let admin = match seg.admin_cidrs() {
            Ok(a) => a,
            Err(m) => {
                return bastions
                    .map(|i| not_applicable(ctx, &i.resource, m))
                    .collect()
            }
        };
        let iap = [Cidr::parse(IAP_RANGE).expect("the IAP range")];
        let rules_on = ByNetwork::new(rules, |r: &Firewall| [r.network.as_str()]);
        bastions
            .map(|b| {
                let mut bad = Vec::new();
                let mut evidence = Vec::new();
                // The rules of its networks: no other rule reaches it.
                let rules = rules_on.on(networks_of(b));
                for rule in allows_into(rules.iter().copied(), b) {
                    for src in sources(rule) {
                        let (ok, why) = match src {
                            Source::Range(r) if !(within(r, admin) || within(r, &iap)) => (false, "outside admin_cidrs and the IAP range"),
                            Source::Range(_) if !ssh_only(&rule.allowed) => (false, "more than TCP 22"),
                            Source::Range(_) => (true, "SSH from admin_cidrs or IAP"),
                            _ => (false, "other instances, not the administrators' network"),
                        };
                        let shadow = denied_by(rules.iter().copied(), b, rule, &src, None).map(|d| d.resource.name.clone());
                        if !ok && shadow.is_none() {
                            bad.push(format!("{} admits {} from {} ({why})", rule.resource.name, protocols(rule), src.describe()));
                        }
                        evidence.push(json!({
                            "rule": rule.resource.name, "priority": rule.priority, "source": src.describe(),
                            "allowed_traffic": protocols(rule), "allowed": ok, "why": why, "denied_by": shadow,
                        }));
                    }
                }
                let reason = if bad.is_empty() {
                    "The bastion admits SSH only, from admin_cidrs or IAP only.".to_string()
                } else {
                    format!("{}.", bad.join("; "))
                };
                ctx.verdict(bad.is_empty(), &b.resource)
                    .evidence("admin_cidrs", admin.iter().map(ToString::to_string).collect::<Vec<_>>())
                    .evidence("rules", evidence)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

/// `tcp:22,3389 udp` for reasons.
fn protocols(rule: &Firewall) -> String {
    rule.allowed
        .iter()
        .map(|e| {
            if e.ports.is_empty() {
                e.ip_protocol.clone()
            } else {
                format!("{}:{}", e.ip_protocol, e.ports.join(","))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{compute_instance, firewall, firewall_entry};
    use crate::testing::{run, run_with, segmentation};
    use phiscan_core::{Inventory, Status};

    #[test]
    fn ssh_from_the_vpn_or_iap_only() {
        let mut inv = Inventory::new();
        let bastion = |id: &str, tag: &str| {
            let mut i = compute_instance(id);
            i.resource.tags.insert("role".into(), "bastion".into());
            i.network_tags = vec![tag.into()];
            i
        };
        inv.gcp_compute_instances = vec![bastion("good", "good"), bastion("bad", "bad"), compute_instance("app")];
        let to = |id: &str, target: &str, ranges: &[&str], entry: (&str, &[&str])| {
            let mut r = firewall(id, ranges, vec![firewall_entry(entry.0, entry.1)]);
            r.target_tags = vec![target.into()];
            r
        };
        let mut from_app = to("from-app", "bad", &[], ("tcp", &["22"]));
        from_app.source_tags = vec!["app".into()];
        inv.gcp_compute_firewalls = vec![
            to("vpn-ssh", "good", &["10.8.0.0/24"], ("tcp", &["22"])),
            to("iap-ssh", "good", &["35.235.240.0/20"], ("tcp", &["22"])),
            to("world-ssh", "bad", &["0.0.0.0/0"], ("tcp", &["22"])),
            to("vpn-rdp", "bad", &["10.8.0.0/24"], ("tcp", &["22", "3389"])),
            from_app,
        ];
        let f = run_with(&FirewallBastionRestricted, &inv, &segmentation());
        f.assert_statuses(&[("good", Status::Pass), ("bad", Status::Fail)]);
        let reason = &f.of("bad").reason;
        for rule in ["world-ssh", "vpn-rdp", "from-app"] {
            assert!(reason.contains(rule), "{reason}");
        }
        assert_eq!(f.0.len(), 2, "only bastions are judged");
        let none = run(&FirewallBastionRestricted, &inv);
        assert_eq!(none.status_of("app"), Status::NotApplicable);
        assert!(none.of("app").reason.contains("segmentation.bastion_tag"));
    }
}
