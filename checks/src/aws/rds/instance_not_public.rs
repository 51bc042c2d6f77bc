use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{RdsInstance, SecurityGroup, Subnet};
use serde_json::json;

use crate::aws::ec2::sg_exposure::exposures;
use crate::index::first_by;

declare_check! {
    /// ## What it checks
    /// No RDS DB instance has `PubliclyAccessible = true`. The verdict rests on that flag
    /// alone, because the flag is what gives the endpoint a public IP; the other two
    /// conditions for actual reachability are reported as evidence, and the reason says
    /// "reachable from the internet" when all three line up:
    /// an attached security group opens the database port (`endpoint_port`, else every
    /// port of `params.db_ports`) to `0.0.0.0/0` or `::/0`, and a subnet of the DB subnet
    /// group routes to an internet gateway. Security groups and subnets are looked up in the
    /// same account; ids the inventory does not hold are listed as not found.
    ///
    /// ## Why it matters
    /// The policies place the database servers "where the ePHI resides" on the internal
    /// network, reachable "only ... through the bastion host". A publicly accessible
    /// instance is one security-group edit away from the internet, and often already there
    /// (access control, 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `publicly_accessible`, `ports_considered`, `security_groups`,
    /// `security_groups_open_to_internet` (group, ports, sources),
    /// `subnets_routing_to_internet_gateway`, `security_groups_not_found`,
    /// `subnets_not_found` and `reachable_from_internet`.
    ///
    /// ## Remediation
    /// `aws rds modify-db-instance --db-instance-identifier <db> --no-publicly-accessible
    /// --apply-immediately`; move the instance to a DB subnet group of private subnets;
    /// admit the port only from the application tier's and bastion's security groups.
    pub struct RdsInstanceNotPublic {
        id: "aws-rds-instance-not-public",
        title: "RDS instances are not publicly accessible",
        severity: Critical,
        provider: Aws,
        kinds: [AwsRdsInstance, AwsEc2SecurityGroup, AwsEc2Subnet],
        controls: [AccessControl, AccessAuthorization],
    }
}

fn join(items: &[&str]) -> String {
    items.join(", ")
}

