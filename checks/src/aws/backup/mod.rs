//! AWS Backup checks, and what the recent-backup checks of EBS volumes and RDS instances
//! share: the newest completed AWS Backup recovery point of a resource, and whether the
//! backup data of a region is incomplete.

pub mod vault_cmk;

use chrono::{DateTime, Utc};
use phiscan_scanner::check::Ctx;
use phiscan_scanner::model::aws::BackupRecoveryPoint;
use phiscan_scanner::{ResourceKind, ResourceRef};

/// The newest `COMPLETED` recovery point of any of `arns` in the resource's account (copies
/// in other regions count: they restore the same data), as (time, recovery point ARN). The
/// time is the completion date, else the creation date.
pub(crate) fn newest_recovery_point<'a>(
    ctx: &Ctx<'a>,
    account: &str,
    arns: &[String],
) -> Option<(DateTime<Utc>, &'a str)> {
    ctx.resources::<BackupRecoveryPoint>()
        .iter()
        .filter(|rp| rp.resource.account == account)
        .filter(|rp| rp.status.as_deref() == Some("COMPLETED"))
        .filter(|rp| rp.resource_arn.as_ref().is_some_and(|a| arns.contains(a)))
        .filter_map(|rp| {
            let t = rp.completion_date.or(rp.creation_date)?;
            Some((t, rp.resource.id.as_str()))
        })
        .max()
}

/// The backup sources (of `kinds`) that could not be collected where `r` lives. A
/// resource without a recent backup there is unknown, not failed: a recovery point may
/// exist that was not read.
pub(crate) fn missing_backup_data(
    ctx: &Ctx,
    r: &ResourceRef,
    kinds: &[ResourceKind],
) -> Vec<String> {
    ctx.inventory
        .errors
        .iter()
        .filter(|e| kinds.contains(&e.kind) && e.covers(&r.account, &r.region))
        .map(|e| format!("{}: {}", e.kind.as_str(), e.reason))
        .collect()
}

/// Hours from `t` to the scan clock; a time after the clock (skew) is 0 hours old.
pub(crate) fn age_hours(ctx: &Ctx, t: DateTime<Utc>) -> i64 {
    (ctx.now - t).num_hours().max(0)
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::testing::{aws_ref, now};
    use phiscan_scanner::model::aws::BackupRecoveryPoint;
    use phiscan_scanner::ResourceKind;

    /// A completed recovery point of `resource_arn`, `hours_ago` old.
    pub fn recovery_point(id: &str, resource_arn: &str, hours_ago: i64) -> BackupRecoveryPoint {
        BackupRecoveryPoint {
            resource: aws_ref(ResourceKind::AwsBackupRecoveryPoint, "us-east-1", id),
            vault_name: "phi-vault".into(),
            resource_arn: Some(resource_arn.into()),
            resource_type: Some("EBS".into()),
            status: Some("COMPLETED".into()),
            creation_date: Some(now() - chrono::Duration::hours(hours_ago + 1)),
            completion_date: Some(now() - chrono::Duration::hours(hours_ago)),
            encrypted: Some(true),
        }
    }
}
