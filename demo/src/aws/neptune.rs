//! Neptune clusters (the RDS API lists them with engine `neptune`): the care-coordination
//! graph `care-graph` is encrypted and enforces SSL; the referral graph
//! `legacy-referrals-graph` is unencrypted, on the default group with
//! `neptune_enforce_ssl = 0`.

use super::rds::{cluster, parameter_group};
use super::EHR_KEY;
use crate::model::Inventory;

pub(super) fn add(inv: &mut Inventory) {
    inv.aws_rds_parameter_groups.extend([
        parameter_group(
            "care-graph-ssl",
            "neptune1.3",
            true,
            "neptune_enforce_ssl",
            "1",
        ),
        parameter_group(
            "default.neptune1.3",
            "neptune1.3",
            true,
            "neptune_enforce_ssl",
            "0",
        ),
    ]);
    inv.aws_rds_clusters.extend([
        cluster("care-graph", "neptune", Some(EHR_KEY), "care-graph-ssl"),
        cluster(
            "legacy-referrals-graph",
            "neptune",
            None,
            "default.neptune1.3",
        ),
    ]);
}
