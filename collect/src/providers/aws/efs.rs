//! EFS file systems (DescribeFileSystems, paginated); the tags come with the answer.

use super::{name_from, reason, Aws, RegionShared};
use crate::model::aws::EfsFileSystem;
use crate::model::{ResourceKind, Tags};

pub(crate) async fn file_systems(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEfsFileSystem;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("EFS", &s.region).await;
        aws.efs(&s.region)
            .describe_file_systems()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let pages = match pages {
        Ok(p) => p,
        Err(e) => {
            return aws.error(
                Some(&s.region),
                kind,
                reason(&e, "elasticfilesystem:DescribeFileSystems"),
            )
        }
    };
    let out: Vec<EfsFileSystem> = pages
        .iter()
        .flat_map(|p| p.file_systems())
        .map(|fs| {
            let id = fs.file_system_id();
            let tags: Tags = fs
                .tags()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string()))
                .collect();
            let name = fs
                .name()
                .map(str::to_string)
                .unwrap_or_else(|| name_from(&tags, id));
            let arn = fs.file_system_arn().map(str::to_string).unwrap_or_else(|| {
                aws.arn(
                    "elasticfilesystem",
                    &s.region,
                    aws.account(),
                    &format!("file-system/{id}"),
                )
            });
            EfsFileSystem {
                resource: aws.resource(kind, &s.region, arn, &name, tags),
                encrypted: fs.encrypted().unwrap_or(false),
                kms_key_id: fs.kms_key_id().map(str::to_string),
                life_cycle_state: Some(fs.life_cycle_state().as_str().to_string()),
            }
        })
        .collect();
    aws.add(|inv| inv.aws_efs_file_systems.extend(out));
}
