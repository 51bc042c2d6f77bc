//! Redshift clusters: DescribeClusters (paginated), then DescribeClusterParameters once per
//! parameter group in use (for `require_ssl`) and DescribeLoggingStatus per cluster.
//!
//! A group whose parameters cannot be read, or a cluster whose logging status cannot, is an
//! error for the clusters concerned only: they stay in the inventory with that field `None`
//! and the engine reports ERROR for them, never a verdict built on the unknown value.

use std::collections::{BTreeMap, BTreeSet};

use super::{each, reason, tags_of, Aws, RegionShared};
use crate::model::aws::RedshiftCluster;
use crate::model::{CollectionError, ResourceKind};

const PARAMETERS: &str = "redshift:DescribeClusterParameters";
const LOGGING: &str = "redshift:DescribeLoggingStatus";

/// `require_ssl` of `group` (`None`: not listed).
async fn require_ssl(
    client: &aws_sdk_redshift::Client,
    group: &str,
) -> Result<Option<String>, String> {
    let pages: Result<Vec<_>, _> = client
        .describe_cluster_parameters()
        .parameter_group_name(group)
        .into_paginator()
        .send()
        .collect()
        .await;
    Ok(pages
        .map_err(|e| reason(&e, PARAMETERS))?
        .iter()
        .flat_map(|p| p.parameters())
        .find(|p| p.parameter_name() == Some("require_ssl"))
        .and_then(|p| p.parameter_value().map(str::to_string)))
}

pub(crate) async fn clusters(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsRedshiftCluster;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("Redshift", &s.region).await;
        aws.redshift(&s.region)
            .describe_clusters()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let clusters: Vec<aws_sdk_redshift::types::Cluster> = match pages {
        Ok(p) => p
            .into_iter()
            .flat_map(|o| o.clusters.unwrap_or_default())
            .collect(),
        Err(e) => {
            return aws.error(
                Some(&s.region),
                kind,
                reason(&e, "redshift:DescribeClusters"),
            )
        }
    };
    let groups: BTreeSet<String> = clusters
        .iter()
        .filter_map(|c| c.cluster_parameter_groups().first()?.parameter_group_name())
        .map(str::to_string)
        .collect();
    let client = aws.redshift(&s.region);
    let read = each(
        aws.semaphore("Redshift", &s.region),
        groups.into_iter().collect(),
        {
            let client = client.clone();
            move |g: String| {
                let client = client.clone();
                async move {
                    let r = require_ssl(&client, &g).await;
                    (g, r)
                }
            }
        },
    )
    .await;
    let ssl: BTreeMap<String, Result<Option<String>, String>> = read.into_iter().collect();
    let ids: Vec<String> = clusters
        .iter()
        .filter_map(|c| c.cluster_identifier().map(str::to_string))
        .collect();
    let logging = each(aws.semaphore("Redshift", &s.region), ids, move |id| {
        let client = client.clone();
        async move {
            let r = client
                .describe_logging_status()
                .cluster_identifier(&id)
                .send()
                .await
                .map_err(|e| reason(&e, LOGGING));
            (id, r)
        }
    })
    .await;
    let logging: BTreeMap<String, _> = logging.into_iter().collect();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for c in &clusters {
        let Some(id) = c.cluster_identifier() else {
            continue;
        };
        let arn = aws.arn(
            "redshift",
            &s.region,
            aws.account(),
            &format!("cluster:{id}"),
        );
        let tags = tags_of(c.tags(), |t| t.key(), |t| t.value());
        let resource = aws.resource(kind, &s.region, arn, id, tags);
        let group = c
            .cluster_parameter_groups()
            .first()
            .and_then(|g| g.parameter_group_name())
            .map(str::to_string);
        let require_ssl = match group.as_ref().and_then(|g| ssl.get(g)) {
            Some(Ok(v)) => v.clone(),
            Some(Err(why)) => {
                let why = format!(
                    "parameter group {}: {why}",
                    group.as_deref().unwrap_or_default()
                );
                errors.push(CollectionError::of_resource(&resource, PARAMETERS, why));
                None
            }
            None => None,
        };
        let (logging_enabled, log_destination) = match logging.get(id) {
            Some(Ok(l)) => (
                l.logging_enabled(),
                l.log_destination_type().map(|d| d.as_str().to_string()),
            ),
            Some(Err(why)) => {
                errors.push(CollectionError::of_resource(
                    &resource,
                    LOGGING,
                    why.clone(),
                ));
                (None, None)
            }
            None => (None, None),
        };
        out.push(RedshiftCluster {
            resource,
            encrypted: c.encrypted().unwrap_or(false),
            kms_key_id: c.kms_key_id().map(str::to_string),
            publicly_accessible: c.publicly_accessible().unwrap_or(false),
            parameter_group: group,
            require_ssl,
            logging_enabled,
            log_destination: log_destination.filter(|d| !d.is_empty()),
        });
    }
    aws.add(|inv| {
        inv.aws_redshift_clusters.extend(out);
        inv.errors.extend(errors);
    });
}
