//! The AWS collector: the kinds the planner asks for, in every region in scope, with the
//! official SDK and its default credential chain (env, profiles, SSO, web identity,
//! container and instance credentials).
//!
//! Decisions a newcomer may question:
//! - **Setup errors are fatal, collection errors are not.** If STS cannot say which account
//!   the credentials belong to (no credentials, endpoint down), nothing can be attributed
//!   to a scope: [`collect`] returns [`SetupError`] and the CLI exits 2. Every later failure
//!   becomes a [`CollectionError`](crate::model::CollectionError) for (account, region, kind) and collection goes on;
//!   the engine turns it into ERROR findings and exit code 3.
//! - **Granularity of errors.** A failed list call (DescribeVolumes in eu-west-1) is an
//!   error for that kind in that region (`region: None` for global calls: ListBuckets, S3
//!   Control). A failed per-resource call (one bucket's GetBucketPolicy) is an error for
//!   that resource only ([`CollectionError::of_resource`](crate::model::CollectionError::of_resource),
//!   with the operation): the resource stays in the inventory with what was read, the unread
//!   settings `None`, and the engine reports ERROR for that resource in every check reading
//!   its kind (never a PASS or FAIL built on the unknown setting), while the other resources
//!   of the kind keep their verdicts. One unreadable bucket must not blind a region. S3
//!   buckets, KMS keys, RDS snapshot sharing, DynamoDB tables, SQS queues, SNS topics, Kinesis
//!   streams, Redshift clusters, OpenSearch domains and Secrets Manager keys do this; collectors not yet converted still report a per-resource failure as
//!   an error for the kind in the resource's region and leave the resource out.
//! - **One collector per kind.** `dispatch` matches every [`AwsKind`] to its collector:
//!   per region, once per account over the regions (S3 buckets, trails), or once for the
//!   account (IAM, the S3 account public access block), as the kind's declared
//!   [`Granularity`]; a test holds the two together.
//! - **Shared calls.** Two kinds that read the same API share one call per region
//!   ([`RegionShared`]): DescribeDBInstances feeds RDS instances and security-group
//!   attachments, DescribeLoadBalancers feeds listeners and attachments.
//! - **Concurrency.** Regions and kinds run concurrently; each (service, region) has a
//!   semaphore of [`PER_SERVICE_REGION`] calls in flight: enough to hide the latency of a
//!   real API (calls of 50 ms need ~10 in flight to use 200 calls a second), few enough
//!   that a big account does not empty the service's throttling buckets at once. The
//!   throttling that still happens is ridden out by the SDK's standard retry mode
//!   ([`retry`]: [`MAX_ATTEMPTS`] attempts with short backoffs while throttled).
//! - **Ids.** ResourceRef ids are ARNs. EC2 resources get the ARNs AWS documents
//!   (`arn:aws:ec2:<region>:<account>:volume/<id>`; snapshots have no account:
//!   `arn:aws:ec2:<region>::snapshot/<id>`). Settings that have no ARN get a stable
//!   ARN-shaped id: `arn:aws:ec2:<region>:<account>:ebs-encryption-by-default`,
//!   `arn:aws:s3::<account>:account` (the account's S3 public access block).
//! - **Emulator endpoints.** With an endpoint override (`--endpoint-url` or
//!   `AWS_ENDPOINT_URL`), S3 uses path-style addressing. S3 Control puts the account id in
//!   front of the endpoint host (`123456789012.127.0.0.1`), a name that does not resolve;
//!   when the endpoint host is a loopback IP, [`api_log::LoopbackAccountHost`] strips that
//!   prefix before signing (the account still travels in `x-amz-account-id`).

mod acm;
mod api_log;
mod cloudtrail;
mod dispatch;
mod doctor;
mod ec2;
mod elbv2;
mod http;
mod iam;
mod kms;
mod logs;
mod org;
mod raw_body;
mod rds;
mod s3;
// Data protection and backup.
mod backup;
mod dynamodb;
mod efs;
mod key_owner;
mod rds_data;
// Edges, identity, detection (issue 17).
mod apigateway;
mod cloudfront;
mod detection;
mod elb;
mod iam_roles;
mod iam_users;
// Data stores (issue 17).
mod elasticache;
mod messaging;
mod opensearch;
mod redshift;
mod secretsmanager;
// Shared by the collectors.
mod region;
mod retry;
mod sdk_error;
mod state;

pub use doctor::diagnose;
pub use org::{collect_organization, OrgOptions};
pub(crate) use region::RegionShared;
pub(crate) use sdk_error::{code, reason, reason_or_gap};
pub(crate) use state::Aws;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_ec2::types::Filter;
use aws_types::region::Region;
use tokio::sync::Semaphore;

