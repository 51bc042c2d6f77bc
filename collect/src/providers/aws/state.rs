//! The state one account's scan shares: SDK config, identity, call log, concurrency limits,
//! the inventory being filled, and a constructor per service for clients that log every call.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_config::SdkConfig;
use aws_types::region::Region;
use tokio::sync::Semaphore;

use super::api_log::{ApiLog, ApiLogInterceptor, LoopbackAccountHost};
use super::{iam, retry};
use crate::model::{CollectionError, Inventory, Provider, ResourceKind, ResourceRef, Tags};

/// The scan's shared state: SDK config, identity, call log, limits and the inventory
/// being filled.
pub(crate) struct Aws {
    pub(super) sdk: SdkConfig,
    pub(super) account: String,
    pub(super) partition: String,
    pub(super) log: ApiLog,
    pub(super) loopback: bool,
    /// The region of global calls (ListBuckets, S3 Control, STS).
    pub(super) home: String,
    pub(super) limits: Mutex<HashMap<(&'static str, String), Arc<Semaphore>>>,
    /// The SDK clients' retry partitions (retry quota; the adaptive mode's rate limiter), per
    /// (service, region).
    pub(super) partitions: retry::Partitions,
    pub(super) out: Mutex<Inventory>,
}

impl Aws {
    pub(crate) fn account(&self) -> &str {
        &self.account
    }

    /// The limit of calls in flight to `service` in `region`.
    pub(crate) fn semaphore(&self, service: &'static str, region: &str) -> Arc<Semaphore> {
        self.limits
            .lock()
            .expect("limits lock")
            .entry((service, region.to_string()))
            .or_insert_with(|| Arc::new(Semaphore::new(retry::in_flight())))
            .clone()
    }

    /// A permit to call `service` in `region`; hold it for the duration of the call.
    pub(crate) async fn permit(
        &self,
        service: &'static str,
        region: &str,
    ) -> tokio::sync::OwnedSemaphorePermit {
        self.semaphore(service, region)
            .acquire_owned()
            .await
            .expect("semaphore never closed")
    }

    /// Record that `kind` could not be collected in `region` (`None`: everywhere).
    pub(crate) fn error(&self, region: Option<&str>, kind: ResourceKind, reason: String) {
        self.out
            .lock()
            .expect("inventory lock")
            .errors
            .push(CollectionError {
                provider: Provider::Aws,
                account: self.account.clone(),
                region: region.map(str::to_string),
                kind,
                resource: None,
                operation: None,
                reason,
            });
    }

    /// Add collected resources to the inventory.
    pub(crate) fn add(&self, f: impl FnOnce(&mut Inventory)) {
        f(&mut self.out.lock().expect("inventory lock"));
    }

    /// `arn:<partition>:<service>:<region>:<account>:<resource>`.
    pub(crate) fn arn(&self, service: &str, region: &str, account: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{region}:{account}:{resource}",
            self.partition
        )
    }

    /// A ResourceRef in this account.
    pub(crate) fn resource(
        &self,
        kind: ResourceKind,
        region: &str,
        id: String,
        name: &str,
        tags: Tags,
    ) -> ResourceRef {
        let mut r = ResourceRef::new(kind, &self.account, region, id, name);
        r.tags = tags;
        r
    }

    pub(crate) fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&self.sdk)
                .region(Region::new(region.to_string()))
                // Virtual-host addressing needs DNS for <bucket>.<endpoint>: only real AWS has it.
                .force_path_style(self.sdk.endpoint_url().is_some())
                .retry_partition(self.partitions.get("s3", region))
                .interceptor(ApiLogInterceptor::new(&self.log, region))
                .build(),
        )
    }

    pub(crate) fn s3control(&self) -> aws_sdk_s3control::Client {
        let mut b = aws_sdk_s3control::config::Builder::from(&self.sdk)
            .region(Region::new(self.home.clone()))
            .retry_partition(self.partitions.get("s3control", &self.home))
            .interceptor(ApiLogInterceptor::new(&self.log, &self.home));
        if self.loopback {
            b = b.interceptor(LoopbackAccountHost::new(&self.account));
        }
        aws_sdk_s3control::Client::from_conf(b.build())
    }

    // Data protection and backup.

    pub(crate) fn home(&self) -> &str {
        &self.home
    }

    pub(crate) fn partition(&self) -> &str {
        &self.partition
    }

    /// CloudFront is global: its API answers in the partition's IAM region (us-east-1).
    pub(crate) fn cloudfront(&self) -> aws_sdk_cloudfront::Client {
        let region = iam::iam_region(&self.partition);
        aws_sdk_cloudfront::Client::from_conf(
            aws_sdk_cloudfront::config::Builder::from(&self.sdk)
                .region(Region::new(region))
                .retry_partition(self.partitions.get("cloudfront", region))
                .interceptor(ApiLogInterceptor::new(&self.log, region))
                .build(),
        )
    }

    // ---- IAM, CloudWatch Logs, ACM (issue 4, part B) ----

    /// IAM is global: every call goes to the partition's IAM region.
    pub(crate) fn iam(&self) -> aws_sdk_iam::Client {
        let region = iam::iam_region(&self.partition);
        aws_sdk_iam::Client::from_conf(
            aws_sdk_iam::config::Builder::from(&self.sdk)
                .region(Region::new(region))
                .retry_partition(self.partitions.get("iam", region))
                .interceptor(ApiLogInterceptor::new(&self.log, region))
                .build(),
        )
    }
}

/// A regional client of service `$sdk` that logs every call: one constructor per service.
macro_rules! regional_clients {
    ($($name:ident: $sdk:ident;)+) => {
        impl Aws {
            $(
                pub(crate) fn $name(&self, region: &str) -> $sdk::Client {
                    $sdk::Client::from_conf(
                        $sdk::config::Builder::from(&self.sdk)
                            .region(Region::new(region.to_string()))
                            .retry_partition(self.partitions.get(stringify!($name), region))
                            .interceptor(ApiLogInterceptor::new(&self.log, region))
                            .build(),
                    )
                }
            )+
        }
    };
}

regional_clients! {
    ec2: aws_sdk_ec2;
    rds: aws_sdk_rds;
    elbv2: aws_sdk_elasticloadbalancingv2;
    kms: aws_sdk_kms;
    cloudtrail: aws_sdk_cloudtrail;
    backup: aws_sdk_backup;
    efs: aws_sdk_efs;
    dynamodb: aws_sdk_dynamodb;
    logs: aws_sdk_cloudwatchlogs;
    acm: aws_sdk_acm;
    apigateway: aws_sdk_apigateway;
    elb: aws_sdk_elasticloadbalancing;
    guardduty: aws_sdk_guardduty;
    config: aws_sdk_config;
    elasticache: aws_sdk_elasticache;
    redshift: aws_sdk_redshift;
    opensearch: aws_sdk_opensearch;
    sqs: aws_sdk_sqs;
    sns: aws_sdk_sns;
    kinesis: aws_sdk_kinesis;
    secretsmanager: aws_sdk_secretsmanager;
}
