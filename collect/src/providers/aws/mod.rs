//! The AWS collector: the kinds the planner asks for, in every region in scope, with the
//! official SDK and its default credential chain (env, profiles, SSO, web identity,
//! container and instance credentials).
//!
//! Decisions a newcomer may question:
//! - **Setup errors are fatal, collection errors are not.** If STS cannot say which account
//!   the credentials belong to (no credentials, endpoint down), nothing can be attributed
//!   to a scope: [`collect`] returns [`SetupError`] and the CLI exits 2. Every later failure
//!   becomes a [`CollectionError`] for (account, region, kind) and collection goes on;
//!   the engine turns it into ERROR findings and exit code 3.
//! - **Granularity of errors.** A failed list call (DescribeVolumes in eu-west-1) is an
//!   error for that kind in that region (`region: None` for global calls: ListBuckets, S3
//!   Control). A failed per-resource call (one bucket's GetBucketPolicy, one snapshot's
//!   attribute) is also an error for the kind in that resource's region, and the resource is
//!   left out of the inventory: a half-read resource would claim "no policy" or "not public"
//!   when the truth is "unknown", and a FAIL built on that would survive the engine's
//!   error handling.
//! - **Shared calls.** Two kinds that read the same API share one call per region
//!   ([`RegionShared`]): DescribeDBInstances feeds RDS instances and security-group
//!   attachments, DescribeLoadBalancers feeds listeners and attachments.
//! - **Concurrency.** Regions and kinds run concurrently; each (service, region) has a
//!   semaphore of [`PER_SERVICE_REGION`] calls in flight, so a big account does not
//!   trip throttling. The SDK's standard retry mode (exponential backoff with jitter)
//!   handles the throttling that still happens.
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
mod ec2;
mod elbv2;
mod iam;
mod kms;
mod logs;
mod org;
mod rds;
mod s3;
// Data protection and backup.
mod backup;
mod dynamodb;
mod efs;
mod key_owner;
mod rds_data;

pub use org::{collect_organization, OrgOptions};

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_ec2::types::Filter;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::region::Region;
use tokio::sync::{OnceCell, Semaphore};

use crate::model::{CollectionError, Inventory, Provider, ResourceKind, ResourceRef, Scope, Tags};
use api_log::{ApiLog, ApiLogInterceptor, LoopbackAccountHost};

/// Calls in flight per (service, region).
pub const PER_SERVICE_REGION: usize = 8;

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
    let sdk = load_config(opts).await;
    let home = sdk
        .region()
        .map(|r| r.to_string())
        .or_else(|| opts.regions.as_ref().and_then(|r| r.first().cloned()))
        .unwrap_or_else(|| "us-east-1".to_string());
    let loopback = sdk.endpoint_url().is_some_and(api_log::is_loopback_url);

    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(&sdk)
            .region(Region::new(home.clone()))
            .interceptor(ApiLogInterceptor::new(&log, &home))
            .build(),
    );
    let me = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| SetupError::Identity(reason(&e, "sts:GetCallerIdentity")))?;
    let account = me
        .account()
        .ok_or_else(|| SetupError::Identity("the answer has no account id".into()))?
        .to_string();
    let caller_arn = me.arn().map(str::to_string);
    let collection_started = chrono::Utc::now();
    // arn:<partition>:sts::<account>:assumed-role/...
    let partition = me
        .arn()
        .and_then(|a| a.split(':').nth(1))
        .unwrap_or("aws")
        .to_string();

    let aws = Arc::new(Aws {
        sdk,
        account: account.clone(),
        partition,
        log: log.clone(),
        loopback,
        home: home.clone(),
        limits: Mutex::new(HashMap::new()),
        out: Mutex::new(Inventory::new()),
    });

    let regions = match &opts.regions {
        Some(r) => r.clone(),
        None => enabled_regions(&aws, &home).await?,
    };

    // A shard scans its regions; the account-wide kinds go with the first region's shard.
    let (regions, account_wide) = match opts.shard {
        Some(shard) => shard.aws_regions(&account, &regions),
        None => (regions, true),
    };
    let wanted: BTreeSet<ResourceKind> = kinds
        .iter()
        .copied()
        .filter(|k| k.provider() == Provider::Aws && !regions.is_empty())
        .filter(|&k| account_wide || !is_account_wide(k))
        .collect();
    let mut tasks = tokio::task::JoinSet::new();
    for region in &regions {
        let shared = Arc::new(RegionShared::new(&aws, region));
        for &kind in &wanted {
            if is_global(kind) {
                continue;
            }
            let (aws, shared) = (aws.clone(), shared.clone());
            tasks.spawn(async move { collect_regional(&aws, &shared, kind).await });
        }
    }
    if wanted.contains(&ResourceKind::AwsS3Bucket) {
        let (aws, regions) = (aws.clone(), regions.clone());
        tasks.spawn(async move { s3::buckets(&aws, &regions).await });
    }
    if wanted.contains(&ResourceKind::AwsS3AccountPublicAccessBlock) {
        let aws = aws.clone();
        tasks.spawn(async move { s3::account_public_access_block(&aws).await });
    }
    if wanted.contains(&ResourceKind::AwsCloudTrail) {
        let (aws, regions) = (aws.clone(), regions.clone());
        tasks.spawn(async move { cloudtrail::trails(&aws, &regions).await });
    }
    // IAM (global, issue 4 part B).
    if wanted.contains(&ResourceKind::AwsIamPolicy) {
        let aws = aws.clone();
        tasks.spawn(async move { iam::policies(&aws).await });
    }
    if wanted.contains(&ResourceKind::AwsIamRootAccount) {
        let aws = aws.clone();
        tasks.spawn(async move { iam::root_account(&aws).await });
    }
    if wanted.contains(&ResourceKind::AwsIamPasswordPolicy) {
        let aws = aws.clone();
        tasks.spawn(async move { iam::password_policy(&aws).await });
    }
    while let Some(done) = tasks.join_next().await {
        if let Err(e) = done {
            // A panicking task is a bug; say so instead of passing over missing data.
            aws.error(
                None,
                ResourceKind::AwsEbsVolume,
                format!("internal error: {e}"),
            );
        }
    }

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
    sort(&mut inv);
    inv.api_calls = log.take(&account);
    Ok(inv)
}

