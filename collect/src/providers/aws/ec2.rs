//! EC2: volumes, encryption by default, snapshots, security groups, instances, subnets,
//! VPCs, network ACLs. One function per kind; each lists with the SDK paginator and reports a failed
//! call as a collection error for its kind in the region.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types::{PermissionGroup, RouteState, RouteTable, SnapshotAttributeName, Tag};

use super::{each, name_from, reason, to_chrono, Aws, RegionShared};
use crate::model::aws::{
    EbsEncryptionDefault, EbsSnapshot, EbsVolume, Ec2Instance, FlowLog, NaclEntry, NetworkAcl,
    SecurityGroup, SgRule, Subnet, Vpc,
};
use crate::model::{ResourceKind, Tags};

pub(crate) fn tags(t: &[Tag]) -> Tags {
    t.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_string(),
                t.value().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

/// Collect every page of an EC2 list call, holding one permit for the whole listing.
macro_rules! pages {
    ($aws:expr, $shared:expr, $req:expr, $field:ident) => {{
        let _permit = $aws.permit("EC2", &$shared.region).await;
        let pages: Result<Vec<_>, _> = $req.into_paginator().send().collect().await;
        pages.map(|p| {
            p.into_iter()
                .flat_map(|o| o.$field.unwrap_or_default())
                .collect::<Vec<_>>()
        })
    }};
}

pub(crate) async fn volumes(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEbsVolume;
    let vols = match pages!(aws, s, aws.ec2(&s.region).describe_volumes(), volumes) {
        Ok(v) => v,
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "ec2:DescribeVolumes")),
    };
    let out: Vec<EbsVolume> = vols
        .iter()
        .filter_map(|v| {
            let id = v.volume_id()?;
            let t = tags(v.tags());
            let name = name_from(&t, id);
            Some(EbsVolume {
                resource: aws.resource(
                    kind,
                    &s.region,
                    aws.arn("ec2", &s.region, aws.account(), &format!("volume/{id}")),
                    &name,
                    t,
                ),
                encrypted: v.encrypted().unwrap_or(false),
                kms_key_id: v.kms_key_id().map(str::to_string),
                state: v
                    .state()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                size_gib: v.size().unwrap_or(0),
                attached_instances: v
                    .attachments()
                    .iter()
                    .filter_map(|a| a.instance_id().map(str::to_string))
                    .collect(),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_ebs_volumes.extend(out));
}

pub(crate) async fn encryption_default(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEbsEncryptionDefault;
    // GetEbsDefaultKmsKeyId is not called: moto answers it with HTTP 500, and no check
    // reads the key yet (kms_key_id stays None: "not collected").
    let out = {
        let _permit = aws.permit("EC2", &s.region).await;
        aws.ec2(&s.region)
            .get_ebs_encryption_by_default()
            .send()
            .await
    };
    match out {
        Ok(o) => match o.ebs_encryption_by_default() {
            Some(enabled) => {
                let id = aws.arn("ec2", &s.region, aws.account(), "ebs-encryption-by-default");
                let setting = EbsEncryptionDefault {
                    resource: aws.resource(
                        kind,
                        &s.region,
                        id,
                        &format!("ebs-encryption-by-default ({})", s.region),
                        Tags::new(),
                    ),
                    enabled,
                    kms_key_id: None,
                };
                aws.add(|inv| inv.aws_ebs_encryption_defaults.push(setting));
            }
            None => aws.error(
                Some(&s.region),
                kind,
                "the answer has no EbsEncryptionByDefault (ec2:GetEbsEncryptionByDefault)".into(),
            ),
        },
        Err(e) => aws.error(
            Some(&s.region),
            kind,
            reason(&e, "ec2:GetEbsEncryptionByDefault"),
        ),
    }
}

pub(crate) async fn snapshots(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEbsSnapshot;
    let snaps = match pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_snapshots().owner_ids("self"),
        snapshots
    ) {
        Ok(v) => v,
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "ec2:DescribeSnapshots")),
    };
    let ids: Vec<String> = snaps
        .iter()
        .filter_map(|s| s.snapshot_id().map(str::to_string))
        .collect();
    let client = aws.ec2(&s.region);
    let perms = each(aws.semaphore("EC2", &s.region), ids, move |id| {
        let client = client.clone();
        async move {
            let r = client
                .describe_snapshot_attribute()
                .snapshot_id(&id)
                .attribute(SnapshotAttributeName::CreateVolumePermission)
                .send()
                .await;
            (id, r)
        }
    })
    .await;
    let mut by_id = BTreeMap::new();
    for (id, r) in perms {
        match r {
            Ok(o) => {
                let p = o.create_volume_permissions();
                let public = p.iter().any(|p| p.group() == Some(&PermissionGroup::All));
                let accounts: Vec<String> = p
                    .iter()
                    .filter_map(|p| p.user_id().map(str::to_string))
                    .collect();
                by_id.insert(id, (public, accounts));
            }
            Err(e) => aws.error(
                Some(&s.region),
                kind,
                format!(
                    "{id}: {}",
                    reason(&e, "ec2:DescribeSnapshotAttribute createVolumePermission")
                ),
            ),
        }
    }
    let out: Vec<EbsSnapshot> = snaps
        .iter()
        .filter_map(|snap| {
            let id = snap.snapshot_id()?;
            let (public, shared) = by_id.remove(id)?;
            let t = tags(snap.tags());
            let name = name_from(&t, id);
            Some(EbsSnapshot {
                // Snapshot ARNs carry no account: arn:aws:ec2:<region>::snapshot/<id>.
                resource: aws.resource(
                    kind,
                    &s.region,
                    aws.arn("ec2", &s.region, "", &format!("snapshot/{id}")),
                    &name,
                    t,
                ),
                encrypted: snap.encrypted().unwrap_or(false),
                kms_key_id: snap.kms_key_id().map(str::to_string),
                volume_id: snap.volume_id().map(str::to_string),
                start_time: snap.start_time().and_then(to_chrono).unwrap_or_default(),
                state: snap
                    .state()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                public,
                shared_with_accounts: shared,
            })
        })
        .collect();
    aws.add(|inv| inv.aws_ebs_snapshots.extend(out));
}

