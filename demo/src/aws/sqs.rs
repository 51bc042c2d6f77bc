//! SQS: `ehr-hl7-inbound` (lab results in HL7) uses `ehr-data-key` and lets only the lab
//! interface role send; `legacy-report-jobs` has neither SSE-KMS nor SSE-SQS and a policy a
//! contractor wrote that lets anyone send and receive.

use serde_json::json;

use super::{arn_ref, protected, E1, EHR_KEY, PROD};
use crate::model::aws::SqsQueue;
use crate::model::{Inventory, ResourceKind as K};

pub(super) fn add(inv: &mut Inventory) {
    let queue = |name: &str, key: Option<&str>, policy: serde_json::Value| {
        let arn = format!("arn:aws:sqs:{E1}:{PROD}:{name}");
        SqsQueue {
            resource: protected(arn_ref(K::AwsSqsQueue, PROD, E1, arn.clone(), name)),
            url: Some(format!("https://sqs.{E1}.amazonaws.com/{PROD}/{name}")),
            sqs_managed_sse: Some(false),
            kms_master_key_id: key.map(Into::into),
            policy: Some(json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "send", "Effect": "Allow", "Principal": policy, "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": arn}]})),
        }
    };
    inv.aws_sqs_queues = vec![
        queue(
            "ehr-hl7-inbound",
            Some(EHR_KEY),
            json!({"AWS": format!("arn:aws:iam::{PROD}:role/lab-interface")}),
        ),
        queue("legacy-report-jobs", None, json!("*")),
    ];
}
