//! Builders of the data-store resources of issue 17 (ElastiCache, Redshift, OpenSearch, SQS,
//! SNS, Kinesis, Secrets Manager), re-exported by [`super::aws`]: each passes every check of
//! its kind, in `us-east-1`, named by its id.

use chrono::Duration;
use phiscan_core::model::aws::*;
use phiscan_core::ResourceKind;

use super::aws::{regional, KEY_ARN};
use super::now;

/// A Redis OSS replication group encrypted at rest and in transit (`required`), with an
/// AUTH token and 7 days of snapshots.
pub fn elasticache_replication_group(id: &str) -> ElastiCacheReplicationGroup {
    ElastiCacheReplicationGroup {
        resource: regional(ResourceKind::AwsElastiCacheReplicationGroup, id),
        engine: Some("redis".into()),
        at_rest_encryption: Some(true),
        transit_encryption: Some(true),
        transit_encryption_mode: Some("required".into()),
        auth_token_enabled: Some(true),
        user_group_ids: vec![],
        snapshot_retention_limit: Some(7),
        kms_key_id: Some(KEY_ARN.into()),
    }
}

/// A Valkey serverless cache with a user group and 7 days of snapshots.
pub fn elasticache_serverless_cache(id: &str) -> ElastiCacheServerlessCache {
    ElastiCacheServerlessCache {
        resource: regional(ResourceKind::AwsElastiCacheServerlessCache, id),
        engine: Some("valkey".into()),
        kms_key_id: None,
        user_group_id: Some("phi-users".into()),
        snapshot_retention_limit: Some(7),
    }
}

/// An encrypted, private cluster on `phi-redshift-ssl` (`require_ssl = true`), logging to
/// CloudWatch.
pub fn redshift_cluster(id: &str) -> RedshiftCluster {
    RedshiftCluster {
        resource: regional(ResourceKind::AwsRedshiftCluster, id),
        encrypted: true,
        kms_key_id: Some(KEY_ARN.into()),
        publicly_accessible: false,
        parameter_group: Some("phi-redshift-ssl".into()),
        require_ssl: Some("true".into()),
        logging_enabled: Some(true),
        log_destination: Some("cloudwatch".into()),
    }
}

/// A VPC domain encrypted at rest and between nodes, HTTPS-only with a TLS 1.2 policy, no
/// access policy.
pub fn opensearch_domain(id: &str) -> OpenSearchDomain {
    OpenSearchDomain {
        resource: regional(ResourceKind::AwsOpenSearchDomain, id),
        engine_version: Some("OpenSearch_2.13".into()),
        encryption_at_rest: Some(true),
        kms_key_id: Some(KEY_ARN.into()),
        node_to_node_encryption: Some(true),
        enforce_https: Some(true),
        tls_security_policy: Some("Policy-Min-TLS-1-2-2019-07".into()),
        vpc_subnet_ids: vec!["subnet-1".into()],
        access_policies: None,
    }
}

/// A queue encrypted with the customer managed key, without a policy.
pub fn sqs_queue(id: &str) -> SqsQueue {
    SqsQueue {
        resource: regional(ResourceKind::AwsSqsQueue, id),
        url: Some(format!(
            "https://sqs.us-east-1.amazonaws.com/111122223333/{id}"
        )),
        sqs_managed_sse: Some(false),
        kms_master_key_id: Some(KEY_ARN.into()),
        policy: None,
    }
}

/// A topic encrypted with the customer managed key, with the default policy SNS writes
/// (everyone, under `AWS:SourceOwner`).
pub fn sns_topic(id: &str) -> SnsTopic {
    SnsTopic {
        resource: regional(ResourceKind::AwsSnsTopic, id),
        kms_master_key_id: Some(KEY_ARN.into()),
        policy: Some(serde_json::json!({
            "Version": "2008-10-17",
            "Statement": [{"Sid": "__default_statement_ID", "Effect": "Allow",
                "Principal": {"AWS": "*"}, "Action": ["SNS:Publish", "SNS:Subscribe"],
                "Resource": format!("arn:aws:sns:us-east-1:111122223333:{id}"),
                "Condition": {"StringEquals": {"AWS:SourceOwner": "111122223333"}}}]
        })),
    }
}

/// A KMS-encrypted, active stream.
pub fn kinesis_stream(id: &str) -> KinesisStream {
    KinesisStream {
        resource: regional(ResourceKind::AwsKinesisStream, id),
        encryption_type: Some("KMS".into()),
        key_id: Some(KEY_ARN.into()),
        stream_status: Some("ACTIVE".into()),
    }
}

/// A secret rotated every 30 days, encrypted with the customer managed key.
pub fn secret(id: &str) -> Secret {
    Secret {
        resource: regional(ResourceKind::AwsSecretsManagerSecret, id),
        rotation_enabled: true,
        rotation_days: Some(30),
        last_rotated: Some(now() - Duration::days(3)),
        kms_key_id: Some(KEY_ARN.into()),
        kms_key_manager: Some("CUSTOMER".into()),
    }
}
