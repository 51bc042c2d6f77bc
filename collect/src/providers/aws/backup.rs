//! AWS Backup: vaults (ListBackupVaults, shared per region with the recovery points) and
//! the recovery points of every vault (ListRecoveryPointsByBackupVault), which feed the
//! recent-backup checks of EBS volumes and RDS instances.
//!
//! The vault's key is classified with [`key_owner::key_managers`]: a vault whose key cannot
//! be classified stays without its key manager, with an error for that vault only, rather
//! than guessed.
//!
//! Note (moto 5.2.5): moto implements ListBackupVaults but no recovery-point operation, so
//! against moto every region with a vault records a collection error for recovery points,
//! and the recent-backup checks report ERROR there, never PASS.

use std::collections::BTreeSet;

use super::{each, key_owner, reason_or_gap, to_chrono, Aws, RegionShared};
use crate::model::aws::{BackupRecoveryPoint, BackupVault};
use crate::model::{CollectionError, ResourceKind, Tags};

pub(crate) async fn vaults(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsBackupVault;
    let vaults = match s.backup_vaults(aws).await {
        Ok(v) => v,
        Err(e) => return aws.error(Some(&s.region), kind, e.clone()),
    };
    let keys: BTreeSet<String> = vaults
        .iter()
        .filter_map(|v| v.encryption_key_arn().map(str::to_string))
        .collect();
    let managers = key_owner::key_managers(aws, s, keys).await;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for v in vaults {
        let (Some(arn), Some(name)) = (v.backup_vault_arn(), v.backup_vault_name()) else {
            continue;
        };
        let resource = aws.resource(kind, &s.region, arn.to_string(), name, Tags::new());
        let manager = match v.encryption_key_arn().map(|k| (k, managers.get(k))) {
            None => None,
            Some((_, Some(Ok(m)))) => Some(m.clone()),
            Some((k, unclassified)) => {
                let why = match unclassified {
                    Some(Err(why)) => why.clone(),
                    _ => format!("key {k} not classified"),
                };
                errors.push(CollectionError::of_resource(
                    &resource,
                    "kms:DescribeKey",
                    why,
                ));
                None
            }
        };
        out.push(BackupVault {
            resource,
            encryption_key_arn: v.encryption_key_arn().map(str::to_string),
            encryption_key_manager: manager,
            recovery_points: Some(v.number_of_recovery_points()),
            locked: v.locked(),
        });
    }
    aws.add(|inv| {
        inv.aws_backup_vaults.extend(out);
        inv.errors.extend(errors);
    });
}

pub(crate) async fn recovery_points(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsBackupRecoveryPoint;
    let vaults = match s.backup_vaults(aws).await {
        Ok(v) => v,
        Err(e) => return aws.error(Some(&s.region), kind, e.clone()),
    };
    let names: Vec<String> = vaults
        .iter()
        .filter_map(|v| v.backup_vault_name().map(str::to_string))
        .collect();
    let client = aws.backup(&s.region);
    let listed = each(aws.semaphore("Backup", &s.region), names, move |name| {
        let client = client.clone();
        async move {
            let pages: Result<Vec<_>, _> = client
                .list_recovery_points_by_backup_vault()
                .backup_vault_name(&name)
                .into_paginator()
                .send()
                .collect()
                .await;
            (name, pages)
        }
    })
    .await;
    let mut out = Vec::new();
    for (vault, pages) in listed {
        let pages = match pages {
            Ok(p) => p,
            Err(e) => {
                // An endpoint without the operation (moto) answers a bare HTML 404.
                let why = reason_or_gap(&e, "backup:ListRecoveryPointsByBackupVault");
                aws.error(Some(&s.region), kind, format!("{vault}: {why}"));
                continue;
            }
        };
        for rp in pages.iter().flat_map(|p| p.recovery_points()) {
            let Some(arn) = rp.recovery_point_arn() else {
                continue;
            };
            let short = arn.rsplit([':', '/']).next().unwrap_or(arn);
            out.push(BackupRecoveryPoint {
                resource: aws.resource(
                    kind,
                    &s.region,
                    arn.to_string(),
                    &format!("{vault}/{short}"),
                    Tags::new(),
                ),
                vault_name: vault.clone(),
                resource_arn: rp.resource_arn().map(str::to_string),
                resource_type: rp.resource_type().map(str::to_string),
                status: rp.status().map(|x| x.as_str().to_string()),
                creation_date: rp.creation_date().and_then(to_chrono),
                completion_date: rp.completion_date().and_then(to_chrono),
                encrypted: Some(rp.is_encrypted()),
            });
        }
    }
    aws.add(|inv| inv.aws_backup_recovery_points.extend(out));
}