pub(crate) async fn security_groups(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEc2SecurityGroup;
    let groups = match pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_security_groups(),
        security_groups
    ) {
        Ok(v) => v,
        Err(e) => {
            return aws.error(
                Some(&s.region),
                kind,
                reason(&e, "ec2:DescribeSecurityGroups"),
            )
        }
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

pub(crate) async fn instances(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEc2Instance;
    let reservations = match pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_instances(),
        reservations
    ) {
        Ok(v) => v,
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "ec2:DescribeInstances")),
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

/// Routes 0.0.0.0/0 or ::/0 to an internet gateway (a blackholed route does not count).
fn routes_to_igw(rt: &RouteTable) -> bool {
    rt.routes().iter().any(|r| {
        let default = r.destination_cidr_block() == Some("0.0.0.0/0")
            || r.destination_ipv6_cidr_block() == Some("::/0");
        default
            && r.gateway_id().is_some_and(|g| g.starts_with("igw-"))
            && r.state() != Some(&RouteState::Blackhole)
    })
}

pub(crate) async fn subnets(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEc2Subnet;
    let subnets = match pages!(aws, s, aws.ec2(&s.region).describe_subnets(), subnets) {
        Ok(v) => v,
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "ec2:DescribeSubnets")),
    };
    let tables = match pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_route_tables(),
        route_tables
    ) {
        Ok(v) => v,
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "ec2:DescribeRouteTables")),
    };
    // A subnet uses its explicitly associated table, else its VPC's main table.
    let mut explicit: BTreeMap<&str, bool> = BTreeMap::new();
    let mut main: BTreeMap<&str, bool> = BTreeMap::new();
    for rt in &tables {
        let igw = routes_to_igw(rt);
        for a in rt.associations() {
            if let Some(sub) = a.subnet_id() {
                explicit.insert(sub, igw);
            }
            if a.main() == Some(true) {
                if let Some(vpc) = rt.vpc_id() {
                    main.insert(vpc, igw);
                }
            }
        }
    }
    let out: Vec<Subnet> = subnets
        .iter()
        .filter_map(|sn| {
            let id = sn.subnet_id()?;
            let vpc = sn.vpc_id().unwrap_or_default();
            let t = tags(sn.tags());
            let name = name_from(&t, id);
            Some(Subnet {
                resource: aws.resource(
                    kind,
                    &s.region,
                    aws.arn("ec2", &s.region, aws.account(), &format!("subnet/{id}")),
                    &name,
                    t,
                ),
                subnet_id: id.to_string(),
                vpc_id: vpc.to_string(),
                routes_to_internet_gateway: explicit
                    .get(id)
                    .or_else(|| main.get(vpc))
                    .copied()
                    .unwrap_or(false),
                map_public_ip_on_launch: sn.map_public_ip_on_launch().unwrap_or(false),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_ec2_subnets.extend(out));
}

pub(crate) async fn vpcs(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsVpc;
    let vpcs = match pages!(aws, s, aws.ec2(&s.region).describe_vpcs(), vpcs) {
        Ok(v) => v,
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "ec2:DescribeVpcs")),
    };
    // Unfiltered: flow logs of subnets and ENIs are dropped by matching VPC ids below.
    let flow_logs = match pages!(aws, s, aws.ec2(&s.region).describe_flow_logs(), flow_logs) {
        Ok(v) => v,
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "ec2:DescribeFlowLogs")),
    };
    let mut by_vpc: BTreeMap<&str, Vec<FlowLog>> = BTreeMap::new();
    for fl in &flow_logs {
        if let (Some(vpc), Some(id)) = (fl.resource_id(), fl.flow_log_id()) {
            by_vpc.entry(vpc).or_default().push(FlowLog {
                flow_log_id: id.to_string(),
                status: fl.flow_log_status().map(str::to_string),
                traffic_type: fl.traffic_type().map(|t| t.as_str().to_string()),
                destination: fl
                    .log_destination()
                    .or(fl.log_group_name())
                    .map(str::to_string),
            });
        }
    }
    let out: Vec<Vpc> = vpcs
        .iter()
        .filter_map(|v| {
            let id = v.vpc_id()?;
            let t = tags(v.tags());
            let name = name_from(&t, id);
            Some(Vpc {
                resource: aws.resource(
                    kind,
                    &s.region,
                    aws.arn("ec2", &s.region, aws.account(), &format!("vpc/{id}")),
                    &name,
                    t,
                ),
                vpc_id: id.to_string(),
                is_default: v.is_default().unwrap_or(false),
                flow_logs: by_vpc.remove(id).unwrap_or_default(),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_vpcs.extend(out));
}

pub(crate) async fn network_acls(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEc2NetworkAcl;
    let acls = match pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_network_acls(),
        network_acls
    ) {
        Ok(v) => v,
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "ec2:DescribeNetworkAcls")),
    };
    let out: Vec<NetworkAcl> = acls
        .iter()
        .filter_map(|a| {
            let id = a.network_acl_id()?;
            let t = tags(a.tags());
            let name = name_from(&t, id);
            let mut entries: Vec<NaclEntry> = a
                .entries()
                .iter()
                .filter_map(|e| {
                    Some(NaclEntry {
                        rule_number: e.rule_number()?,
                        protocol: e.protocol().unwrap_or("-1").to_string(),
                        rule_action: e.rule_action()?.as_str().to_string(),
                        egress: e.egress().unwrap_or(false),
                        cidr_block: e.cidr_block().map(str::to_string),
                        ipv6_cidr_block: e.ipv6_cidr_block().map(str::to_string),
                        port_from: e.port_range().and_then(|p| p.from()),
                        port_to: e.port_range().and_then(|p| p.to()),
                    })
                })
                .collect();
            entries.sort_by_key(|e| (e.egress, e.rule_number));
            let mut subnet_ids: Vec<String> = a
                .associations()
                .iter()
                .filter_map(|x| x.subnet_id().map(str::to_string))
                .collect();
            subnet_ids.sort();
            Some(NetworkAcl {
                resource: aws.resource(
                    kind,
                    &s.region,
                    aws.arn(
                        "ec2",
                        &s.region,
                        aws.account(),
                        &format!("network-acl/{id}"),
                    ),
                    &name,
                    t,
                ),
                nacl_id: id.to_string(),
                vpc_id: a.vpc_id().map(str::to_string),
                is_default: a.is_default().unwrap_or(false),
                entries,
                subnet_ids,
            })
        })
        .collect();
    aws.add(|inv| inv.aws_ec2_network_acls.extend(out));
}
