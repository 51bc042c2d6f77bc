//! SQS queues, SNS topics and Kinesis data streams: where messages carrying ePHI wait.

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// An SQS queue: ListQueues, then GetQueueAttributes (`All`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqsQueue {
    pub resource: ResourceRef,
    #[serde(default)]
    pub url: Option<String>,
    /// `SqsManagedSseEnabled`: SSE with SQS-owned keys (the default of new queues since 2022).
    #[serde(default)]
    pub sqs_managed_sse: Option<bool>,
    /// `KmsMasterKeyId`: SSE-KMS with this key (`alias/aws/sqs` or a customer managed key).
    #[serde(default)]
    pub kms_master_key_id: Option<String>,
    /// The queue policy, parsed; `None`: the queue has no policy (only the owner account).
    #[serde(default)]
    pub policy: Option<serde_json::Value>,
}

/// An SNS topic: ListTopics, then GetTopicAttributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnsTopic {
    pub resource: ResourceRef,
    /// `KmsMasterKeyId`: SNS encrypts stored messages only when a KMS key is set.
    #[serde(default)]
    pub kms_master_key_id: Option<String>,
    /// The topic's access policy, parsed; `None`: the topic has none.
    #[serde(default)]
    pub policy: Option<serde_json::Value>,
}

/// A Kinesis data stream: ListStreams, then DescribeStreamSummary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KinesisStream {
    pub resource: ResourceRef,
    /// `KMS` or `NONE` (`EncryptionType`); `None` when the API did not say.
    #[serde(default)]
    pub encryption_type: Option<String>,
    #[serde(default)]
    pub key_id: Option<String>,
    #[serde(default)]
    pub stream_status: Option<String>,
}
