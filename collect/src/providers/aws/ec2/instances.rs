//! EC2 instances: state, instance metadata options, public address, network placement.

use super::tags;
use crate::model::aws::Ec2Instance;
use crate::model::ResourceKind;
use crate::providers::aws::{name_from, Aws, RegionShared};

pub(crate) async fn instances(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEc2Instance;
    let Some(reservations) = pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_instances(),
        reservations,
        kind,
        "ec2:DescribeInstances"
    ) else {
        return;
    };
    let out: Vec<Ec2Instance> = reservations
        .iter()
        .flat_map(|r| r.instances())
        .filter_map(|i| {
            let id = i.instance_id()?;
            let t = tags(i.tags());
            let name = name_from(&t, id);
            let md = i.metadata_options();
            Some(Ec2Instance {
                resource: aws.resource(
                    kind,
                    &s.region,
                    aws.arn("ec2", &s.region, aws.account(), &format!("instance/{id}")),
                    &name,
                    t,
                ),
                state: i
                    .state()
                    .and_then(|s| s.name())
                    .map(|n| n.as_str().to_string())
                    .unwrap_or_default(),
                imds_http_tokens: md
                    .and_then(|m| m.http_tokens())
                    .map(|t| t.as_str().to_string()),
                imds_http_endpoint: md
                    .and_then(|m| m.http_endpoint())
                    .map(|t| t.as_str().to_string()),
                public_ip: i.public_ip_address().map(str::to_string),
                subnet_id: i.subnet_id().map(str::to_string),
                vpc_id: i.vpc_id().map(str::to_string),
                security_groups: i
                    .security_groups()
                    .iter()
                    .filter_map(|g| g.group_id().map(str::to_string))
                    .collect(),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_ec2_instances.extend(out));
}
