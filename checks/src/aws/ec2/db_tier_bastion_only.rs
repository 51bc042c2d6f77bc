use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{Ec2Instance, RdsInstance, SecurityGroup, Vpc};
use serde_json::Value;

use crate::aws::segmentation::{
    admission_evidence, admissions, bastion_groups, databases, judge_range, Lookup, Source,
};
use crate::common::missing_setting;
use crate::reach::describe_ports;

declare_check! {
    /// ## What it checks
    /// Every security group attached to a database (an RDS instance, Aurora members
    /// included, or an EC2 instance carrying `segmentation.data_tier_tag`) admits database
    /// and administrative ports (`params.db_ports`, `params.admin_ports`; all-traffic rules
    /// count) only from: the bastion's security groups (`segmentation.bastion_tag` on the
    /// group or its instance), the group itself (the tier's own members), security groups
    /// of the database's own customer (`segmentation.customer_tag`), or private address
    /// ranges inside the database's VPC. Anything else (the internet, public or foreign
    /// private ranges, another customer's or an untagged group, a prefix list) fails.
    /// Without `segmentation.bastion_tag` or `segmentation.customer_tag` the check is
    /// NOT_APPLICABLE and says which setting is missing.
    ///
    /// ## Why it matters
    /// The policies promise that the database servers, where the ePHI resides, "can only be
    /// accessed directly over an SSH connection through the bastion host", on per-customer
    /// segmented networks. A rule admitting another tier or customer breaks both (access
    /// control, 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `database_type`, `customer`, `security_groups`, `watched_ports`, `admitting_rules`
    /// (group, protocol, ports, source, `allowed` and `why`, one entry per source of each rule
    /// admitting a watched port), `security_groups_not_found`.
    ///
    /// ## Remediation
    /// Replace the offending rule by one that names the bastion's security group (or the
    /// customer's application tier), e.g. `aws ec2 revoke-security-group-ingress` then
    /// `aws ec2 authorize-security-group-ingress --source-group <bastion-sg>`.
    pub struct DbTierBastionOnly {
        id: "aws-ec2-db-tier-bastion-only",
        title: "Databases admit database and admin ports only from the bastion, their tier or their VPC",
        severity: High,
        provider: Aws,
        kinds: [AwsRdsInstance, AwsEc2Instance, AwsEc2SecurityGroup, AwsVpc],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for DbTierBastionOnly {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let seg = ctx.config.segmentation();
        let groups = ctx.resources::<SecurityGroup>();
        let instances = ctx.resources::<Ec2Instance>();
        let lookup = Lookup::new(groups, ctx.resources::<Vpc>(), instances);
        let (dbs, tier_missing) = databases(seg, ctx.resources::<RdsInstance>(), instances);
        let settings = bastion_groups(seg, groups, instances)
            .and_then(|b| seg.customer_tag().map(|_| b));
        let mut watched = ctx.config.params.db_ports.clone();
        watched.extend(&ctx.config.params.admin_ports);
        watched.sort_unstable();
        watched.dedup();
        dbs.iter()
            .map(|db| {
                let bastions = match &settings {
                    Ok(b) => b,
                    Err(missing) => return missing_setting(ctx, db.resource, *missing),
                };
                let customer = seg.customer_of(&db.resource.tags);
                let (mut rules, mut missing_groups): (Vec<Value>, Vec<&str>) = (vec![], vec![]);
                let mut bad_ports: Vec<u16> = Vec::new();
                for gid in db.groups {
                    let Some(g) = lookup.group(&db.resource.account, gid) else {
                        missing_groups.push(gid);
                        continue;
                    };
                    let vpc = lookup.vpc_ranges(g);
                    for a in admissions(g, &watched) {
                        let (ok, why) = match &a.source {
                            Source::Range(r) => judge_range(r, &vpc),
                            Source::Group(s) if *s == gid.as_str() => {
                                (true, "the group itself: members of the database's own tier".into())
                            }
                            Source::Group(s) if bastions.contains(*s) => {
                                (true, "a bastion's security group".into())
                            }
                            Source::Group(s) => {
                                let theirs = lookup
                                    .group(&db.resource.account, s)
                                    .and_then(|o| lookup.group_customer(seg, o));
                                match (customer, theirs) {
                                    (Some(c), Some(t)) if c == t => {
                                        (true, format!("a security group of the same customer ({c})"))
                                    }
                                    (_, Some(t)) => (false, format!("a security group of customer {t:?}")),
                                    (_, None) => (
                                        false,
                                        "a security group that is neither a bastion's nor tagged with the database's customer".into(),
                                    ),
                                }
                            }
                            Source::PrefixList(_) => (
                                false,
                                "a managed prefix list, whose ranges phiscan does not read".into(),
                            ),
                        };
                        if !ok {
                            bad_ports.extend(&a.ports);
                        }
                        rules.push(admission_evidence(&a, ok, &why));
                    }
                }
                bad_ports.sort_unstable();
                bad_ports.dedup();
                let reason = if !bad_ports.is_empty() {
                    format!(
                        "The {} admits port(s) {} from sources other than the bastion, its own tier or its VPC's private ranges (see admitting_rules).",
                        db.what,
                        describe_ports(&bad_ports)
                    )
                } else if !missing_groups.is_empty() {
                    format!(
                        "Security group(s) {} of the {} are not in the inventory: what they admit is unknown.",
                        missing_groups.join(", "),
                        db.what
                    )
                } else {
                    format!(
                        "Every rule admitting database or admin ports to the {} comes from the bastion, its own tier or private ranges of its VPC.",
                        db.what
                    )
                };
                let builder = if !bad_ports.is_empty() {
                    ctx.fail(db.resource)
                } else if !missing_groups.is_empty() {
                    ctx.error(db.resource)
                } else {
                    ctx.pass(db.resource)
                };
                let mut b = builder
                    .evidence("database_type", db.what)
                    .evidence("customer", customer)
                    .evidence("security_groups", db.groups)
                    .evidence("watched_ports", &watched)
                    .evidence("admitting_rules", rules)
                    .evidence("security_groups_not_found", &missing_groups);
                if let Some(m) = &tier_missing {
                    b = b.evidence(
                        "note",
                        format!("segmentation.{} is not set: only managed databases are judged", m.0),
                    );
                }
                b.reason(reason).build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{ec2_instance, rds_instance, security_group, sg_rule, vpc};
    use crate::testing::{run, run_with, segmented};
    use phiscan_core::{Inventory, Status};

    fn from_group(port: i32, group: &str) -> phiscan_core::model::aws::SgRule {
        let mut r = sg_rule("tcp", Some(port), Some(port), "10.0.0.0/16");
        r.ipv4_ranges.clear();
        r.source_groups = vec![group.into()];
        r
    }

    fn db(id: &str, group: &str, customer: &str) -> RdsInstance {
        let mut d = rds_instance(id);
        d.vpc_security_groups = vec![group.into()];
        d.resource = d.resource.with_tag("customer", customer);
        d
    }

    fn estate() -> Inventory {
        let mut inv = Inventory::new();
        let mut bastion = ec2_instance("i-bastion");
        bastion.security_groups = vec!["sg-bastion".into()];
        bastion.resource = bastion.resource.with_tag("role", "bastion");
        let mut app_b = security_group("sg-app-b", vec![]);
        app_b.resource = app_b.resource.with_tag("customer", "beta");
        let mut app_a = security_group("sg-app-a", vec![]);
        app_a.resource = app_a.resource.with_tag("customer", "alpha");
        let mut crdb = ec2_instance("i-crdb");
        crdb.security_groups = vec!["sg-crdb".into()];
        crdb.resource = crdb.resource.with_tag("tier", "data").with_tag("customer", "alpha");
        inv.aws_ec2_instances = vec![bastion, crdb];
        inv.aws_vpcs = vec![vpc("vpc-1")];
        inv.aws_ec2_security_groups = vec![
            security_group("sg-bastion", vec![sg_rule("tcp", Some(22), Some(22), "10.8.0.0/16")]),
            app_a,
            app_b,
            // Only the bastion, the same customer's app tier, itself and the VPC's range.
            security_group(
                "sg-good",
                vec![
                    from_group(5432, "sg-bastion"),
                    from_group(5432, "sg-app-a"),
                    from_group(5432, "sg-good"),
                    sg_rule("tcp", Some(22), Some(22), "10.0.8.0/24"),
                    // Not a watched port: not judged.
                    sg_rule("tcp", Some(8443), Some(8443), "0.0.0.0/0"),
                ],
            ),
            security_group("sg-other-customer", vec![from_group(5432, "sg-app-b")]),
            security_group("sg-peer-range", vec![sg_rule("tcp", Some(5432), Some(5432), "10.1.0.0/16")]),
            security_group("sg-all-traffic", vec![sg_rule("-1", None, None, "0.0.0.0/0")]),
            // CockroachDB's console on a self-hosted store, opened to a v6 public range.
            security_group("sg-crdb", vec![sg_rule("tcp", Some(8080), Some(8080), "2001:db8::/32")]),
        ];
        inv.aws_rds_instances = vec![
            db("db-good", "sg-good", "alpha"),
            db("db-other-customer", "sg-other-customer", "alpha"),
            db("db-peer-range", "sg-peer-range", "alpha"),
            db("db-all-traffic", "sg-all-traffic", "alpha"),
            db("db-lost-group", "sg-gone", "alpha"),
        ];
        inv
    }

    #[test]
    fn verdicts() {
        let f = run_with(&DbTierBastionOnly, &estate(), &segmented());
        f.assert_statuses(&[
            ("db-good", Status::Pass),
            ("db-other-customer", Status::Fail),
            ("db-peer-range", Status::Fail),
            ("db-all-traffic", Status::Fail),
            ("db-lost-group", Status::Error),
            ("i-crdb", Status::Fail),
        ]);
        let rules = f.evidence_of("db-good", "admitting_rules");
        assert_eq!(rules.as_array().unwrap().len(), 4, "{rules}");
        assert!(rules.as_array().unwrap().iter().all(|r| r["allowed"] == true));
        let bad = &f.evidence_of("db-other-customer", "admitting_rules")[0];
        assert_eq!(bad["why"], "a security group of customer \"beta\"");
        assert!(f.of("i-crdb").reason.contains("8080 (CockroachDB console)"));
        // The bastion itself is no database.
        assert!(!f.0.iter().any(|x| x.resource.id == "i-bastion"));
    }

    #[test]
    fn without_settings_it_names_what_is_missing() {
        let f = run(&DbTierBastionOnly, &estate());
        assert_eq!(f.status_of("db-good"), Status::NotApplicable);
        assert!(f.of("db-good").reason.contains("segmentation.bastion_tag"));
        // Without a data-tier tag only managed databases are judged.
        assert!(!f.0.iter().any(|x| x.resource.id == "i-crdb"));
    }
}
