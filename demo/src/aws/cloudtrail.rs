//! CloudTrail: the trails of the production and backup accounts, and the S3 data events
//! they log.

use super::{arn_ref, BACKUP, BACKUP_TRAIL_KEY, E1, PROD, TRAIL_BUCKET, TRAIL_KEY, W2};
use crate::model::aws::{CloudTrail, S3DataEvents};
use crate::model::{Inventory, ResourceKind as K};

/// A logging multi-region trail with log validation and KMS, homed in `region`.
fn trail(account: &str, region: &str, name: &str, key: &str, bucket: &str) -> CloudTrail {
    let arn = format!("arn:aws:cloudtrail:{region}:{account}:trail/{name}");
    CloudTrail {
        resource: arn_ref(K::AwsCloudTrail, account, region, arn, name),
        home_region: region.into(),
        is_multi_region: true,
        is_organization_trail: false,
        is_logging: true,
        log_file_validation: true,
        kms_key_id: Some(key.into()),
        s3_bucket: Some(bucket.into()),
        cloudwatch_log_group_arn: None,
        s3_data_events: Some(vec![]),
    }
}

pub(super) fn add(inv: &mut Inventory) {
    // Stopped during an incident and never restarted: it covers no region today.
    let mut main = trail(PROD, E1, "healthtensor-main-trail", TRAIL_KEY, TRAIL_BUCKET);
    main.is_logging = false;
    // The EHR team's own trail: logging, but single-region, unvalidated, S3-managed keys.
    let mut ehr = trail(PROD, E1, "ehr-audit-trail", TRAIL_KEY, TRAIL_BUCKET);
    ehr.is_multi_region = false;
    ehr.log_file_validation = false;
    ehr.kms_key_id = None;
    // It records every read and write of the PHI uploads bucket's objects; no trail logs
    // object access to any other bucket.
    ehr.s3_data_events = Some(vec![S3DataEvents {
        prefix: "arn:aws:s3:::healthtensor-phi-uploads/".into(),
        read: true,
        write: true,
    }]);
    let backup = trail(
        BACKUP,
        W2,
        "backup-account-trail",
        BACKUP_TRAIL_KEY,
        "healthtensor-backup-trail",
    );
    inv.aws_cloudtrails = vec![main, ehr, backup];
}
