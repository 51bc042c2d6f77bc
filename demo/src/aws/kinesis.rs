//! Kinesis: the bedside-monitor stream `ehr-vitals-stream` is encrypted with
//! `ehr-data-key`; `legacy-clickstream`, which carries portal events with patient ids, has
//! no encryption.

use super::{arn_ref, protected, E1, EHR_KEY, PROD};
use crate::model::aws::KinesisStream;
use crate::model::{Inventory, ResourceKind as K};

pub(super) fn add(inv: &mut Inventory) {
    let stream = |name: &str, key: Option<&str>| KinesisStream {
        resource: protected(arn_ref(
            K::AwsKinesisStream,
            PROD,
            E1,
            format!("arn:aws:kinesis:{E1}:{PROD}:stream/{name}"),
            name,
        )),
        encryption_type: Some(if key.is_some() { "KMS" } else { "NONE" }.into()),
        key_id: key.map(Into::into),
        stream_status: Some("ACTIVE".into()),
    };
    inv.aws_kinesis_streams = vec![
        stream("ehr-vitals-stream", Some(EHR_KEY)),
        stream("legacy-clickstream", None),
    ];
}
