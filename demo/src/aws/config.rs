//! AWS Config: production records every resource type in us-east-1; the recorder made in
//! us-west-2 for the DR drill was stopped afterwards; the backup account never set one up.

use super::{arn_ref, BACKUP, E1, PROD, W2};
use crate::model::aws::{ConfigRecorder, ConfigRecorderRegion};
use crate::model::{Inventory, ResourceKind as K};

pub(super) fn add(inv: &mut Inventory) {
    let region = |account: &str, region: &str, recorders| ConfigRecorderRegion {
        resource: arn_ref(
            K::AwsConfigRecorderRegion,
            account,
            region,
            format!("arn:aws:config:{region}:{account}:configuration-recorders"),
            &format!("AWS Config ({region})"),
        ),
        recorders,
    };
    let recorder = |recording: bool| ConfigRecorder {
        name: "default".into(),
        recording,
        all_supported: Some(true),
        last_status: Some(if recording { "SUCCESS" } else { "PENDING" }.into()),
    };
    inv.aws_config_recorder_regions = vec![
        region(PROD, E1, vec![recorder(true)]),
        region(PROD, W2, vec![recorder(false)]),
        region(BACKUP, W2, vec![]),
    ];
}
