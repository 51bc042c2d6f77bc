//! AWS Backup checks, and the one recency rule every recent-backup check applies (EBS
//! volumes, RDS instances and clusters, EFS file systems, DynamoDB tables): the newest of
//! the service's own backup and the completed AWS Backup recovery points of a resource,
//! against `max_backup_age_hours`, and ERROR when the backup data of its region is
//! incomplete.

phiscan_core::checks! {
    vault_cmk::BackupVaultCmk,
}

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use phiscan_core::check::{Ctx, FindingBuilder};
use phiscan_core::model::aws::BackupRecoveryPoint;
use phiscan_core::{ResourceKind, ResourceRef};

/// The recent-backup verdict of `r`: its newest backup is the newer of `snapshot` (the
/// service's own backup, as (time, source): a snapshot and its id, or the latest moment
/// point-in-time recovery can restore) and the newest recovery point of any of
/// `arns`. PASS when it is at most `max_backup_age_hours` old; ERROR rather than FAIL when
/// nothing recent was seen and backup data (`sources`) of the region could not be collected;
/// FAIL otherwise, with `none_reason` when there is no backup at all. The common evidence is
/// set; the caller adds its own and builds.
pub(crate) fn recent_backup<'a>(
    ctx: &Ctx<'a>,
    points: &RecoveryPoints<'a>,
    r: &ResourceRef,
    snapshot: Option<(DateTime<Utc>, &'a str)>,
    arns: &[String],
    sources: &[ResourceKind],
    none_reason: &str,
) -> FindingBuilder {
    let max_hours = ctx.config.params.max_backup_age_hours;
    let point = points.newest(&r.account, arns);
    let newest = snapshot.into_iter().chain(point).max();
    let age = newest.map(|(t, _)| age_hours(ctx, t));
    let missing = missing_backup_data(ctx, r, sources);
    let b = match (newest, age) {
        (Some((t, src)), Some(h)) if h <= max_hours => ctx.pass(r).reason(format!(
            "The newest backup ({src}) is from {} ({h} h before the scan clock; at most {max_hours} h allowed).",
            t.to_rfc3339()
        )),
        _ if !missing.is_empty() => ctx.error(r).reason(format!(
            "No backup newer than {max_hours} h was seen, and backup data of this region could not be collected: {}.",
            missing.join("; ")
        )),
        (Some((t, src)), Some(h)) => ctx.fail(r).reason(format!(
            "The newest backup ({src}) is from {} ({h} h before the scan clock), older than the allowed {max_hours} h.",
            t.to_rfc3339()
        )),
        _ => ctx.fail(r).reason(none_reason),
    };
    b.evidence("newest_backup", newest.map(|(t, _)| t))
        .evidence("newest_backup_source", newest.map(|(_, s)| s))
        .evidence("backup_age_hours", age)
        .evidence("max_backup_age_hours", max_hours)
}

/// The newest `COMPLETED` recovery point of each (account, protected resource ARN), as
/// (time, recovery point ARN); the time is the completion date, else the creation date.
/// Built once per check and looked up per resource: a scan of every recovery point for each
/// resource is quadratic at scale.
pub(crate) struct RecoveryPoints<'a>(HashMap<(&'a str, &'a str), (DateTime<Utc>, &'a str)>);

impl<'a> RecoveryPoints<'a> {
    pub(crate) fn of(ctx: &Ctx<'a>) -> Self {
        let mut newest: HashMap<(&str, &str), (DateTime<Utc>, &str)> = HashMap::new();
        let completed = ctx
            .resources::<BackupRecoveryPoint>()
            .iter()
            .filter(|rp| rp.status.as_deref() == Some("COMPLETED"));
        for rp in completed {
            let (Some(arn), Some(t)) = (
                rp.resource_arn.as_deref(),
                rp.completion_date.or(rp.creation_date),
            ) else {
                continue;
            };
            let point = (t, rp.resource.id.as_str());
            newest
                .entry((rp.resource.account.as_str(), arn))
                .and_modify(|cur| *cur = (*cur).max(point))
                .or_insert(point);
        }
        RecoveryPoints(newest)
    }

    /// The newest recovery point of any of `arns` in `account` (copies in other regions
    /// count: they restore the same data).
    fn newest(&self, account: &str, arns: &[String]) -> Option<(DateTime<Utc>, &'a str)> {
        arns.iter()
            .filter_map(|a| self.0.get(&(account, a.as_str())).copied())
            .max()
    }
}

/// The backup sources (of `kinds`) that could not be collected where `r` lives. A
/// resource without a recent backup there is unknown, not failed: a recovery point may
/// exist that was not read.
fn missing_backup_data(ctx: &Ctx, r: &ResourceRef, kinds: &[ResourceKind]) -> Vec<String> {
    ctx.inventory
        .errors
        .iter()
        .filter(|e| kinds.contains(&e.kind) && e.covers(&r.account, &r.region))
        .map(|e| format!("{}: {}", e.kind.as_str(), e.reason))
        .collect()
}

/// Hours from `t` to the scan clock; a time after the clock (skew) is 0 hours old.
fn age_hours(ctx: &Ctx, t: DateTime<Utc>) -> i64 {
    (ctx.now - t).num_hours().max(0)
}