async fn load_config(opts: &AwsOptions) -> SdkConfig {
    // Per attempt, so a hung call is abandoned and retried rather than stalling the scan.
    let timeouts = aws_config::timeout::TimeoutConfig::builder()
        .operation_attempt_timeout(super::call_timeout())
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(timeouts);
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

/// Kinds collected once per account rather than per region.
fn is_global(kind: ResourceKind) -> bool {
    matches!(
        kind,
        ResourceKind::AwsS3Bucket
            | ResourceKind::AwsS3AccountPublicAccessBlock
            | ResourceKind::AwsCloudTrail
            | ResourceKind::AwsIamPolicy
            | ResourceKind::AwsIamRootAccount
            | ResourceKind::AwsIamPasswordPolicy
    )
}

/// Kinds of the account rather than of a region: one shard collects them. (S3 buckets and
/// trails are global APIs too, but each result belongs to a region.)
fn is_account_wide(kind: ResourceKind) -> bool {
    is_global(kind)
        && !matches!(
            kind,
            ResourceKind::AwsS3Bucket | ResourceKind::AwsCloudTrail
        )
}

async fn collect_regional(aws: &Aws, shared: &RegionShared, kind: ResourceKind) {
    use ResourceKind::*;
    match kind {
        AwsEbsVolume => ec2::volumes(aws, shared).await,
        AwsEbsEncryptionDefault => ec2::encryption_default(aws, shared).await,
        AwsEbsSnapshot => ec2::snapshots(aws, shared).await,
        AwsEc2SecurityGroup => ec2::security_groups(aws, shared).await,
        AwsEc2Instance => ec2::instances(aws, shared).await,
        AwsEc2Subnet => ec2::subnets(aws, shared).await,
        AwsVpc => ec2::vpcs(aws, shared).await,
        AwsRdsInstance => rds::instances(aws, shared).await,
        AwsElbv2Listener => elbv2::listeners(aws, shared).await,
        AwsKmsKey => kms::keys(aws, shared).await,
        // Issue 4 part B.
        AwsLogGroup => logs::log_groups(aws, shared).await,
        AwsAcmCertificate => acm::certificates(aws, shared).await,
        AwsEc2NetworkAcl => ec2::network_acls(aws, shared).await,
        // Data protection and backup.
        AwsRdsCluster => rds_data::clusters(aws, shared).await,
        AwsRdsParameterGroup => rds_data::parameter_groups(aws, shared).await,
        AwsRdsSnapshot => rds_data::snapshots(aws, shared).await,
        AwsBackupVault => backup::vaults(aws, shared).await,
        AwsBackupRecoveryPoint => backup::recovery_points(aws, shared).await,
        AwsEfsFileSystem => efs::file_systems(aws, shared).await,
        AwsDynamoDbTable => dynamodb::tables(aws, shared).await,
        // Global kinds are collected once, elsewhere; other providers' kinds never get here.
        _ => {}
    }
}

/// Stable output: every list sorted by resource id (collection order is whatever finished
/// first).
fn sort(inv: &mut Inventory) {
    fn by_id<T: crate::model::Resource>(v: &mut [T]) {
        v.sort_by(|a, b| {
            (&a.resource().region, &a.resource().id).cmp(&(&b.resource().region, &b.resource().id))
        });
    }
    by_id(&mut inv.aws_ebs_volumes);
    by_id(&mut inv.aws_ebs_encryption_defaults);
    by_id(&mut inv.aws_ebs_snapshots);
    by_id(&mut inv.aws_s3_buckets);
    by_id(&mut inv.aws_s3_account_public_access_blocks);
    by_id(&mut inv.aws_rds_instances);
    by_id(&mut inv.aws_elbv2_listeners);
    by_id(&mut inv.aws_ec2_security_groups);
    by_id(&mut inv.aws_ec2_instances);
    by_id(&mut inv.aws_ec2_subnets);
    by_id(&mut inv.aws_vpcs);
    by_id(&mut inv.aws_kms_keys);
    by_id(&mut inv.aws_cloudtrails);
    by_id(&mut inv.aws_iam_policies);
    by_id(&mut inv.aws_iam_root_accounts);
    by_id(&mut inv.aws_iam_password_policies);
    by_id(&mut inv.aws_log_groups);
    by_id(&mut inv.aws_acm_certificates);
    by_id(&mut inv.aws_ec2_network_acls);
    // Data protection and backup.
    by_id(&mut inv.aws_rds_clusters);
    by_id(&mut inv.aws_rds_parameter_groups);
    by_id(&mut inv.aws_rds_snapshots);
    by_id(&mut inv.aws_backup_vaults);
    by_id(&mut inv.aws_backup_recovery_points);
    by_id(&mut inv.aws_efs_file_systems);
    by_id(&mut inv.aws_dynamodb_tables);
    inv.errors
        .sort_by(|a, b| (&a.region, a.kind, &a.reason).cmp(&(&b.region, b.kind, &b.reason)));
}

/// The scan's shared state: SDK config, identity, call log, limits and the inventory
/// being filled.
pub(crate) struct Aws {
    sdk: SdkConfig,
    account: String,
    partition: String,
    log: ApiLog,
    loopback: bool,
    /// The region of global calls (ListBuckets, S3 Control, STS).
    home: String,
    limits: Mutex<HashMap<(&'static str, String), Arc<Semaphore>>>,
    out: Mutex<Inventory>,
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
            .or_insert_with(|| Arc::new(Semaphore::new(PER_SERVICE_REGION)))
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
                .interceptor(ApiLogInterceptor::new(&self.log, region))
                .build(),
        )
    }

    pub(crate) fn s3control(&self) -> aws_sdk_s3control::Client {
        let mut b = aws_sdk_s3control::config::Builder::from(&self.sdk)
            .region(Region::new(self.home.clone()))
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

    // ---- IAM, CloudWatch Logs, ACM (issue 4, part B) ----

    /// IAM is global: every call goes to the partition's IAM region.
    pub(crate) fn iam(&self) -> aws_sdk_iam::Client {
        let region = iam::iam_region(&self.partition);
        aws_sdk_iam::Client::from_conf(
            aws_sdk_iam::config::Builder::from(&self.sdk)
                .region(Region::new(region))
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
}

/// Per-region clients and the calls two kinds share.
pub(crate) struct RegionShared {
    pub(crate) region: String,
    pub(crate) ec2: aws_sdk_ec2::Client,
    pub(crate) rds: aws_sdk_rds::Client,
    pub(crate) elbv2: aws_sdk_elasticloadbalancingv2::Client,
    pub(crate) kms: aws_sdk_kms::Client,
    // Data protection and backup.
    pub(crate) backup: aws_sdk_backup::Client,
    pub(crate) efs: aws_sdk_efs::Client,
    pub(crate) dynamodb: aws_sdk_dynamodb::Client,
    backup_vaults: OnceCell<Result<Vec<aws_sdk_backup::types::BackupVaultListMember>, String>>,
    db_instances: OnceCell<Result<Vec<aws_sdk_rds::types::DbInstance>, String>>,
    load_balancers:
        OnceCell<Result<Vec<aws_sdk_elasticloadbalancingv2::types::LoadBalancer>, String>>,
}

impl RegionShared {
    fn new(aws: &Aws, region: &str) -> Self {
        RegionShared {
            region: region.to_string(),
            ec2: aws.ec2(region),
            rds: aws.rds(region),
            elbv2: aws.elbv2(region),
            kms: aws.kms(region),
            backup: aws.backup(region),
            efs: aws.efs(region),
            dynamodb: aws.dynamodb(region),
            backup_vaults: OnceCell::new(),
            db_instances: OnceCell::new(),
            load_balancers: OnceCell::new(),
        }
    }

    /// DescribeDBInstances, once per region.
    pub(crate) async fn db_instances(
        &self,
        aws: &Aws,
    ) -> &Result<Vec<aws_sdk_rds::types::DbInstance>, String> {
        self.db_instances
            .get_or_init(|| async {
                let _permit = aws.permit("RDS", &self.region).await;
                let pages: Result<Vec<_>, _> = self
                    .rds
                    .describe_db_instances()
                    .into_paginator()
                    .send()
                    .collect()
                    .await;
                pages
                    .map(|p| {
                        p.into_iter()
                            .flat_map(|o| o.db_instances.unwrap_or_default())
                            .collect()
                    })
                    .map_err(|e| reason(&e, "rds:DescribeDBInstances"))
            })
            .await
    }

    /// ListBackupVaults, once per region (vaults and their recovery points).
    pub(crate) async fn backup_vaults(
        &self,
        aws: &Aws,
    ) -> &Result<Vec<aws_sdk_backup::types::BackupVaultListMember>, String> {
        self.backup_vaults
            .get_or_init(|| async {
                let _permit = aws.permit("Backup", &self.region).await;
                let pages: Result<Vec<_>, _> = self
                    .backup
                    .list_backup_vaults()
                    .into_paginator()
                    .send()
                    .collect()
                    .await;
                pages
                    .map(|p| {
                        p.into_iter()
                            .flat_map(|o| o.backup_vault_list.unwrap_or_default())
                            .collect()
                    })
                    .map_err(|e| reason(&e, "backup:ListBackupVaults"))
            })
            .await
    }

    /// DescribeLoadBalancers, once per region.
    pub(crate) async fn load_balancers(
        &self,
        aws: &Aws,
    ) -> &Result<Vec<aws_sdk_elasticloadbalancingv2::types::LoadBalancer>, String> {
        self.load_balancers
            .get_or_init(|| async {
                let _permit = aws.permit("ELBv2", &self.region).await;
                let pages: Result<Vec<_>, _> = self
                    .elbv2
                    .describe_load_balancers()
                    .into_paginator()
                    .send()
                    .collect()
                    .await;
                pages
                    .map(|p| {
                        p.into_iter()
                            .flat_map(|o| o.load_balancers.unwrap_or_default())
                            .collect()
                    })
                    .map_err(|e| reason(&e, "elasticloadbalancing:DescribeLoadBalancers"))
            })
            .await
    }
}

/// A failed call in words an operator can act on: `AccessDenied: <message> (ec2:DescribeVolumes)`.
pub(crate) fn reason<E, R>(err: &SdkError<E, R>, action: &str) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    match err {
        SdkError::ServiceError(se) => {
            let e = se.err();
            match (e.code(), e.message()) {
                (Some(code), Some(m)) if !m.is_empty() => format!("{code}: {m} ({action})"),
                (Some(code), _) => format!("{code} ({action})"),
                // No error code: an answer the SDK could not read; its error says why.
                (None, _) => format!("{} ({action})", one_line(e)),
            }
        }
        other => format!("{} ({action})", one_line(other)),
    }
}

/// An error and its sources on one line ("dispatch failure: io error: connection refused"),
/// each message once: a CLI error is one line.
fn one_line(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let msg = e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !msg.is_empty() && !parts.iter().any(|p| p.contains(&msg)) {
            parts.push(msg);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// The service error code of a failed call, if the service answered.
pub(crate) fn code<E, R>(err: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match err {
        SdkError::ServiceError(se) => se.err().code(),
        _ => None,
    }
}

/// Run `f` over `items` concurrently, at most as many at once as `limit` allows; results in
/// the order of `items`.
pub(crate) async fn each<T, R, F, Fut>(limit: Arc<Semaphore>, items: Vec<T>, f: F) -> Vec<R>
where
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = R> + Send + 'static,
    R: Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for (i, item) in items.into_iter().enumerate() {
        let (limit, fut) = (limit.clone(), f(item));
        set.spawn(async move {
            let _permit = limit.acquire_owned().await.expect("semaphore never closed");
            (i, fut.await)
        });
    }
    let mut out = Vec::with_capacity(set.len());
    while let Some(done) = set.join_next().await {
        match done {
            Ok(r) => out.push(r),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => panic!("collector task cancelled: {e}"),
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}

pub(crate) fn to_chrono(t: &aws_smithy_types::DateTime) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

/// Name tag when present, else `fallback`.
pub(crate) fn name_from(tags: &Tags, fallback: &str) -> String {
    tags.get("Name")
        .filter(|n| !n.is_empty())
        .cloned()
        .unwrap_or_else(|| fallback.to_string())
}
