//! DynamoDB tables: ListTables, then per table DescribeTable (encryption) and
//! DescribeContinuousBackups (point-in-time recovery). A table whose two answers are not
//! both read is left out with a collection error: half a table would claim "no PITR" or
//! "AWS owned key" when the truth is "unknown".
//!
//! The table's KMS key, when it has one, is classified with [`key_owner::key_managers`]
//! (an AWS managed `alias/aws/dynamodb` key versus a customer managed key).

use std::collections::BTreeSet;

use aws_sdk_dynamodb::types::TableDescription;

use super::{each, key_owner, reason, Aws, RegionShared};
use crate::model::aws::DynamoDbTable;
use crate::model::{ResourceKind, Tags};

async fn describe(
    client: aws_sdk_dynamodb::Client,
    name: String,
) -> Result<(TableDescription, Option<String>), String> {
    let table = client
        .describe_table()
        .table_name(&name)
        .send()
        .await
        .map_err(|e| format!("{name}: {}", reason(&e, "dynamodb:DescribeTable")))?
        .table
        .ok_or_else(|| format!("{name}: the answer has no Table (dynamodb:DescribeTable)"))?;
    let backups = client
        .describe_continuous_backups()
        .table_name(&name)
        .send()
        .await
        .map_err(|e| {
            format!(
                "{name}: {}",
                reason(&e, "dynamodb:DescribeContinuousBackups")
            )
        })?;
    let pitr = backups
        .continuous_backups_description()
        .and_then(|d| d.point_in_time_recovery_description())
        .and_then(|p| p.point_in_time_recovery_status())
        .map(|s| s.as_str().to_string());
    Ok((table, pitr))
}

pub(crate) async fn tables(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsDynamoDbTable;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("DynamoDB", &s.region).await;
        aws.dynamodb(&s.region)
            .list_tables()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let names: Vec<String> = match pages {
        Ok(p) => p
            .into_iter()
            .flat_map(|o| o.table_names.unwrap_or_default())
            .collect(),
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "dynamodb:ListTables")),
    };
    let client = aws.dynamodb(&s.region);
    let described = each(aws.semaphore("DynamoDB", &s.region), names, move |name| {
        describe(client.clone(), name)
    })
    .await;
    let mut tables = Vec::new();
    for d in described {
        match d {
            Ok(t) => tables.push(t),
            Err(e) => aws.error(Some(&s.region), kind, e),
        }
    }
    let keys: BTreeSet<String> = tables
        .iter()
        .filter_map(|(t, _)| {
            t.sse_description()?
                .kms_master_key_arn()
                .map(str::to_string)
        })
        .collect();
    let managers = key_owner::key_managers(aws, s, keys).await;
    let mut out = Vec::new();
    for (t, pitr) in tables {
        let (Some(arn), Some(name)) = (t.table_arn(), t.table_name()) else {
            continue;
        };
        let sse = t.sse_description();
        let key = sse.and_then(|d| d.kms_master_key_arn());
        let manager = match key.map(|k| (k, managers.get(k))) {
            None => None,
            Some((_, Some(Ok(m)))) => Some(m.clone()),
            Some((_, Some(Err(e)))) => {
                aws.error(Some(&s.region), kind, format!("{name}: {e}"));
                continue;
            }
            Some((k, None)) => {
                aws.error(
                    Some(&s.region),
                    kind,
                    format!("{name}: key {k} not classified"),
                );
                continue;
            }
        };
        out.push(DynamoDbTable {
            resource: aws.resource(kind, &s.region, arn.to_string(), name, Tags::new()),
            table_status: t.table_status().map(|x| x.as_str().to_string()),
            sse_status: sse.and_then(|d| d.status()).map(|x| x.as_str().to_string()),
            sse_type: sse
                .and_then(|d| d.sse_type())
                .map(|x| x.as_str().to_string()),
            kms_key_arn: key.map(str::to_string),
            kms_key_manager: manager,
            pitr_status: pitr,
        });
    }
    aws.add(|inv| inv.aws_dynamodb_tables.extend(out));
}
