use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::{ComputeInstance, Firewall};
use serde_json::json;

use super::firewall_reach::{allows_into, denied_by, entry_ports, sources, Source, IAP_RANGE};
use crate::gcp::vpc::topology::{networks_of, ByNetwork};
use crate::reach::{describe_ports, place, within};
use crate::segmentation::{data_tier_ports, not_applicable};

declare_check! {
    /// ## What it checks
    /// Every firewall rule reaching a data-tier instance (labelled
    /// `segmentation.data_tier_tag`), by its network, its network tags or its service
    /// accounts, admits database and admin ports (`params.db_ports`, `params.admin_ports`:
    /// the shared table of issue 14) only from:
    /// - bastions: the network tags and service accounts of instances labelled
    ///   `segmentation.bastion_tag` on the same network;
    /// - the IAP TCP forwarding range `35.235.240.0/20` (each connection authorized by IAM);
    /// - `segmentation.admin_cidrs` (the VPN);
    /// - the data store's own customer: tags and service accounts that only instances of the
    ///   same `customer_tag` carry (its application tier), as the AWS check admits the same
    ///   customer's security groups.
    ///
    /// A higher-priority Deny that covers the source and port shadows an Allow. Managed
    /// databases (Cloud SQL) sit outside the VPC's firewall and are judged by the Cloud SQL
    /// checks. Without `data_tier_tag`, `bastion_tag` or `admin_cidrs` the check is
    /// NOT_APPLICABLE, naming the setting.
    ///
    /// ## Why it matters
    /// "The database servers, where the ePHI resides, ... can only be accessed directly over
    /// an SSH connection through the bastion host": a rule admitting another customer's
    /// instances or the internet to a database port is a path around the bastion (access
    /// control, 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `network_tags`, `service_accounts`, `bastion_tags`, `bastion_accounts`, and `rules`:
    /// each admitting rule and source with the watched ports it opens, whether it is allowed
    /// and why, and the Deny that shadows it if any.
    ///
    /// ## Remediation
    /// Narrow the rule to the bastion: `gcloud compute firewall-rules update <rule>
    /// --source-tags=bastion --source-ranges=""` (or the IAP range), and delete rules that
    /// admit other customers or public ranges.
    pub struct FirewallDbTierBastionOnly {
        id: "gcp-firewall-db-tier-bastion-only",
        title: "Firewall rules admit database and admin ports on the data tier only from the bastion",
        severity: Critical,
        provider: Gcp,
        kinds: [GcpComputeFirewall, GcpComputeInstance],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for FirewallDbTierBastionOnly {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let seg = ctx.config.segmentation();
        let instances = ctx.resources::<ComputeInstance>();
        let rules = ctx.resources::<Firewall>();
        let settings = (seg.data_tier_tag(), seg.bastion_tag(), seg.admin_cidrs());
        let (data_tier, bastion_tag, admin) = match settings {
            (Ok(d), Ok(b), Ok(a)) => (d, b, a),
            (Err(m), _, _) | (_, Err(m), _) | (_, _, Err(m)) => {
                // Which instances are the data tier is unknown without its tag: every
                // instance is told why nothing was judged.
                return instances
                    .iter()
                    .filter(|i| seg.data_tier_tag().map_or(true, |d| d.matches(&i.resource.tags)))
                    .map(|i| not_applicable(ctx, &i.resource, m))
                    .collect();
            }
        };
        let watched = data_tier_ports(ctx);
        let on_network = ByNetwork::new(instances, networks_of);
        let rules_on = ByNetwork::new(rules, |r: &Firewall| [r.network.as_str()]);
        instances
            .iter()
            .filter(|i| data_tier.matches(&i.resource.tags))
            .map(|db| {
                let customer = seg.customer_of(&db.resource.tags);
                // Instances that share a network with the data store.
                let neighbours: Vec<&ComputeInstance> = on_network.on(networks_of(db));
                // The rules of its networks: no other rule reaches it.
                let rules: Vec<&Firewall> = rules_on.on(networks_of(db));
                let bastions: Vec<&&ComputeInstance> = neighbours.iter().filter(|o| bastion_tag.matches(&o.resource.tags)).collect();
                let bastion_tags: Vec<&str> = bastions.iter().flat_map(|b| b.network_tags.iter().map(String::as_str)).collect();
                let bastion_accounts: Vec<&str> = bastions.iter().flat_map(|b| b.service_accounts.iter().map(|s| s.email.as_str())).collect();
                let carriers = |src: &Source| -> Vec<&&ComputeInstance> {
                    neighbours
                        .iter()
                        .filter(|o| match src {
                            Source::Tag(t) => o.network_tags.iter().any(|x| x == t),
                            Source::Account(a) => o.service_accounts.iter().any(|s| s.email.eq_ignore_ascii_case(a)),
                            Source::Range(_) => false,
                        })
                        .collect()
                };
                let judge = |src: &Source| -> (bool, String) {
                    match src {
                        Source::Range(r) if within(r, &[phiscan_core::network::Cidr::parse(IAP_RANGE).expect("the IAP range")]) => {
                            (true, "IAP TCP forwarding: every connection authorized by IAM".into())
                        }
                        Source::Range(r) if within(r, admin) => (true, "inside admin_cidrs".into()),
                        Source::Range(r) => (false, place(r, &[]).describe().into()),
                        Source::Tag(t) if bastion_tags.contains(t) => (true, "a bastion's network tag".into()),
                        Source::Account(a) if bastion_accounts.iter().any(|b| b.eq_ignore_ascii_case(a)) => {
                            (true, "a bastion's service account".into())
                        }
                        other => {
                            let who = carriers(other);
                            let theirs: std::collections::BTreeSet<Option<&str>> =
                                who.iter().map(|o| seg.customer_of(&o.resource.tags)).collect();
                            match (customer, theirs.len(), theirs.iter().next()) {
                                (Some(c), 1, Some(Some(t))) if *t == c => (true, format!("instances of the same customer ({c})")),
                                (_, 0, _) => (false, "no scanned instance carries it: who it admits cannot be shown".into()),
                                _ => (
                                    false,
                                    format!(
                                        "instances of {}",
                                        theirs.iter().map(|t| t.unwrap_or("no customer")).collect::<Vec<_>>().join(", ")
                                    ),
                                ),
                            }
                        }
                    }
                };
                let mut violations = Vec::new();
                let mut evidence = Vec::new();
                for rule in allows_into(rules.iter().copied(), db) {
                    let ports = entry_ports(&rule.allowed, &watched);
                    if ports.is_empty() {
                        continue;
                    }
                    for src in sources(rule) {
                        let (ok, why) = judge(&src);
                        let (open, shadowed): (Vec<u16>, Vec<u16>) =
                            ports.iter().partition(|p| ok || denied_by(rules.iter().copied(), db, rule, &src, Some(**p)).is_none());
                        if !ok && !open.is_empty() {
                            violations.push(format!("{} admits {} from {} ({why})", rule.resource.name, describe_ports(&open), src.describe()));
                        }
                        evidence.push(json!({
                            "rule": rule.resource.name, "priority": rule.priority, "source": src.describe(),
                            "ports": open, "shadowed_ports": shadowed, "allowed": ok, "why": why,
                        }));
                    }
                }
                let reason = if violations.is_empty() {
                    "Database and admin ports are admitted only from bastions, IAP, admin_cidrs or the same customer's instances.".to_string()
                } else {
                    format!("{}.", violations.join("; "))
                };
                ctx.verdict(violations.is_empty(), &db.resource)
                    .evidence("network_tags", &db.network_tags)
                    .evidence("service_accounts", db.service_accounts.iter().map(|s| &s.email).collect::<Vec<_>>())
                    .evidence("bastion_tags", &bastion_tags)
                    .evidence("bastion_accounts", &bastion_accounts)
                    .evidence("rules", evidence)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{compute_instance, firewall, firewall_entry};
    use crate::testing::{run, run_with, segmentation};
    use phiscan_core::{Inventory, Status};

    fn labelled(id: &str, labels: &[(&str, &str)], tags: &[&str]) -> ComputeInstance {
        let mut i = compute_instance(id);
        for (k, v) in labels {
            i.resource.tags.insert(k.to_string(), v.to_string());
        }
        i.network_tags = tags.iter().map(|t| t.to_string()).collect();
        i
    }

    fn rule(id: &str, ranges: &[&str], tags: &[&str], ports: &[&str]) -> Firewall {
        let mut r = firewall(id, ranges, vec![firewall_entry("tcp", ports)]);
        r.target_tags = vec!["db".into()];
        r.source_tags = tags.iter().map(|t| t.to_string()).collect();
        r
    }

    #[test]
    fn only_bastions_iap_vpn_and_the_same_customer_reach_the_data_tier() {
        let mut inv = Inventory::new();
        inv.gcp_compute_instances = vec![
            labelled("db", &[("tier", "data"), ("customer", "northwind")], &["db"]),
            labelled("app", &[("customer", "northwind")], &["app"]),
            labelled("other", &[("customer", "contoso")], &["reports"]),
            labelled("jump", &[("role", "bastion")], &["bastion"]),
        ];
        inv.gcp_compute_firewalls = vec![
            rule("bastion-ssh", &[], &["bastion"], &["22"]),
            rule("iap", &["35.235.240.0/20"], &[], &["22", "5432"]),
            rule("vpn", &["10.8.4.0/24"], &[], &["5432"]),
            rule("app-pg", &[], &["app"], &["5432"]),
            rule("https", &["0.0.0.0/0"], &[], &["443"]),
        ];
        let f = run_with(&FirewallDbTierBastionOnly, &inv, &segmentation());
        assert_eq!(f.status_of("db"), Status::Pass, "{:#?}", f.0);
        assert_eq!(f.0.len(), 1, "only the data tier is judged");

        inv.gcp_compute_firewalls.push(rule("reports-pg", &[], &["reports"], &["5432"]));
        inv.gcp_compute_firewalls.push(rule("world-pg", &["0.0.0.0/0"], &[], &["5432"]));
        let f = run_with(&FirewallDbTierBastionOnly, &inv, &segmentation());
        assert_eq!(f.status_of("db"), Status::Fail);
        let reason = &f.of("db").reason;
        assert!(reason.contains("reports-pg admits 5432 (PostgreSQL) from tag reports (instances of contoso)"), "{reason}");
        assert!(reason.contains("world-pg"), "{reason}");

        // A Deny of every source at a higher priority closes the public rule.
        let mut deny = firewall("deny-world", &["0.0.0.0/0"], vec![]);
        deny.denied = vec![firewall_entry("all", &[])];
        deny.priority = 100;
        inv.gcp_compute_firewalls.retain(|r| r.resource.id != "reports-pg");
        inv.gcp_compute_firewalls.push(deny);
        let f = run_with(&FirewallDbTierBastionOnly, &inv, &segmentation());
        assert_eq!(f.status_of("db"), Status::Pass, "{:#?}", f.of("db"));

        assert_eq!(run(&FirewallDbTierBastionOnly, &inv).status_of("db"), Status::NotApplicable);
    }
}
