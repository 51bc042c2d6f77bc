//! Redshift: the `ehr-warehouse` cluster is encrypted with `ehr-data-key`, private, on the
//! `ehr-redshift-ssl` parameter group (`require_ssl = true`) and logs to CloudWatch; the
//! `legacy-claims-dw` cluster, loaded once for a vendor's analysts, is unencrypted, publicly
//! accessible, on the default group (`require_ssl = false`) and logs nothing.

use super::{arn_ref, protected, E1, EHR_KEY, PROD};
use crate::model::aws::RedshiftCluster;
use crate::model::{Inventory, ResourceKind as K};

pub(super) fn add(inv: &mut Inventory) {
    let cluster = |name: &str| RedshiftCluster {
        resource: protected(arn_ref(
            K::AwsRedshiftCluster,
            PROD,
            E1,
            format!("arn:aws:redshift:{E1}:{PROD}:cluster:{name}"),
            name,
        )),
        encrypted: true,
        kms_key_id: Some(EHR_KEY.into()),
        publicly_accessible: false,
        parameter_group: Some("ehr-redshift-ssl".into()),
        require_ssl: Some("true".into()),
        logging_enabled: Some(true),
        log_destination: Some("cloudwatch".into()),
    };
    let legacy = RedshiftCluster {
        encrypted: false,
        kms_key_id: None,
        publicly_accessible: true,
        parameter_group: Some("default.redshift-1.0".into()),
        require_ssl: Some("false".into()),
        logging_enabled: Some(false),
        log_destination: None,
        ..cluster("legacy-claims-dw")
    };
    inv.aws_redshift_clusters = vec![cluster("ehr-warehouse"), legacy];
}
