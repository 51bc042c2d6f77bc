//! EBS: volumes, the region's encryption-by-default setting, and snapshots with their
//! create-volume permissions (public or shared with other accounts).
//!
//! A snapshot whose create-volume permissions cannot be read is an error for that snapshot
//! only, without a record (a record would read as "shared with nobody").

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{PermissionGroup, SnapshotAttributeName};

use super::tags;
use crate::model::aws::{EbsEncryptionDefault, EbsSnapshot, EbsVolume};
use crate::model::{CollectionError, ResourceKind, Tags};

const PERMISSIONS: &str = "ec2:DescribeSnapshotAttribute";
use crate::providers::aws::{each, name_from, reason, to_chrono, Aws, RegionShared};

pub(crate) async fn volumes(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEbsVolume;
    let Some(vols) = pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_volumes(),
        volumes,
        kind,
        "ec2:DescribeVolumes"
    ) else {
        return;
    };
    let out: Vec<EbsVolume> = vols
        .iter()
        .filter_map(|v| {
            let id = v.volume_id()?;
            let t = tags(v.tags());
            let name = name_from(&t, id);
            Some(EbsVolume {
                resource: aws.resource(
                    kind,
                    &s.region,
                    aws.arn("ec2", &s.region, aws.account(), &format!("volume/{id}")),
                    &name,
                    t,
                ),
                encrypted: v.encrypted().unwrap_or(false),
                kms_key_id: v.kms_key_id().map(str::to_string),
                state: v
                    .state()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                size_gib: v.size().unwrap_or(0),
                attached_instances: v
                    .attachments()
                    .iter()
                    .filter_map(|a| a.instance_id().map(str::to_string))
                    .collect(),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_ebs_volumes.extend(out));
}

pub(crate) async fn encryption_default(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEbsEncryptionDefault;
    // GetEbsDefaultKmsKeyId is not called: moto answers it with HTTP 500, and no check
    // reads the key yet (kms_key_id stays None: "not collected").
    let out = {
        let _permit = aws.permit("EC2", &s.region).await;
        aws.ec2(&s.region)
            .get_ebs_encryption_by_default()
            .send()
            .await
    };
    match out {
        Ok(o) => match o.ebs_encryption_by_default() {
            Some(enabled) => {
                let id = aws.arn("ec2", &s.region, aws.account(), "ebs-encryption-by-default");
                let setting = EbsEncryptionDefault {
                    resource: aws.resource(
                        kind,
                        &s.region,
                        id,
                        &format!("ebs-encryption-by-default ({})", s.region),
                        Tags::new(),
                    ),
                    enabled,
                    kms_key_id: None,
                };
                aws.add(|inv| inv.aws_ebs_encryption_defaults.push(setting));
            }
            None => aws.error(
                Some(&s.region),
                kind,
                "the answer has no EbsEncryptionByDefault (ec2:GetEbsEncryptionByDefault)".into(),
            ),
        },
        Err(e) => aws.error(
            Some(&s.region),
            kind,
            reason(&e, "ec2:GetEbsEncryptionByDefault"),
        ),
    }
}

pub(crate) async fn snapshots(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEbsSnapshot;
    let Some(snaps) = pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_snapshots().owner_ids("self"),
        snapshots,
        kind,
        "ec2:DescribeSnapshots"
    ) else {
        return;
    };
    let ids: Vec<String> = snaps
        .iter()
        .filter_map(|s| s.snapshot_id().map(str::to_string))
        .collect();
    let client = aws.ec2(&s.region);
    let perms = each(aws.semaphore("EC2", &s.region), ids, move |id| {
        let client = client.clone();
        async move {
            let r = client
                .describe_snapshot_attribute()
                .snapshot_id(&id)
                .attribute(SnapshotAttributeName::CreateVolumePermission)
                .send()
                .await;
            (id, r)
        }
    })
    .await;
    let mut by_id = BTreeMap::new();
    for (id, r) in perms {
        let read = r
            .map(|o| {
                let p = o.create_volume_permissions();
                let public = p.iter().any(|p| p.group() == Some(&PermissionGroup::All));
                let accounts: Vec<String> = p
                    .iter()
                    .filter_map(|p| p.user_id().map(str::to_string))
                    .collect();
                (public, accounts)
            })
            .map_err(|e| reason(&e, "ec2:DescribeSnapshotAttribute createVolumePermission"));
        by_id.insert(id, read);
    }
    let mut errors = Vec::new();
    let out: Vec<EbsSnapshot> = snaps
        .iter()
        .filter_map(|snap| {
            let id = snap.snapshot_id()?;
            let read = by_id.remove(id)?;
            let t = tags(snap.tags());
            let name = name_from(&t, id);
            // Snapshot ARNs carry no account: arn:aws:ec2:<region>::snapshot/<id>.
            let arn = aws.arn("ec2", &s.region, "", &format!("snapshot/{id}"));
            let resource = aws.resource(kind, &s.region, arn, &name, t);
            let (public, shared) = match read {
                Ok(p) => p,
                Err(why) => {
                    errors.push(CollectionError::of_resource(&resource, PERMISSIONS, why));
                    return None;
                }
            };
            Some(EbsSnapshot {
                resource,
                encrypted: snap.encrypted().unwrap_or(false),
                kms_key_id: snap.kms_key_id().map(str::to_string),
                volume_id: snap.volume_id().map(str::to_string),
                start_time: snap.start_time().and_then(to_chrono).unwrap_or_default(),
                state: snap
                    .state()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                public,
                shared_with_accounts: shared,
            })
        })
        .collect();
    aws.add(|inv| {
        inv.aws_ebs_snapshots.extend(out);
        inv.errors.extend(errors);
    });
}
