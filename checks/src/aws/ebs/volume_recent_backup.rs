use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{EbsSnapshot, EbsVolume};
use phiscan_core::ResourceKind;

use crate::aws::backup::{recent_backup, RecoveryPoints};
use crate::index::greatest_by;

declare_check! {
    /// ## What it checks
    /// Every EBS volume has a backup no older than `params.max_backup_age_hours` (24 by
    /// default), measured against the scan clock: the newest of
    /// - a `completed` EBS snapshot of the volume (DescribeSnapshots `VolumeId`), which
    ///   includes the snapshots AWS Backup and Data Lifecycle Manager take, and
    /// - a `COMPLETED` AWS Backup recovery point of the volume, or of an instance it is
    ///   attached to (an EC2 backup covers its volumes), in any region of the account.
    ///
    /// A volume without either FAILs: a missing backup is not evidence of a recent one. A
    /// backup time after the scan clock (clock skew) counts as 0 hours old. If the
    /// snapshots or recovery points of the volume's region could not be collected and no
    /// recent backup was seen, the verdict is ERROR, not FAIL: the missing data may hold one.
    ///
    /// ## Why it matters
    /// The policies promise "daily snapshot backups" of every system holding ePHI. A volume
    /// whose newest snapshot is days old (a deleted lifecycle policy, a backup plan whose
    /// selection misses the volume's tags) loses days of records when it fails (data backup
    /// plan, 45 CFR 164.308(a)(7)(ii)(A); disaster recovery plan, 164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `newest_backup`, `newest_backup_source` (the snapshot or recovery point),
    /// `backup_age_hours`, `max_backup_age_hours` and `volume_state`.
    ///
    /// ## Remediation
    /// Add the volume to a daily AWS Backup plan (`aws backup create-backup-selection` with
    /// the volume's ARN or a tag it carries) or a Data Lifecycle Manager policy
    /// (`aws dlm create-lifecycle-policy`) with a 24-hour schedule, then check the latest
    /// job: `aws backup list-backup-jobs --by-resource-arn <volume-arn>`.
    pub struct EbsVolumeRecentBackup {
        id: "aws-ebs-volume-recent-backup",
        title: "EBS volumes have a snapshot or recovery point from the last 24 hours",
        severity: High,
        provider: Aws,
        kinds: [AwsEbsVolume, AwsEbsSnapshot, AwsBackupRecoveryPoint],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

const SOURCES: [ResourceKind; 2] = [
    ResourceKind::AwsEbsSnapshot,
    ResourceKind::AwsBackupRecoveryPoint,
];

impl Check for EbsVolumeRecentBackup {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let points = RecoveryPoints::of(ctx);
        // The newest completed snapshot of each (account, region, volume), looked up per
        // volume rather than scanned for each.
        let newest = greatest_by(ctx.resources::<EbsSnapshot>(), |s| {
            let volume = s.volume_id.as_deref().filter(|_| s.state == "completed")?;
            let key = (s.resource.account.as_str(), s.resource.region.as_str(), volume);
            Some((key, (s.start_time, s.resource.id.as_str())))
        });
        ctx.resources::<EbsVolume>()
            .iter()
            .map(|v| {
                let r = &v.resource;
                let volume_id = r.id.rsplit('/').next().unwrap_or(&r.id);
                let snapshot = newest
                    .get(&(r.account.as_str(), r.region.as_str(), volume_id))
                    .copied();
                // The ARNs AWS Backup names as the protected resource: the volume, and the
                // instances it is attached to.
                let mut arns = vec![r.id.clone()];
                if let Some((prefix, _)) = r.id.rsplit_once(":volume/") {
                    arns.extend(
                        v.attached_instances
                            .iter()
                            .map(|i| format!("{prefix}:instance/{i}")),
                    );
                }
                recent_backup(ctx, &points,
                    r,
                    snapshot,
                    &arns,
                    &SOURCES,
                    "No completed snapshot or recovery point of the volume was found.",
                )
                .evidence("volume_state", &v.state)
                .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{backup_recovery_point, ebs_snapshot, ebs_volume};
    use crate::testing::{now, run, run_with};
    use chrono::Duration;
    use crate::testing::aws_list_error;
    use phiscan_core::{Config, Inventory, Status};

    const ARN: &str = "arn:aws:ec2:us-east-1:111122223333:volume/";

    fn volume(id: &str, instance: Option<&str>) -> EbsVolume {
        let mut v = ebs_volume(&format!("{ARN}{id}"));
        v.attached_instances = instance.into_iter().map(str::to_string).collect();
        v
    }

    fn snap(id: &str, volume: &str, hours_ago: i64, state: &str) -> EbsSnapshot {
        let mut s = ebs_snapshot(id);
        s.volume_id = Some(volume.into());
        s.start_time = now() - Duration::hours(hours_ago);
        s.state = state.into();
        s
    }

    fn inventory() -> Inventory {
        let mut inv = Inventory::new();
        inv.aws_ebs_volumes = vec![
            volume("vol-snap", None),
            volume("vol-stale", None),
            volume("vol-pending", None),
            volume("vol-rp", None),
            volume("vol-instance", Some("i-1")),
            volume("vol-none", None),
        ];
        inv.aws_ebs_snapshots = vec![
            snap("snap-fresh", "vol-snap", 6, "completed"),
            snap("snap-old", "vol-snap", 50, "completed"),
            snap("snap-stale", "vol-stale", 30, "completed"),
            snap("snap-pending", "vol-pending", 1, "pending"),
        ];
        let mut instance_rp = backup_recovery_point(
            "rp-instance",
            "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
            2,
        );
        instance_rp.resource_type = Some("EC2".into());
        let mut partial = backup_recovery_point("rp-partial", &format!("{ARN}vol-none"), 1);
        partial.status = Some("PARTIAL".into());
        inv.aws_backup_recovery_points = vec![
            backup_recovery_point("rp-vol", &format!("{ARN}vol-rp"), 10),
            instance_rp,
            partial,
        ];
        inv
    }

    #[test]
    fn newest_snapshot_or_recovery_point_decides() {
        let f = run(&EbsVolumeRecentBackup, &inventory());
        let id = |v: &str| format!("{ARN}{v}");
        assert_eq!(f.status_of(&id("vol-snap")), Status::Pass);
        assert_eq!(
            f.evidence_of(&id("vol-snap"), "newest_backup_source"),
            "snap-fresh"
        );
        assert_eq!(f.evidence_of(&id("vol-snap"), "backup_age_hours"), 6);
        assert_eq!(f.status_of(&id("vol-stale")), Status::Fail);
        assert!(f.of(&id("vol-stale")).reason.contains("30 h"));
        assert_eq!(f.status_of(&id("vol-pending")), Status::Fail);
        assert_eq!(f.status_of(&id("vol-rp")), Status::Pass);
        assert_eq!(
            f.evidence_of(&id("vol-rp"), "newest_backup_source"),
            "rp-vol"
        );
        assert_eq!(f.status_of(&id("vol-instance")), Status::Pass);
        assert_eq!(f.status_of(&id("vol-none")), Status::Fail);
        assert!(f
            .of(&id("vol-none"))
            .reason
            .contains("No completed snapshot"));

        let mut config = Config::default();
        config.params.max_backup_age_hours = 48;
        let f = run_with(&EbsVolumeRecentBackup, &inventory(), &config);
        assert_eq!(f.status_of(&id("vol-stale")), Status::Pass);
    }

    #[test]
    fn missing_recovery_points_make_error_not_fail() {
        let mut inv = inventory();
        inv.errors.push(aws_list_error(ResourceKind::AwsBackupRecoveryPoint, "NotImplemented (backup:ListRecoveryPointsByBackupVault)"));
        let f = run(&EbsVolumeRecentBackup, &inv);
        // No volume keeps a verdict in the region: one ERROR for the region, nothing else.
        assert!(f.0.iter().all(|x| x.status == Status::Error), "{:#?}", f.0);
        assert!(f
            .0
            .iter()
            .any(|x| x.reason.contains("ListRecoveryPointsByBackupVault")));
    }
}
