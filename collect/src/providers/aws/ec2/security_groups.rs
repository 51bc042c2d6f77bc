//! Security groups with their ingress rules and what uses each group (ENIs, RDS instances,
//! load balancers).

use std::collections::{BTreeMap, BTreeSet};

use super::tags;
use crate::model::aws::{SecurityGroup, SgRule};
use crate::model::ResourceKind;
use crate::providers::aws::{name_from, reason, Aws, RegionShared};

pub(crate) async fn security_groups(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEc2SecurityGroup;
    let Some(groups) = pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_security_groups(),
        security_groups,
        kind,
        "ec2:DescribeSecurityGroups"
    ) else {
        return;
    };
    // What uses each group. ENIs cover instances and most services, but RDS instances and
    // load balancers are read too: moto creates no ENIs for them. If one of these calls
    // fails the groups are still reported (their rules are what the checks judge), with
    // an error saying the attachments are incomplete.
    let mut attached: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    match pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_network_interfaces(),
        network_interfaces
    ) {
        Ok(enis) => {
            for eni in enis {
                let user = eni
                    .attachment()
                    .and_then(|a| a.instance_id())
                    .or(eni.network_interface_id());
                for g in eni.groups() {
                    if let (Some(gid), Some(user)) = (g.group_id(), user) {
                        attached
                            .entry(gid.to_string())
                            .or_default()
                            .insert(user.to_string());
                    }
                }
            }
        }
        Err(e) => aws.error(
            Some(&s.region),
            kind,
            format!(
                "attachments unknown: {}",
                reason(&e, "ec2:DescribeNetworkInterfaces")
            ),
        ),
    }
    match s.db_instances(aws).await {
        Ok(dbs) => {
            for db in dbs {
                for g in db.vpc_security_groups() {
                    if let (Some(gid), Some(arn)) =
                        (g.vpc_security_group_id(), db.db_instance_arn())
                    {
                        attached
                            .entry(gid.to_string())
                            .or_default()
                            .insert(arn.to_string());
                    }
                }
            }
        }
        Err(e) => aws.error(Some(&s.region), kind, format!("attachments unknown: {e}")),
    }
    match s.load_balancers(aws).await {
        Ok(lbs) => {
            for lb in lbs {
                for gid in lb.security_groups() {
                    if let Some(arn) = lb.load_balancer_arn() {
                        attached
                            .entry(gid.clone())
                            .or_default()
                            .insert(arn.to_string());
                    }
                }
            }
        }
        Err(e) => aws.error(Some(&s.region), kind, format!("attachments unknown: {e}")),
    }

    let out: Vec<SecurityGroup> = groups
        .iter()
        .filter_map(|g| {
            let id = g.group_id()?;
            let t = tags(g.tags());
            let name = name_from(&t, g.group_name().unwrap_or(id));
            Some(SecurityGroup {
                resource: aws.resource(
                    kind,
                    &s.region,
                    aws.arn(
                        "ec2",
                        &s.region,
                        aws.account(),
                        &format!("security-group/{id}"),
                    ),
                    &name,
                    t,
                ),
                group_id: id.to_string(),
                vpc_id: g.vpc_id().map(str::to_string),
                ingress: g
                    .ip_permissions()
                    .iter()
                    .map(|p| SgRule {
                        protocol: p.ip_protocol().unwrap_or("-1").to_string(),
                        from_port: p.from_port(),
                        to_port: p.to_port(),
                        ipv4_ranges: p
                            .ip_ranges()
                            .iter()
                            .filter_map(|r| r.cidr_ip().map(str::to_string))
                            .collect(),
                        ipv6_ranges: p
                            .ipv6_ranges()
                            .iter()
                            .filter_map(|r| r.cidr_ipv6().map(str::to_string))
                            .collect(),
                        source_groups: p
                            .user_id_group_pairs()
                            .iter()
                            .filter_map(|r| r.group_id().map(str::to_string))
                            .collect(),
                        prefix_lists: p
                            .prefix_list_ids()
                            .iter()
                            .filter_map(|r| r.prefix_list_id().map(str::to_string))
                            .collect(),
                    })
                    .collect(),
                attached_to: attached
                    .remove(id)
                    .unwrap_or_default()
                    .into_iter()
                    .collect(),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_ec2_security_groups.extend(out));
}
