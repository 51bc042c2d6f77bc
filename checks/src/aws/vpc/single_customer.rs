use std::collections::{BTreeMap, BTreeSet};

use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{Ec2Instance, RdsInstance, SecurityGroup, Subnet, Vpc};
use serde_json::json;

use crate::common::missing_setting;

declare_check! {
    /// ## What it checks
    /// No VPC holds resources of two customers, and a VPC holding customer resources
    /// carries that customer's tag. A resource's customer is the value of its
    /// `segmentation.customer_tag`; the resources looked at are the VPC's EC2 instances
    /// (terminated ones aside), subnets, security groups and RDS instances (placed by their
    /// subnets, else their security groups). A VPC without any customer-tagged resource
    /// and without the tag is NOT_APPLICABLE (no customer's data is placed in it), as is
    /// every VPC when `segmentation.customer_tag` is not set.
    ///
    /// ## Why it matters
    /// HealthTensor and Qolty promise "dedicated, private segmented and separated networks
    /// and IP spaces, for each SaaS Customer". Two customers in one VPC share a network
    /// where one customer's compromise reaches the other's ePHI (access control, 45 CFR
    /// 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `vpc_id`, `vpc_customer` (the VPC's own tag), `customers` (each customer with the
    /// resources naming it).
    ///
    /// ## Remediation
    /// Move the other customer's resources to its own VPC; tag the VPC with its customer
    /// (`aws ec2 create-tags --resources <vpc> --tags Key=customer,Value=<name>`).
    pub struct VpcSingleCustomer {
        id: "aws-vpc-single-customer",
        title: "Each VPC holds the resources of one customer, and says which",
        severity: High,
        provider: Aws,
        kinds: [AwsVpc, AwsEc2Instance, AwsEc2Subnet, AwsEc2SecurityGroup, AwsRdsInstance],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for VpcSingleCustomer {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let seg = ctx.config.segmentation();
        let vpcs = ctx.resources::<Vpc>();
        if let Err(missing) = seg.customer_tag() {
            return vpcs
                .iter()
                .map(|v| missing_setting(ctx, &v.resource, missing))
                .collect();
        }
        let subnets = ctx.resources::<Subnet>();
        let groups = ctx.resources::<SecurityGroup>();
        // (account, vpc) -> customer -> resource names
        let mut held: BTreeMap<(&str, &str), BTreeMap<&str, BTreeSet<&str>>> = BTreeMap::new();
        let mut placed: Vec<(&phiscan_core::ResourceRef, Option<&str>)> = Vec::new();
        /// The VPC of a database: its subnets', else its security groups'.
        fn vpc_of_db<'a>(db: &'a RdsInstance, subnets: &'a [Subnet], groups: &'a [SecurityGroup]) -> Option<&'a str> {
            let acct = &db.resource.account;
            db.subnet_ids
                .iter()
                .find_map(|s| subnets.iter().find(|x| &x.subnet_id == s && &x.resource.account == acct))
                .map(|s| s.vpc_id.as_str())
                .or_else(|| {
                    db.vpc_security_groups.iter().find_map(|g| {
                        groups
                            .iter()
                            .find(|x| &x.group_id == g && &x.resource.account == acct)
                            .and_then(|x| x.vpc_id.as_deref())
                    })
                })
        }
        for i in ctx.resources::<Ec2Instance>().iter().filter(|i| i.state != "terminated") {
            placed.push((&i.resource, i.vpc_id.as_deref()));
        }
        for s in subnets {
            placed.push((&s.resource, Some(&s.vpc_id)));
        }
        for g in groups {
            placed.push((&g.resource, g.vpc_id.as_deref()));
        }
        for db in ctx.resources::<RdsInstance>() {
            placed.push((&db.resource, vpc_of_db(db, subnets, groups)));
        }
        for (r, vpc) in placed {
            if let (Some(vpc), Some(c)) = (vpc, seg.customer_of(&r.tags)) {
                held.entry((r.account.as_str(), vpc))
                    .or_default()
                    .entry(c)
                    .or_default()
                    .insert(r.name.as_str());
            }
        }
        vpcs.iter()
            .map(|v| {
                let own = seg.customer_of(&v.resource.tags);
                let customers = held
                    .get(&(v.resource.account.as_str(), v.vpc_id.as_str()))
                    .cloned()
                    .unwrap_or_default();
                let listed: Vec<_> = customers
                    .iter()
                    .map(|(c, r)| json!({"customer": c, "resources": r}))
                    .collect();
                let names: Vec<&str> = customers.keys().copied().collect();
                let builder = match (names.as_slice(), own) {
                    ([], None) => ctx.not_applicable(&v.resource).reason(
                        "No resource in the VPC carries a customer tag, nor does the VPC: it holds no customer's resources.",
                    ),
                    ([], Some(c)) => ctx
                        .pass(&v.resource)
                        .reason(format!("The VPC is customer {c:?}'s and holds no other customer's resources.")),
                    ([one], Some(c)) if one == &c => ctx
                        .pass(&v.resource)
                        .reason(format!("The VPC and every customer-tagged resource in it belong to customer {c:?}.")),
                    ([one], _) => ctx.fail(&v.resource).reason(format!(
                        "The VPC holds resources of customer {one:?} but {}.",
                        match own {
                            Some(c) => format!("is tagged for customer {c:?}"),
                            None => "carries no customer tag".to_string(),
                        }
                    )),
                    (many, _) => ctx.fail(&v.resource).reason(format!(
                        "The VPC holds resources of {} customers: {}.",
                        many.len(),
                        many.join(", ")
                    )),
                };
                builder
                    .evidence("vpc_id", &v.vpc_id)
                    .evidence("vpc_customer", own)
                    .evidence("customers", listed)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{ec2_instance, ec2_subnet, rds_instance, security_group, vpc};
    use crate::testing::{run, run_with, segmented};
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let tagged_vpc = |id: &str, c: &str| {
            let mut v = vpc(id);
            v.resource = v.resource.with_tag("customer", c);
            v
        };
        inv.aws_vpcs = vec![
            tagged_vpc("vpc-1", "alpha"),
            tagged_vpc("vpc-2", "beta"),
            vpc("vpc-3"),
            vpc("vpc-empty"),
            tagged_vpc("vpc-wrong-tag", "alpha"),
        ];
        let at = |mut i: Ec2Instance, vpc: &str, c: &str| {
            i.vpc_id = Some(vpc.into());
            i.resource = i.resource.with_tag("customer", c);
            i
        };
        let mut gone = at(ec2_instance("i-gone"), "vpc-1", "beta");
        gone.state = "terminated".into();
        inv.aws_ec2_instances = vec![
            at(ec2_instance("i-a"), "vpc-1", "alpha"),
            gone,
            at(ec2_instance("i-b"), "vpc-2", "beta"),
            at(ec2_instance("i-c"), "vpc-3", "gamma"),
            at(ec2_instance("i-x"), "vpc-wrong-tag", "beta"),
        ];
        // A database of alpha placed in beta's VPC by its subnet.
        let mut sn = ec2_subnet("subnet-b");
        sn.vpc_id = "vpc-2".into();
        inv.aws_ec2_subnets = vec![sn];
        let mut db = rds_instance("db-alpha");
        db.subnet_ids = vec!["subnet-b".into()];
        db.resource = db.resource.with_tag("customer", "alpha");
        inv.aws_rds_instances = vec![db];
        inv.aws_ec2_security_groups = vec![security_group("sg-untagged", vec![])];
        let f = run_with(&VpcSingleCustomer, &inv, &segmented());
        f.assert_statuses(&[
            ("vpc-1", Status::Pass),
            ("vpc-2", Status::Fail),
            ("vpc-3", Status::Fail),
            ("vpc-empty", Status::NotApplicable),
            ("vpc-wrong-tag", Status::Fail),
        ]);
        assert!(f.of("vpc-2").reason.contains("2 customers: alpha, beta"));
        assert_eq!(f.evidence_of("vpc-2", "customers")[0]["resources"][0], "db-alpha");
        let f = run(&VpcSingleCustomer, &inv);
        assert_eq!(f.status_of("vpc-1"), Status::NotApplicable);
        assert!(f.of("vpc-1").reason.contains("segmentation.customer_tag"));
    }
}