use crate::model::{AwsKind, Granularity, Inventory, Provider, ResourceKind, Scope, Tags};
use api_log::{ApiLog, ApiLogInterceptor};

pub use retry::{MAX_ATTEMPTS, PER_SERVICE_REGION};

/// Where and how to scan.
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    /// A named profile of the shared config files; `None`: the default chain.
    pub profile: Option<String>,
    /// Regions to scan; `None`: every region enabled for the account.
    pub regions: Option<Vec<String>>,
    /// Send every request there (an emulator); `AWS_ENDPOINT_URL` works too.
    pub endpoint_url: Option<String>,
    /// Use these credentials instead of the default chain (a role assumed in a member
    /// account of an organization).
    pub credentials: Option<aws_sdk_sts::config::Credentials>,
    /// Scan only this shard's regions (`--shard`; see [`crate::shard`]).
    pub shard: Option<crate::shard::Shard>,
}

/// A scan that cannot start: nothing could be attributed to an account.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot identify the AWS account with sts:GetCallerIdentity: {0}; check the credentials (AWS_PROFILE, --profile, `aws sso login`) and the endpoint")]
    Identity(String),
    #[error("cannot list the account's enabled regions with ec2:DescribeRegions: {0}; pass --regions to name them")]
    Regions(String),
    #[error("cannot scan the organization: {0}; run from the management account or a delegated administrator with organizations:ListAccounts")]
    Organization(String),
}

/// Collect `kinds` (AWS kinds only; others are ignored) from the account the credentials
/// belong to.
pub async fn collect(
    opts: &AwsOptions,
    kinds: &BTreeSet<ResourceKind>,
) -> Result<Inventory, SetupError> {
    let log = ApiLog::default();
    let (aws, caller) = connect(opts, &log).await?;
    let account = aws.account.clone();
    let caller_arn = caller.arn;
    let collection_started = chrono::Utc::now();
    let regions = regions_in_scope(&aws, opts).await?;

    // A shard scans its regions; the account-wide kinds go with the first region's shard.
    let (regions, account_wide) = match opts.shard {
        Some(shard) => shard.aws_regions(&account, &regions),
        None => (regions, true),
    };
    let wanted: BTreeSet<AwsKind> = kinds
        .iter()
        .filter_map(|&k| AwsKind::try_from(k).ok())
        .filter(|_| !regions.is_empty())
        .filter(|&k| {
            account_wide || ResourceKind::from(k).granularity() != Granularity::AccountWide
        })
        .collect();
    let tasks = dispatch::spawn(&aws, &regions, &wanted, dispatch::collector);
    dispatch::join(&aws, tasks).await;

    let mut inv = std::mem::take(&mut *aws.out.lock().expect("inventory lock"));
    inv.collection_started_at = Some(collection_started);
    inv.collected_at = Some(chrono::Utc::now());
    // A shard without a region of this account scanned nothing of it.
    inv.scopes.extend((!regions.is_empty()).then(|| Scope {
        provider: Provider::Aws,
        account: account.clone(),
        name: None,
        regions: regions.clone(),
        identity: caller_arn.map(|principal| crate::model::Identity {
            principal,
            tenant: None,
        }),
    }));
    inv.sort();
    inv.api_calls = log.take();
    inv.raw_responses = crate::raw::link(&inv, Some(&account), log.take_raw());
    Ok(inv)
}

/// Who sts:GetCallerIdentity says the credentials are.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub(crate) arn: Option<String>,
    pub(crate) user_id: Option<String>,
}

/// Load the SDK configuration, ask STS who the credentials are, and build the scan state
/// of that account, whose calls go to `log`.
pub(crate) async fn connect(
    opts: &AwsOptions,
    log: &ApiLog,
) -> Result<(Arc<Aws>, Caller), SetupError> {
    let sdk = load_config(opts).await;
    let (home, sts) = home_sts(&sdk, opts, log);
    let loopback = sdk.endpoint_url().is_some_and(api_log::is_loopback_url);
    let me = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| SetupError::Identity(reason(&e, "sts:GetCallerIdentity")))?;
    let account = me
        .account()
        .ok_or_else(|| SetupError::Identity("the answer has no account id".into()))?
        .to_string();
    log.set_account(&account);
    // arn:<partition>:sts::<account>:assumed-role/...
    let partition = me
        .arn()
        .and_then(|a| a.split(':').nth(1))
        .unwrap_or("aws")
        .to_string();
    let caller = Caller {
        arn: me.arn().map(str::to_string),
        user_id: me.user_id().map(str::to_string),
    };
    let aws = Arc::new(Aws {
        sdk,
        account,
        partition,
        log: log.clone(),
        loopback,
        home,
        limits: Mutex::new(HashMap::new()),
        partitions: retry::Partitions::default(),
        out: Mutex::new(Inventory::new()),
    });
    Ok((aws, caller))
}

