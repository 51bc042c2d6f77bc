//! RDS data protection: DB clusters, DB (cluster) parameter groups with their TLS
//! parameters, and DB snapshots with their `restore` sharing.
//!
//! Decisions a newcomer may question:
//! - **Parameter groups are listed, not looked up.** DescribeDBParameterGroups and
//!   DescribeDBClusterParameterGroups list every group (AWS lists the `default.*` groups in
//!   use too), then DescribeDB(Cluster)Parameters reads each one. The TLS check matches
//!   instances and clusters to groups by name, so a group that was not listed shows up as
//!   that resource's ERROR rather than as a region-wide collection error.
//! - **Only the TLS parameters are kept** ([`TLS_PARAMETERS`]):
//!   a group has hundreds of parameters and no other check reads them.
//! - **Snapshot sharing.** DescribeDBSnapshotAttributes is asked for every snapshot that
//!   is not `automated`: AWS does not let automated snapshots be shared (they must be
//!   copied to a manual snapshot first), so they are recorded as not public without a call.
//!   A snapshot whose attributes cannot be read is an error for that snapshot only.
//! - **Cluster snapshots** (DescribeDBClusterSnapshots) feed the clusters' recent-backup
//!   check only: their sharing is not read yet.

use std::collections::BTreeMap;

use super::{each, reason, tags_of, to_chrono, Aws, RegionShared};
use crate::model::aws::{RdsCluster, RdsClusterSnapshot, RdsParameterGroup, RdsSnapshot};
use crate::model::{CollectionError, ResourceKind, Tags};

/// The parameters that make an engine refuse unencrypted connections.
pub(crate) const TLS_PARAMETERS: [&str; 4] = [
    "rds.force_ssl",
    "require_secure_transport",
    "tls",
    "neptune_enforce_ssl",
];

fn tags(t: &[aws_sdk_rds::types::Tag]) -> Tags {
    tags_of(
        t,
        aws_sdk_rds::types::Tag::key,
        aws_sdk_rds::types::Tag::value,
    )
}

