//! DocumentDB clusters (the RDS API lists them with engine `docdb`): the EHR's document
//! store `ehr-documents-db` is encrypted with `ehr-data-key` and its cluster parameter group
//! sets `tls = enabled`; the intake prototype `legacy-intake-docdb`, never retired, is
//! unencrypted on the default group, where `tls` was switched to `disabled` for an old
//! driver.

use super::rds::{cluster, parameter_group};
use super::EHR_KEY;
use crate::model::Inventory;

pub(super) fn add(inv: &mut Inventory) {
    inv.aws_rds_parameter_groups.extend([
        parameter_group("ehr-docdb-tls", "docdb5.0", true, "tls", "enabled"),
        parameter_group("default.docdb5.0", "docdb5.0", true, "tls", "disabled"),
    ]);
    inv.aws_rds_clusters.extend([
        cluster("ehr-documents-db", "docdb", Some(EHR_KEY), "ehr-docdb-tls"),
        cluster("legacy-intake-docdb", "docdb", None, "default.docdb5.0"),
    ]);
}
