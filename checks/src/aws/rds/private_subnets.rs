use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{RdsInstance, Subnet};

use crate::index::first_by;

declare_check! {
    /// ## What it checks
    /// Every subnet of an RDS instance's DB subnet group (Aurora members included) has no
    /// route to an internet gateway: neither its own route table nor, without one, the
    /// VPC's main table routes `0.0.0.0/0` or `::/0` to an `igw-`. An instance whose subnet
    /// group lists no subnets, or whose subnets are not in the inventory, is ERROR: where it
    /// can be placed is unknown.
    ///
    /// ## Why it matters
    /// The policies place the database servers, where the ePHI resides, "on the internal
    /// network". RDS may place (or fail over) an instance in any subnet of its group: one
    /// public subnet is enough for the database to come up with a route to the internet
    /// once `PubliclyAccessible` is turned on or a rule is widened (access control, 45 CFR
    /// 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `subnet_ids`, `subnets_routing_to_internet_gateway`, `subnets_not_found`.
    ///
    /// ## Remediation
    /// Create a DB subnet group of private subnets only and move the instance to it
    /// (`aws rds modify-db-instance --db-subnet-group-name <private-group>`), or remove the
    /// internet gateway route from the public subnets' route table.
    pub struct RdsPrivateSubnets {
        id: "aws-rds-private-subnets",
        title: "RDS subnet groups hold only subnets without a route to an internet gateway",
        severity: High,
        provider: Aws,
        kinds: [AwsRdsInstance, AwsEc2Subnet],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for RdsPrivateSubnets {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let subnets = first_by(ctx.resources::<Subnet>(), |s| {
            Some((s.resource.account.as_str(), s.subnet_id.as_str()))
        });
        ctx.resources::<RdsInstance>()
            .iter()
            .map(|db| {
                let (mut public, mut missing) = (Vec::new(), Vec::new());
                for id in &db.subnet_ids {
                    match subnets.get(&(db.resource.account.as_str(), id.as_str())) {
                        None => missing.push(id.as_str()),
                        Some(s) if s.routes_to_internet_gateway => public.push(id.as_str()),
                        Some(_) => {}
                    }
                }
                let builder = if !public.is_empty() {
                    ctx.fail(&db.resource).reason(format!(
                        "Subnet(s) {} of the DB subnet group route to an internet gateway.",
                        public.join(", ")
                    ))
                } else if db.subnet_ids.is_empty() {
                    ctx.error(&db.resource).reason(
                        "The instance reports no DB subnet group subnets: where it can be placed is unknown.",
                    )
                } else if !missing.is_empty() {
                    ctx.error(&db.resource).reason(format!(
                        "Subnet(s) {} of the DB subnet group are not in the inventory: their routes are unknown.",
                        missing.join(", ")
                    ))
                } else {
                    ctx.pass(&db.resource).reason(format!(
                        "None of the {} subnet(s) of the DB subnet group routes to an internet gateway.",
                        db.subnet_ids.len()
                    ))
                };
                builder
                    .evidence("subnet_ids", &db.subnet_ids)
                    .evidence("subnets_routing_to_internet_gateway", &public)
                    .evidence("subnets_not_found", &missing)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{ec2_subnet, rds_instance};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut public = ec2_subnet("subnet-pub");
        public.routes_to_internet_gateway = true;
        // Another account's subnet of the same id says nothing of this account's.
        let mut foreign = ec2_subnet("subnet-gone");
        foreign.resource.account = "999999999999".into();
        inv.aws_ec2_subnets = vec![ec2_subnet("subnet-a"), ec2_subnet("subnet-b"), public, foreign];
        let db = |id: &str, subnets: &[&str]| {
            let mut d = rds_instance(id);
            d.subnet_ids = subnets.iter().map(|s| s.to_string()).collect();
            d
        };
        inv.aws_rds_instances = vec![
            db("db-private", &["subnet-a", "subnet-b"]),
            db("db-one-public", &["subnet-a", "subnet-pub"]),
            db("db-unknown-subnet", &["subnet-a", "subnet-gone"]),
            db("db-no-group", &[]),
        ];
        let f = run(&RdsPrivateSubnets, &inv);
        f.assert_statuses(&[
            ("db-private", Status::Pass),
            ("db-one-public", Status::Fail),
            ("db-unknown-subnet", Status::Error),
            ("db-no-group", Status::Error),
        ]);
        assert_eq!(
            f.evidence_of("db-one-public", "subnets_routing_to_internet_gateway"),
            serde_json::json!(["subnet-pub"])
        );
    }
}