pub(crate) async fn clusters(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsRdsCluster;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("RDS", &s.region).await;
        aws.rds(&s.region)
            .describe_db_clusters()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let clusters = match pages {
        Ok(p) => p,
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "rds:DescribeDBClusters")),
    };
    let out: Vec<RdsCluster> = clusters
        .iter()
        .flat_map(|p| p.db_clusters())
        .filter_map(|c| {
            let arn = c.db_cluster_arn()?;
            let name = c.db_cluster_identifier().unwrap_or(arn);
            Some(RdsCluster {
                resource: aws.resource(kind, &s.region, arn.to_string(), name, tags(c.tag_list())),
                engine: c.engine().unwrap_or_default().to_string(),
                storage_encrypted: c.storage_encrypted().unwrap_or(false),
                kms_key_id: c.kms_key_id().map(str::to_string),
                parameter_group: c.db_cluster_parameter_group().map(str::to_string),
                members: c
                    .db_cluster_members()
                    .iter()
                    .filter_map(|m| m.db_instance_identifier().map(str::to_string))
                    .collect(),
                backup_retention_days: c.backup_retention_period(),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_rds_clusters.extend(out));
}

/// (name, family, arn) of a listed group.
type Group = (String, Option<String>, Option<String>);

pub(crate) async fn parameter_groups(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsRdsParameterGroup;
    let (instance_groups, cluster_groups) = {
        let _permit = aws.permit("RDS", &s.region).await;
        let i: Result<Vec<_>, _> = aws
            .rds(&s.region)
            .describe_db_parameter_groups()
            .into_paginator()
            .send()
            .collect()
            .await;
        let c: Result<Vec<_>, _> = aws
            .rds(&s.region)
            .describe_db_cluster_parameter_groups()
            .into_paginator()
            .send()
            .collect()
            .await;
        (i, c)
    };
    let mut groups: Vec<(bool, Group)> = Vec::new();
    match instance_groups {
        Ok(p) => groups.extend(
            p.iter()
                .flat_map(|o| o.db_parameter_groups())
                .filter_map(|g| {
                    Some((
                        false,
                        (
                            g.db_parameter_group_name()?.to_string(),
                            g.db_parameter_group_family().map(str::to_string),
                            g.db_parameter_group_arn().map(str::to_string),
                        ),
                    ))
                }),
        ),
        Err(e) => aws.error(
            Some(&s.region),
            kind,
            reason(&e, "rds:DescribeDBParameterGroups"),
        ),
    }
    match cluster_groups {
        Ok(p) => groups.extend(
            p.iter()
                .flat_map(|o| o.db_cluster_parameter_groups())
                .filter_map(|g| {
                    Some((
                        true,
                        (
                            g.db_cluster_parameter_group_name()?.to_string(),
                            g.db_parameter_group_family().map(str::to_string),
                            g.db_cluster_parameter_group_arn().map(str::to_string),
                        ),
                    ))
                }),
        ),
        Err(e) => aws.error(
            Some(&s.region),
            kind,
            reason(&e, "rds:DescribeDBClusterParameterGroups"),
        ),
    }
    let client = aws.rds(&s.region);
    let read = each(
        aws.semaphore("RDS", &s.region),
        groups,
        move |(cluster, g)| {
            let client = client.clone();
            async move {
                let params = tls_parameters(&client, cluster, &g.0).await;
                (cluster, g, params)
            }
        },
    )
    .await;
    let mut out = Vec::new();
    for (cluster, (name, family, arn), params) in read {
        let tls_parameters = match params {
            Ok(p) => p,
            Err(e) => {
                aws.error(Some(&s.region), kind, format!("{name}: {e}"));
                continue;
            }
        };
        let what = if cluster { "cluster-pg" } else { "pg" };
        let arn = arn
            .unwrap_or_else(|| aws.arn("rds", &s.region, aws.account(), &format!("{what}:{name}")));
        out.push(RdsParameterGroup {
            resource: aws.resource(kind, &s.region, arn, &name, Tags::new()),
            name,
            family,
            cluster,
            tls_parameters,
        });
    }
    aws.add(|inv| inv.aws_rds_parameter_groups.extend(out));
}

async fn tls_parameters(
    client: &aws_sdk_rds::Client,
    cluster: bool,
    name: &str,
) -> Result<BTreeMap<String, Option<String>>, String> {
    let params: Vec<aws_sdk_rds::types::Parameter> = if cluster {
        let pages: Result<Vec<_>, _> = client
            .describe_db_cluster_parameters()
            .db_cluster_parameter_group_name(name)
            .into_paginator()
            .send()
            .collect()
            .await;
        pages
            .map_err(|e| reason(&e, "rds:DescribeDBClusterParameters"))?
            .into_iter()
            .flat_map(|p| p.parameters.unwrap_or_default())
            .collect()
    } else {
        let pages: Result<Vec<_>, _> = client
            .describe_db_parameters()
            .db_parameter_group_name(name)
            .into_paginator()
            .send()
            .collect()
            .await;
        pages
            .map_err(|e| reason(&e, "rds:DescribeDBParameters"))?
            .into_iter()
            .flat_map(|p| p.parameters.unwrap_or_default())
            .collect()
    };
    Ok(params
        .iter()
        .filter_map(|p| {
            let n = p.parameter_name()?;
            TLS_PARAMETERS
                .contains(&n)
                .then(|| (n.to_string(), p.parameter_value().map(str::to_string)))
        })
        .collect())
}

pub(crate) async fn snapshots(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsRdsSnapshot;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("RDS", &s.region).await;
        aws.rds(&s.region)
            .describe_db_snapshots()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let snaps: Vec<aws_sdk_rds::types::DbSnapshot> = match pages {
        Ok(p) => p
            .into_iter()
            .flat_map(|o| o.db_snapshots.unwrap_or_default())
            .collect(),
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "rds:DescribeDBSnapshots")),
    };
    let client = aws.rds(&s.region);
    let read = each(aws.semaphore("RDS", &s.region), snaps, move |snap| {
        let client = client.clone();
        async move {
            let sharing = if snap.snapshot_type() == Some("automated") {
                Ok((false, vec![]))
            } else {
                restore_sharing(&client, snap.db_snapshot_identifier().unwrap_or_default()).await
            };
            (snap, sharing)
        }
    })
    .await;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (snap, sharing) in read {
        let Some(arn) = snap.db_snapshot_arn() else {
            continue;
        };
        let name = snap.db_snapshot_identifier().unwrap_or(arn);
        let resource = aws.resource(
            kind,
            &s.region,
            arn.to_string(),
            name,
            tags(snap.tag_list()),
        );
        // Sharing unknown: an error for this snapshot only; it stays, unshared on paper,
        // and the engine reports ERROR for it (its creation time still counts as a backup).
        let (public, shared_with_accounts) = match sharing {
            Ok(x) => x,
            Err(e) => {
                let op = "rds:DescribeDBSnapshotAttributes";
                errors.push(CollectionError::of_resource(&resource, op, e));
                (false, vec![])
            }
        };
        out.push(RdsSnapshot {
            resource,
            db_instance_identifier: snap.db_instance_identifier().map(str::to_string),
            snapshot_type: snap.snapshot_type().map(str::to_string),
            status: snap.status().map(str::to_string),
            encrypted: snap.encrypted().unwrap_or(false),
            kms_key_id: snap.kms_key_id().map(str::to_string),
            create_time: snap.snapshot_create_time().and_then(to_chrono),
            public,
            shared_with_accounts,
        });
    }
    aws.add(|inv| {
        inv.aws_rds_snapshots.extend(out);
        inv.errors.extend(errors);
    });
}

