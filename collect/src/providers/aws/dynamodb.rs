//! DynamoDB tables: ListTables, then per table DescribeTable (encryption) and
//! DescribeContinuousBackups (point-in-time recovery). A table whose backups or key cannot
//! be read is an error for that table only (operation and reason); it stays with that field
//! `None`, and the engine reports ERROR for it, since half a table would claim "no PITR" or
//! "AWS owned key" when the truth is "unknown". A table whose DescribeTable fails is an
//! error for that table (named by its documented ARN), without a record.
//!
//! The table's KMS key, when it has one, is classified with [`key_owner::key_managers`]
//! (an AWS managed `alias/aws/dynamodb` key versus a customer managed key).

use std::collections::BTreeSet;

use aws_sdk_dynamodb::types::TableDescription;

use super::{each, key_owner, reason, to_chrono, Aws, RegionShared};
use crate::model::aws::DynamoDbTable;
use crate::model::{CollectionError, ResourceKind, Tags};

const DESCRIBE: &str = "dynamodb:DescribeTable";
const BACKUPS: &str = "dynamodb:DescribeContinuousBackups";

/// PITR status and `LatestRestorableDateTime`.
type Pitr = (Option<String>, Option<chrono::DateTime<chrono::Utc>>);

/// The table and its PITR (`Err`: why it could not be read); `Err` with the name when
/// DescribeTable fails.
type Described = (TableDescription, Result<Pitr, String>);

async fn describe(
    client: aws_sdk_dynamodb::Client,
    name: String,
) -> Result<Described, (String, String)> {
    let table = match client.describe_table().table_name(&name).send().await {
        Ok(o) => o.table,
        Err(e) => return Err((name, reason(&e, DESCRIBE))),
    };
    let Some(table) = table else {
        return Err((name, format!("the answer has no Table ({DESCRIBE})")));
    };
    let pitr = client
        .describe_continuous_backups()
        .table_name(&name)
        .send()
        .await
        .map(|backups| {
            let p = backups
                .continuous_backups_description()
                .and_then(|d| d.point_in_time_recovery_description());
            (
                p.and_then(|p| p.point_in_time_recovery_status())
                    .map(|s| s.as_str().to_string()),
                p.and_then(|p| p.latest_restorable_date_time())
                    .and_then(to_chrono),
            )
        })
        .map_err(|e| reason(&e, BACKUPS));
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
    let mut errors = Vec::new();
    for d in described {
        match d {
            Ok(t) => tables.push(t),
            Err((name, why)) => {
                let arn = aws.arn(
                    "dynamodb",
                    &s.region,
                    aws.account(),
                    &format!("table/{name}"),
                );
                let table = aws.resource(kind, &s.region, arn, &name, Tags::new());
                errors.push(CollectionError::of_resource(&table, DESCRIBE, why));
            }
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
        let resource = aws.resource(kind, &s.region, arn.to_string(), name, Tags::new());
        let mut unread = |op: &str, why: String| {
            errors.push(CollectionError::of_resource(&resource, op, why));
        };
        let sse = t.sse_description();
        let key = sse.and_then(|d| d.kms_master_key_arn());
        let manager = match key.map(|k| (k, managers.get(k))) {
            None => None,
            Some((_, Some(Ok(m)))) => Some(m.clone()),
            Some((_, Some(Err(e)))) => {
                unread("kms:DescribeKey", e.clone());
                None
            }
            Some((k, None)) => {
                unread("kms:DescribeKey", format!("key {k} not classified"));
                None
            }
        };
        let (pitr, latest) = pitr.unwrap_or_else(|why| {
            unread(BACKUPS, why);
            (None, None)
        });
        out.push(DynamoDbTable {
            resource,
            table_status: t.table_status().map(|x| x.as_str().to_string()),
            sse_status: sse.and_then(|d| d.status()).map(|x| x.as_str().to_string()),
            sse_type: sse
                .and_then(|d| d.sse_type())
                .map(|x| x.as_str().to_string()),
            kms_key_arn: key.map(str::to_string),
            kms_key_manager: manager,
            pitr_status: pitr,
            pitr_latest_restorable: latest,
        });
    }
    aws.add(|inv| {
        inv.aws_dynamodb_tables.extend(out);
        inv.errors.extend(errors);
    });
}
