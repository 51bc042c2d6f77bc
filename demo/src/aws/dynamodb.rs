//! DynamoDB tables (see the story in `rds.rs`).

use chrono::{DateTime, Duration, Utc};

use super::{arn_ref, protected, E1, EHR_KEY, PROD};
use crate::model::aws::DynamoDbTable;
use crate::model::{Inventory, ResourceKind as K};

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    let table = |name: &str| DynamoDbTable {
        resource: protected(arn_ref(
            K::AwsDynamoDbTable,
            PROD,
            E1,
            format!("arn:aws:dynamodb:{E1}:{PROD}:table/{name}"),
            name,
        )),
        table_status: Some("ACTIVE".into()),
        sse_status: None,
        sse_type: None,
        kms_key_arn: None,
        kms_key_manager: None,
        pitr_status: Some("DISABLED".into()),
        pitr_latest_restorable: None,
    };
    let mut sessions = table("ehr-sessions");
    sessions.sse_status = Some("ENABLED".into());
    sessions.sse_type = Some("KMS".into());
    sessions.kms_key_arn = Some(EHR_KEY.into());
    sessions.kms_key_manager = Some("CUSTOMER".into());
    sessions.pitr_status = Some("ENABLED".into());
    sessions.pitr_latest_restorable = Some(now - Duration::minutes(5));
    inv.aws_dynamodb_tables = vec![sessions, table("legacy-report-cache")];
}