impl Check for RdsInstanceNotPublic {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let groups = first_by(ctx.resources::<SecurityGroup>(), |g| {
            Some((g.group_id.as_str(), g.resource.account.as_str()))
        });
        let subnets = first_by(ctx.resources::<Subnet>(), |s| {
            Some((s.subnet_id.as_str(), s.resource.account.as_str()))
        });
        ctx.resources::<RdsInstance>()
            .iter()
            .map(|db| {
                let account = &db.resource.account;
                let ports: Vec<u16> = match db.endpoint_port.and_then(|p| u16::try_from(p).ok()) {
                    Some(p) => vec![p],
                    None => ctx.config.params.db_ports.clone(),
                };
                let (mut open, mut open_ids, mut sg_missing) = (Vec::new(), Vec::new(), Vec::new());
                for gid in &db.vpc_security_groups {
                    match groups.get(&(gid.as_str(), account.as_str())) {
                        None => sg_missing.push(gid.as_str()),
                        Some(g) => {
                            let found = exposures(g, &ports);
                            if !found.is_empty() {
                                open_ids.push(gid.as_str());
                                let mut opened: Vec<u16> = found.iter().flat_map(|e| e.ports.clone()).collect();
                                opened.sort_unstable();
                                opened.dedup();
                                let mut sources: Vec<&str> = found.iter().flat_map(|e| e.sources.clone()).collect();
                                sources.sort_unstable();
                                sources.dedup();
                                open.push(json!({"group_id": gid, "ports": opened, "sources": sources}));
                            }
                        }
                    }
                }
                let (mut igw, mut subnet_missing) = (Vec::new(), Vec::new());
                for sid in &db.subnet_ids {
                    match subnets.get(&(sid.as_str(), account.as_str())) {
                        None => subnet_missing.push(sid.as_str()),
                        Some(s) if s.routes_to_internet_gateway => igw.push(sid.as_str()),
                        Some(_) => {}
                    }
                }
                let reachable = db.publicly_accessible && !open_ids.is_empty() && !igw.is_empty();
                let sg_part = if open_ids.is_empty() {
                    "no attached security group opens its port to the internet".to_string()
                } else {
                    format!("security group(s) {} open its port to the internet", join(&open_ids))
                };
                let subnet_part = if igw.is_empty() {
                    "none of its subnets routes to an internet gateway".to_string()
                } else {
                    format!("subnet(s) {} route to an internet gateway", join(&igw))
                };
                let reason = if reachable {
                    format!("The instance is reachable from the internet: PubliclyAccessible is true, {sg_part}, and {subnet_part}.")
                } else if db.publicly_accessible {
                    format!("The instance has PubliclyAccessible = true, so its endpoint resolves to a public IP; today {sg_part} and {subnet_part}.")
                } else if open_ids.is_empty() {
                    "PubliclyAccessible is false: the endpoint resolves only to private addresses.".to_string()
                } else {
                    format!("PubliclyAccessible is false: the endpoint resolves only to private addresses (though {sg_part}).")
                };
                ctx.verdict(!db.publicly_accessible, &db.resource)
                    .evidence("publicly_accessible", db.publicly_accessible)
                    .evidence("ports_considered", &ports)
                    .evidence("security_groups", &db.vpc_security_groups)
                    .evidence("security_groups_open_to_internet", open)
                    .evidence("subnets_routing_to_internet_gateway", &igw)
                    .evidence("security_groups_not_found", &sg_missing)
                    .evidence("subnets_not_found", &subnet_missing)
                    .evidence("reachable_from_internet", reachable)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{ec2_subnet, rds_instance, security_group, sg_rule};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn subnet(id: &str, igw: bool) -> Subnet {
        Subnet {
            routes_to_internet_gateway: igw,
            map_public_ip_on_launch: igw,
            ..ec2_subnet(id)
        }
    }

    fn db(id: &str, public: bool, sgs: &[&str], subnets: &[&str]) -> RdsInstance {
        let mut d = rds_instance(id);
        d.publicly_accessible = public;
        d.vpc_security_groups = sgs.iter().map(|s| s.to_string()).collect();
        d.subnet_ids = subnets.iter().map(|s| s.to_string()).collect();
        d
    }

    fn inventory() -> Inventory {
        let mut inv = Inventory::new();
        inv.aws_ec2_security_groups = vec![
            security_group(
                "sg-world",
                vec![sg_rule("tcp", Some(5432), Some(5432), "0.0.0.0/0")],
            ),
            security_group(
                "sg-app",
                vec![sg_rule("tcp", Some(5432), Some(5432), "10.0.0.0/16")],
            ),
        ];
        inv.aws_ec2_subnets = vec![subnet("subnet-pub", true), subnet("subnet-priv", false)];
        inv.aws_rds_instances = vec![
            db(
                "db-exposed",
                true,
                &["sg-world"],
                &["subnet-pub", "subnet-priv"],
            ),
            db("db-flag-only", true, &["sg-app"], &["subnet-priv"]),
            db("db-private", false, &["sg-app"], &["subnet-priv"]),
            db(
                "db-private-open-sg",
                false,
                &["sg-world", "sg-gone"],
                &["subnet-priv", "subnet-gone"],
            ),
        ];
        inv
    }

    #[test]
    fn verdict_follows_the_flag_and_reason_the_whole_path() {
        let f = run(&RdsInstanceNotPublic, &inventory());
        assert_eq!(f.status_of("db-exposed"), Status::Fail);
        assert!(f
            .of("db-exposed")
            .reason
            .contains("reachable from the internet"));
        assert_eq!(
            f.evidence_of("db-exposed", "reachable_from_internet"),
            json!(true)
        );
        assert_eq!(
            f.evidence_of("db-exposed", "subnets_routing_to_internet_gateway"),
            json!(["subnet-pub"])
        );
        assert_eq!(f.status_of("db-flag-only"), Status::Fail);
        assert!(!f
            .of("db-flag-only")
            .reason
            .contains("reachable from the internet"));
        assert_eq!(f.status_of("db-private"), Status::Pass);
        assert_eq!(f.status_of("db-private-open-sg"), Status::Pass);
        assert!(f.of("db-private-open-sg").reason.contains("sg-world"));
        assert_eq!(
            f.evidence_of("db-private-open-sg", "security_groups_not_found"),
            json!(["sg-gone"])
        );
        assert_eq!(
            f.evidence_of("db-private-open-sg", "subnets_not_found"),
            json!(["subnet-gone"])
        );
    }

    #[test]
    fn without_an_endpoint_port_every_db_port_is_considered() {
        let mut inv = Inventory::new();
        inv.aws_ec2_security_groups = vec![security_group(
            "sg-mysql",
            vec![sg_rule("tcp", Some(3306), Some(3306), "::/0")],
        )];
        inv.aws_ec2_subnets = vec![subnet("subnet-pub", true)];
        let mut d = db("db-creating", true, &["sg-mysql"], &["subnet-pub"]);
        d.endpoint_port = None;
        inv.aws_rds_instances = vec![d];
        let f = run(&RdsInstanceNotPublic, &inv);
        assert_eq!(
            f.evidence_of("db-creating", "security_groups_open_to_internet")[0]["ports"],
            json!([3306])
        );
        assert_eq!(
            f.evidence_of("db-creating", "reachable_from_internet"),
            json!(true)
        );
    }
}
