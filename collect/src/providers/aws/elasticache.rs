//! ElastiCache replication groups (DescribeReplicationGroups) and serverless caches
//! (DescribeServerlessCaches), each one paginated call per region that carries everything
//! the checks read, then ListTagsForResource per resource for its tags.
//!
//! moto 5.2.5 answers DescribeServerlessCaches with an HTTP 500 and no AWS error code
//! (NotImplementedError): that is a collection error "the endpoint does not implement
//! elasticache:DescribeServerlessCaches" for the region ([`reason_or_gap`]), never an empty
//! list.

use std::collections::BTreeMap;

use super::{each, reason, reason_or_gap, tags_of, Aws, RegionShared};
use crate::model::aws::{ElastiCacheReplicationGroup, ElastiCacheServerlessCache};
use crate::model::{CollectionError, ResourceKind, ResourceRef, Tags};

const TAGS: &str = "elasticache:ListTagsForResource";

/// ListTagsForResource of every resource (they place it in or out of a data-classification
/// scope); a failed read is an error for that resource only, which keeps its record.
async fn tag<'a>(
    aws: &Aws,
    s: &RegionShared,
    resources: impl Iterator<Item = &'a mut ResourceRef>,
) -> Vec<CollectionError> {
    let mut resources: Vec<&mut ResourceRef> = resources.collect();
    let client = aws.elasticache(&s.region);
    let arns: Vec<String> = resources.iter().map(|r| r.id.clone()).collect();
    let read: BTreeMap<String, Result<Tags, String>> =
        each(aws.semaphore("ElastiCache", &s.region), arns, move |arn| {
            let client = client.clone();
            async move {
                let r = client
                    .list_tags_for_resource()
                    .resource_name(&arn)
                    .send()
                    .await
                    .map(|o| tags_of(o.tag_list(), |t| t.key(), |t| t.value()))
                    .map_err(|e| reason(&e, TAGS));
                (arn, r)
            }
        })
        .await
        .into_iter()
        .collect();
    let mut errors = Vec::new();
    for r in resources.iter_mut() {
        match read.get(&r.id) {
            Some(Ok(t)) => r.tags = t.clone(),
            Some(Err(why)) => errors.push(CollectionError::of_resource(r, TAGS, why.clone())),
            None => {}
        }
    }
    errors
}

pub(crate) async fn replication_groups(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsElastiCacheReplicationGroup;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("ElastiCache", &s.region).await;
        aws.elasticache(&s.region)
            .describe_replication_groups()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let pages = match pages {
        Ok(p) => p,
        Err(e) => {
            let why = reason_or_gap(&e, "elasticache:DescribeReplicationGroups");
            return aws.error(Some(&s.region), kind, why);
        }
    };
    let mut out: Vec<ElastiCacheReplicationGroup> = pages
        .iter()
        .flat_map(|p| p.replication_groups())
        .filter_map(|g| {
            let id = g.replication_group_id()?;
            let arn = g.arn().map(str::to_string).unwrap_or_else(|| {
                aws.arn(
                    "elasticache",
                    &s.region,
                    aws.account(),
                    &format!("replicationgroup:{id}"),
                )
            });
            Some(ElastiCacheReplicationGroup {
                resource: aws.resource(kind, &s.region, arn, id, Tags::new()),
                engine: g.engine().map(str::to_string),
                at_rest_encryption: g.at_rest_encryption_enabled(),
                transit_encryption: g.transit_encryption_enabled(),
                transit_encryption_mode: g
                    .transit_encryption_mode()
                    .map(|m| m.as_str().to_string()),
                auth_token_enabled: g.auth_token_enabled(),
                user_group_ids: g.user_group_ids().to_vec(),
                snapshot_retention_limit: g.snapshot_retention_limit(),
                kms_key_id: g.kms_key_id().map(str::to_string),
            })
        })
        .collect();
    let errors = tag(aws, s, out.iter_mut().map(|g| &mut g.resource)).await;
    aws.add(|inv| {
        inv.aws_elasticache_replication_groups.extend(out);
        inv.errors.extend(errors);
    });
}

pub(crate) async fn serverless_caches(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsElastiCacheServerlessCache;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("ElastiCache", &s.region).await;
        aws.elasticache(&s.region)
            .describe_serverless_caches()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let pages = match pages {
        Ok(p) => p,
        Err(e) => {
            let why = reason_or_gap(&e, "elasticache:DescribeServerlessCaches");
            return aws.error(Some(&s.region), kind, why);
        }
    };
    let mut out: Vec<ElastiCacheServerlessCache> = pages
        .iter()
        .flat_map(|p| p.serverless_caches())
        .filter_map(|c| {
            let name = c.serverless_cache_name()?;
            let arn = c.arn().map(str::to_string).unwrap_or_else(|| {
                aws.arn(
                    "elasticache",
                    &s.region,
                    aws.account(),
                    &format!("serverlesscache:{name}"),
                )
            });
            Some(ElastiCacheServerlessCache {
                resource: aws.resource(kind, &s.region, arn, name, Tags::new()),
                engine: c.engine().map(str::to_string),
                kms_key_id: c.kms_key_id().map(str::to_string),
                user_group_id: c.user_group_id().map(str::to_string),
                snapshot_retention_limit: c.snapshot_retention_limit(),
            })
        })
        .collect();
    let errors = tag(aws, s, out.iter_mut().map(|c| &mut c.resource)).await;
    aws.add(|inv| {
        inv.aws_elasticache_serverless_caches.extend(out);
        inv.errors.extend(errors);
    });
}