/// `--regions`, else every region enabled for the account.
pub(crate) async fn regions_in_scope(
    aws: &Aws,
    opts: &AwsOptions,
) -> Result<Vec<String>, SetupError> {
    match &opts.regions {
        Some(r) => Ok(r.clone()),
        None => enabled_regions(aws, &aws.home).await,
    }
}

/// The home region (the SDK's, else the first `--regions` entry, else us-east-1) and an STS
/// client there whose calls go to `log`.
fn home_sts(sdk: &SdkConfig, opts: &AwsOptions, log: &ApiLog) -> (String, aws_sdk_sts::Client) {
    let home = sdk
        .region()
        .map(|r| r.to_string())
        .or_else(|| opts.regions.as_ref().and_then(|r| r.first().cloned()))
        .unwrap_or_else(|| "us-east-1".to_string());
    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(sdk)
            .region(Region::new(home.clone()))
            .interceptor(ApiLogInterceptor::new(log, &home))
            .build(),
    );
    (home, sts)
}

async fn load_config(opts: &AwsOptions) -> SdkConfig {
    // Per attempt, so a hung call is abandoned and retried rather than stalling the scan.
    let timeouts = aws_config::timeout::TimeoutConfig::builder()
        .operation_attempt_timeout(super::call_timeout())
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(timeouts)
        .http_client(http::client())
        .retry_config(retry::config());
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(creds) = &opts.credentials {
        loader = loader.credentials_provider(creds.clone());
    }
    loader.load().await
}

/// Regions enabled for the account. DescribeRegions returns only enabled regions by
/// default, but moto ignores the opt-in filter, so the status is checked here as well.
async fn enabled_regions(aws: &Aws, home: &str) -> Result<Vec<String>, SetupError> {
    let out = {
        let _permit = aws.permit("EC2", home).await;
        aws.ec2(home)
            .describe_regions()
            .filters(
                Filter::builder()
                    .name("opt-in-status")
                    .values("opt-in-not-required")
                    .values("opted-in")
                    .build(),
            )
            .send()
            .await
            .map_err(|e| SetupError::Regions(reason(&e, "ec2:DescribeRegions")))?
    };
    let mut regions: Vec<String> = out
        .regions()
        .iter()
        .filter(|r| {
            matches!(
                r.opt_in_status(),
                None | Some("opt-in-not-required") | Some("opted-in")
            )
        })
        .filter_map(|r| r.region_name().map(str::to_string))
        .collect();
    regions.sort();
    Ok(regions)
}

/// Run `f` over `items` concurrently, at most as many at once as `limit` allows; results in
/// the order of `items`.
pub(crate) async fn each<T, R, F, Fut>(limit: Arc<Semaphore>, items: Vec<T>, f: F) -> Vec<R>
where
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = R> + Send + 'static,
    R: Send + 'static,
{
    let tasks = items.into_iter().map(|item| {
        let (limit, fut) = (limit.clone(), f(item));
        async move {
            let _permit = limit.acquire_owned().await.expect("semaphore never closed");
            fut.await
        }
    });
    crate::providers::tasks::windowed(retry::in_flight(), tasks).await
}

pub(crate) fn to_chrono(t: &aws_smithy_types::DateTime) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

/// Tags from one SDK's key/value list (every AWS SDK has its own `Tag` type, with the same
/// `key` and `value`): a tag without a key is dropped, one without a value has an empty one.
pub(crate) fn tags_of<T>(
    tags: &[T],
    key: impl Fn(&T) -> Option<&str>,
    value: impl Fn(&T) -> Option<&str>,
) -> Tags {
    tags.iter()
        .filter_map(|t| {
            Some((
                key(t)?.to_string(),
                value(t).unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

/// Name tag when present, else `fallback`.
pub(crate) fn name_from(tags: &Tags, fallback: &str) -> String {
    tags.get("Name")
        .filter(|n| !n.is_empty())
        .cloned()
        .unwrap_or_else(|| fallback.to_string())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The scan state of account 123456789012 with no endpoint behind it: for tests of what
    /// happens around the calls.
    pub(crate) fn offline_aws() -> Aws {
        Aws {
            sdk: SdkConfig::builder().build(),
            account: "123456789012".into(),
            partition: "aws".into(),
            log: ApiLog::default(),
            loopback: false,
            home: "us-east-1".into(),
            limits: Mutex::new(HashMap::new()),
            partitions: retry::Partitions::default(),
            out: Mutex::new(Inventory::new()),
        }
    }
}
