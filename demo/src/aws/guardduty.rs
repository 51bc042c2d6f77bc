//! GuardDuty: on in production's primary region; nobody turned it on in us-west-2, the DR
//! region, and the backup account's detector was suspended to save costs.

use super::{arn_ref, BACKUP, E1, PROD, W2};
use crate::model::aws::{GuardDutyDetector, GuardDutyRegion};
use crate::model::{Inventory, ResourceKind as K};

pub(super) fn add(inv: &mut Inventory) {
    let region = |account: &str, region: &str, detectors| GuardDutyRegion {
        resource: arn_ref(
            K::AwsGuardDutyRegion,
            account,
            region,
            format!("arn:aws:guardduty:{region}:{account}:detectors"),
            &format!("GuardDuty ({region})"),
        ),
        detectors,
    };
    let detector = |id: &str, status: &str| GuardDutyDetector {
        id: id.into(),
        status: status.into(),
    };
    inv.aws_guardduty_regions = vec![
        region(
            PROD,
            E1,
            vec![detector("a2c4e6f8b0d1a3c5e7f9b1d3a5c7e9f1", "ENABLED")],
        ),
        region(PROD, W2, vec![]),
        region(
            BACKUP,
            W2,
            vec![detector("b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3", "DISABLED")],
        ),
    ];
}
