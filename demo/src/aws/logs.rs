//! CloudWatch Logs: `/ehr/app` is KMS-encrypted and kept a year; `/legacy/reports` has
//! neither a key nor more than two weeks of retention.

use super::{E1, EHR_KEY, PROD};
use crate::model::aws::LogGroup;
use crate::model::{Inventory, ResourceKind as K, ResourceRef};

pub(super) fn add(inv: &mut Inventory) {
    let group = |name: &str, key: Option<&str>, days: Option<i32>| LogGroup {
        resource: ResourceRef::new(
            K::AwsLogGroup,
            PROD,
            E1,
            format!("arn:aws:logs:{E1}:{PROD}:log-group:{name}"),
            name,
        ),
        kms_key_id: key.map(str::to_string),
        retention_in_days: days,
    };
    inv.aws_log_groups = vec![
        group("/ehr/app", Some(EHR_KEY), Some(365)),
        group("/legacy/reports", None, Some(14)),
    ];
}
