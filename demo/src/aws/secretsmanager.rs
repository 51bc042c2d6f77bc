//! Secrets Manager: the EHR database's master password `ehr-db-prod/master` rotates every
//! 30 days and is encrypted with `ehr-data-key`; `legacy-reporting-db/password` was stored
//! once with the default `aws/secretsmanager` key and never rotated.

use chrono::{DateTime, Duration, Utc};

use super::{arn_ref, protected, E1, EHR_KEY, PROD};
use crate::model::aws::Secret;
use crate::model::{Inventory, ResourceKind as K};

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    let secret = |name: &str, suffix: &str| Secret {
        resource: protected(arn_ref(
            K::AwsSecretsManagerSecret,
            PROD,
            E1,
            format!("arn:aws:secretsmanager:{E1}:{PROD}:secret:{name}-{suffix}"),
            name,
        )),
        rotation_enabled: true,
        rotation_days: Some(30),
        last_rotated: Some(now - Duration::days(9)),
        kms_key_id: Some(EHR_KEY.into()),
        kms_key_manager: Some("CUSTOMER".into()),
    };
    let legacy = Secret {
        rotation_enabled: false,
        rotation_days: None,
        last_rotated: None,
        kms_key_id: None,
        kms_key_manager: None,
        ..secret("legacy-reporting-db/password", "Q2w3E4")
    };
    inv.aws_secretsmanager_entries = vec![secret("ehr-db-prod/master", "aB1cD2"), legacy];
}