/// The `restore` attribute: (granted to `all`, other account ids).
async fn restore_sharing(
    client: &aws_sdk_rds::Client,
    id: &str,
) -> Result<(bool, Vec<String>), String> {
    let out = client
        .describe_db_snapshot_attributes()
        .db_snapshot_identifier(id)
        .send()
        .await
        .map_err(|e| reason(&e, "rds:DescribeDBSnapshotAttributes"))?;
    let values: Vec<String> = out
        .db_snapshot_attributes_result()
        .map(|r| r.db_snapshot_attributes())
        .unwrap_or_default()
        .iter()
        .filter(|a| a.attribute_name() == Some("restore"))
        .flat_map(|a| a.attribute_values().iter().cloned())
        .collect();
    let public = values.iter().any(|v| v == "all");
    let accounts = values.into_iter().filter(|v| v != "all").collect();
    Ok((public, accounts))
}

pub(crate) async fn cluster_snapshots(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsRdsClusterSnapshot;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("RDS", &s.region).await;
        aws.rds(&s.region)
            .describe_db_cluster_snapshots()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let pages = match pages {
        Ok(p) => p,
        Err(e) => {
            let why = reason(&e, "rds:DescribeDBClusterSnapshots");
            return aws.error(Some(&s.region), kind, why);
        }
    };
    let out: Vec<RdsClusterSnapshot> = pages
        .iter()
        .flat_map(|p| p.db_cluster_snapshots())
        .filter_map(|c| {
            let arn = c.db_cluster_snapshot_arn()?;
            let name = c.db_cluster_snapshot_identifier().unwrap_or(arn);
            Some(RdsClusterSnapshot {
                resource: aws.resource(kind, &s.region, arn.to_string(), name, tags(c.tag_list())),
                db_cluster_identifier: c.db_cluster_identifier().map(str::to_string),
                snapshot_type: c.snapshot_type().map(str::to_string),
                status: c.status().map(str::to_string),
                storage_encrypted: c.storage_encrypted(),
                create_time: c.snapshot_create_time().and_then(to_chrono),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_rds_cluster_snapshots.extend(out));
}
