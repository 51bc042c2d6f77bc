//! SNS: `ehr-appointment-reminders` uses `ehr-data-key` and keeps the default policy
//! (everyone, but only under `AWS:SourceOwner` = the account); `legacy-report-ready` has no
//! key and lets anyone subscribe.

use serde_json::json;

use super::{arn_ref, protected, E1, EHR_KEY, PROD};
use crate::model::aws::SnsTopic;
use crate::model::{Inventory, ResourceKind as K};

pub(super) fn add(inv: &mut Inventory) {
    let topic = |name: &str, key: Option<&str>, condition: Option<serde_json::Value>| {
        let arn = format!("arn:aws:sns:{E1}:{PROD}:{name}");
        let mut statement = json!({"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"},
            "Action": ["SNS:Publish", "SNS:Subscribe"], "Resource": arn});
        if let Some(c) = condition {
            statement["Condition"] = c;
        }
        SnsTopic {
            resource: protected(arn_ref(K::AwsSnsTopic, PROD, E1, arn.clone(), name)),
            kms_master_key_id: key.map(Into::into),
            policy: Some(json!({"Version": "2008-10-17", "Statement": [statement]})),
        }
    };
    inv.aws_sns_topics = vec![
        topic(
            "ehr-appointment-reminders",
            Some(EHR_KEY),
            Some(json!({"StringEquals": {"AWS:SourceOwner": PROD}})),
        ),
        topic("legacy-report-ready", None, None),
    ];
}
