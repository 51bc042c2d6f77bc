//! CloudWatch Logs log groups: DescribeLogGroups per region, paginated. The answer carries
//! both settings the checks read (kmsKeyId, retentionInDays), so no per-group call.

use super::{reason, Aws, RegionShared};
use crate::model::aws::LogGroup;
use crate::model::{ResourceKind, Tags};

pub(crate) async fn log_groups(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsLogGroup;
    let client = aws.logs(&s.region);
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("Logs", &s.region).await;
        client
            .describe_log_groups()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let groups = match pages {
        Ok(p) => p
            .into_iter()
            .flat_map(|o| o.log_groups.unwrap_or_default())
            .collect::<Vec<_>>(),
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "logs:DescribeLogGroups")),
    };
    let out: Vec<LogGroup> = groups
        .iter()
        .filter_map(|g| {
            let name = g.log_group_name()?;
            // `logGroupArn` is the ARN without the `:*` suffix that `arn` carries.
            let arn = g
                .log_group_arn()
                .map(str::to_string)
                .or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_string()))
                .unwrap_or_else(|| {
                    aws.arn(
                        "logs",
                        &s.region,
                        aws.account(),
                        &format!("log-group:{name}"),
                    )
                });
            Some(LogGroup {
                resource: aws.resource(kind, &s.region, arn, name, Tags::new()),
                kms_key_id: g.kms_key_id().map(str::to_string),
                retention_in_days: g.retention_in_days(),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_log_groups.extend(out));
}
