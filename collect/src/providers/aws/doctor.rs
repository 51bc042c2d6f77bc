//! `phiscan doctor aws`: the caller (sts:GetCallerIdentity), the regions in scope, and per
//! resource kind one probe, the first page at the smallest page size of the list call that
//! kind's collector starts with, through the collectors' own clients (same credentials,
//! endpoint, timeouts and call log).
//!
//! Regional kinds are probed in every region in scope: a service control policy or a
//! permission boundary often denies some regions only. Kinds read once per account
//! (S3 buckets, trails, IAM, CloudFront) are probed once, in the home region.

use std::collections::BTreeSet;
use std::sync::Arc;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use tokio::sync::Semaphore;

use super::api_log::{error_code_in_body, ApiLog};
use super::sdk_error::RawStatus;
use super::{code, connect, each, reason, reason_or_gap, regions_in_scope, Aws, AwsOptions};
use super::{SetupError, PER_SERVICE_REGION};
use crate::doctor::{Diagnosis, Fact, Probe, ProbeStatus};
use crate::model::{AwsKind, Granularity, Provider, ResourceKind, Scope};

/// Error codes AWS services answer a call the credential may not make with.
const DENIED: [&str; 7] = [
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "UnauthorizedAccess",
    "Forbidden",
    "ForbiddenException",
];

/// Probe the account the credentials belong to, for `kinds` (AWS kinds only).
pub async fn diagnose(
    opts: &AwsOptions,
    kinds: &BTreeSet<ResourceKind>,
) -> Result<Diagnosis, SetupError> {
    let log = ApiLog::default();
    let (aws, caller) = connect(opts, &log).await?;
    let regions = regions_in_scope(&aws, opts).await?;
    let mut identity = vec![Fact::new("account", aws.account.clone())];
    identity.extend(caller.arn.map(|a| Fact::new("caller", a)));
    identity.extend(caller.user_id.map(|u| Fact::new("user id", u)));
    identity.push(Fact::new(
        "credential source",
        match &opts.profile {
            Some(p) => format!("profile {p} of the shared config files"),
            None => "the SDK's default chain (environment, AWS_PROFILE, SSO, web identity, container, instance)".into(),
        },
    ));

    let mut work: Vec<(AwsKind, Option<String>)> = Vec::new();
    for kind in kinds.iter().filter_map(|&k| AwsKind::try_from(k).ok()) {
        match ResourceKind::from(kind).granularity() {
            Granularity::Regional => {
                work.extend(regions.iter().map(|r| (kind, Some(r.clone()))));
            }
            Granularity::Global | Granularity::AccountWide => work.push((kind, None)),
        }
    }
    let limit = Arc::new(Semaphore::new(PER_SERVICE_REGION));
    let probes = each(limit, work, |(kind, region)| {
        let aws = aws.clone();
        async move { probe(&aws, kind, region).await }
    })
    .await;

    let mut d = Diagnosis {
        provider: Provider::Aws,
        identity,
        scopes: vec![Scope {
            provider: Provider::Aws,
            account: aws.account.clone(),
            name: None,
            regions,
            identity: None,
        }],
        probes,
        api_calls: log.take(),
    };
    d.sort();
    Ok(d)
}

/// How a probe call ended: `Ok`, or the status and reason of its failure.
type Outcome = Result<(), (ProbeStatus, String)>;

/// Judge a probe call: `ok_codes` are errors that still prove the read is allowed (IAM's
/// NoSuchEntity for an account without a password policy). The error code is the SDK's, or
/// the one in the raw body when the SDK could not read the answer (an emulator's error in
/// another protocol's shape): a denial is DENIED only when the answer says so, never for a
/// bare 403 (an emulator's signature check, a proxy).
fn judge<T, E>(
    result: Result<T, SdkError<E, aws_smithy_runtime_api::http::Response>>,
    action: &str,
    ok_codes: &[&str],
) -> Outcome
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let Err(e) = result else { return Ok(()) };
    let parsed = code(&e).map(str::to_string);
    let raw = e.raw_response();
    let code = parsed.clone().or_else(|| {
        raw.and_then(|r| r.body().bytes())
            .and_then(error_code_in_body)
    });
    let unread = |c: &str| {
        let status = e
            .raw_status()
            .map_or(String::new(), |s| format!(" (HTTP {s})"));
        format!("{c}{status}: an answer the SDK could not read ({action})")
    };
    match code.as_deref() {
        Some(c) if ok_codes.contains(&c) => Ok(()),
        Some(c) if DENIED.contains(&c) => Err((
            ProbeStatus::Denied,
            match parsed {
                Some(_) => reason(&e, action),
                None => unread(c),
            },
        )),
        Some(c) if parsed.is_none() => Err((ProbeStatus::Error, unread(c))),
        _ => Err((ProbeStatus::Error, reason_or_gap(&e, action))),
    }
}

/// `(action, outcome)` of one request builder's `send()`.
macro_rules! call {
    ($action:literal, $request:expr) => {
        call!($action, $request, ok: [])
    };
    ($action:literal, $request:expr, ok: [$($ok:literal),*]) => {
        ($action, judge($request.send().await, $action, &[$($ok),*]))
    };
}

/// The probe of `kind` in `region` (`None`: the home region, for kinds read once per account).
async fn probe(aws: &Aws, kind: AwsKind, region: Option<String>) -> Probe {
    use AwsKind::*;
    let r = region.as_deref().unwrap_or(aws.home());
    let (action, outcome): (&str, Outcome) = match kind {
        AwsEbsVolume => call!(
            "ec2:DescribeVolumes",
            aws.ec2(r).describe_volumes().max_results(5)
        ),
        AwsEbsEncryptionDefault => call!(
            "ec2:GetEbsEncryptionByDefault",
            aws.ec2(r).get_ebs_encryption_by_default()
        ),
        AwsEbsSnapshot => call!(
            "ec2:DescribeSnapshots",
            aws.ec2(r)
                .describe_snapshots()
                .owner_ids("self")
                .max_results(5)
        ),
        AwsS3Bucket => call!(
            "s3:ListAllMyBuckets",
            aws.s3(r).list_buckets().max_buckets(1)
        ),
        AwsS3AccountPublicAccessBlock => call!(
            "s3:GetAccountPublicAccessBlock",
            aws.s3control().get_public_access_block().account_id(aws.account()),
            ok: ["NoSuchPublicAccessBlockConfiguration"]
        ),
        AwsRdsInstance => call!(
            "rds:DescribeDBInstances",
            aws.rds(r).describe_db_instances().max_records(20)
        ),
        AwsElbv2Listener => call!(
            "elasticloadbalancing:DescribeLoadBalancers",
            aws.elbv2(r).describe_load_balancers().page_size(1)
        ),
        AwsElbv2TargetGroup => call!(
            "elasticloadbalancing:DescribeTargetGroups",
            aws.elbv2(r).describe_target_groups().page_size(1)
        ),
        AwsEc2SecurityGroup => call!(
            "ec2:DescribeSecurityGroups",
            aws.ec2(r).describe_security_groups().max_results(5)
        ),
        AwsEc2Instance => call!(
            "ec2:DescribeInstances",
            aws.ec2(r).describe_instances().max_results(5)
        ),
        AwsEc2Subnet => call!(
            "ec2:DescribeSubnets",
            aws.ec2(r).describe_subnets().max_results(5)
        ),
        AwsVpc => call!(
            "ec2:DescribeVpcs",
            aws.ec2(r).describe_vpcs().max_results(5)
        ),
        AwsVpcPeering => call!(
            "ec2:DescribeVpcPeeringConnections",
            aws.ec2(r).describe_vpc_peering_connections().max_results(5)
        ),
        AwsTransitGatewayAttachment => call!(
            "ec2:DescribeTransitGatewayAttachments",
            aws.ec2(r)
                .describe_transit_gateway_attachments()
                .max_results(5)
        ),
        AwsKmsKey => call!("kms:ListKeys", aws.kms(r).list_keys().limit(1)),
        AwsCloudTrail => call!(
            "cloudtrail:DescribeTrails",
            aws.cloudtrail(r).describe_trails()
        ),
        AwsIamPolicy => call!(
            "iam:ListPolicies",
            aws.iam()
                .list_policies()
                .scope(aws_sdk_iam::types::PolicyScopeType::Local)
                .max_items(1)
        ),
        AwsIamRootAccount => call!("iam:GetAccountSummary", aws.iam().get_account_summary()),
        AwsIamPasswordPolicy => call!(
            "iam:GetAccountPasswordPolicy",
            aws.iam().get_account_password_policy(),
            ok: ["NoSuchEntity"]
        ),
        AwsLogGroup => call!(
            "logs:DescribeLogGroups",
            aws.logs(r).describe_log_groups().limit(1)
        ),
        AwsAcmCertificate => call!(
            "acm:ListCertificates",
            aws.acm(r).list_certificates().max_items(1)
        ),
        AwsEc2NetworkAcl => call!(
            "ec2:DescribeNetworkAcls",
            aws.ec2(r).describe_network_acls().max_results(5)
        ),
        AwsRdsCluster => call!(
            "rds:DescribeDBClusters",
            aws.rds(r).describe_db_clusters().max_records(20)
        ),
        AwsRdsParameterGroup => call!(
            "rds:DescribeDBParameterGroups",
            aws.rds(r).describe_db_parameter_groups().max_records(20)
        ),
        AwsRdsSnapshot => call!(
            "rds:DescribeDBSnapshots",
            aws.rds(r).describe_db_snapshots().max_records(20)
        ),
        // Recovery points are listed per vault: the vault list comes first.
        AwsBackupVault | AwsBackupRecoveryPoint => call!(
            "backup:ListBackupVaults",
            aws.backup(r).list_backup_vaults().max_results(1)
        ),
        AwsEfsFileSystem => call!(
            "elasticfilesystem:DescribeFileSystems",
            aws.efs(r).describe_file_systems().max_items(1)
        ),
        AwsDynamoDbTable => call!(
            "dynamodb:ListTables",
            aws.dynamodb(r).list_tables().limit(1)
        ),
        AwsRdsClusterSnapshot => call!(
            "rds:DescribeDBClusterSnapshots",
            aws.rds(r).describe_db_cluster_snapshots().max_records(20)
        ),
        AwsIamUser => call!("iam:ListUsers", aws.iam().list_users().max_items(1)),
        AwsIamRole => call!(
            "iam:GetAccountAuthorizationDetails",
            aws.iam()
                .get_account_authorization_details()
                .filter(aws_sdk_iam::types::EntityType::Role)
                .max_items(1)
        ),
        AwsGuardDutyRegion => call!(
            "guardduty:ListDetectors",
            aws.guardduty(r).list_detectors().max_results(1)
        ),
        AwsConfigRecorderRegion => call!(
            "config:DescribeConfigurationRecorders",
            aws.config(r).describe_configuration_recorders()
        ),
        AwsCloudFrontDistribution => call!(
            "cloudfront:ListDistributions",
            aws.cloudfront().list_distributions().max_items(1)
        ),
        // API Gateway names its permissions by HTTP verb: GetDomainNames is `apigateway:GET`.
        AwsApiGatewayDomainName => call!(
            "apigateway:GET",
            aws.apigateway(r).get_domain_names().limit(1)
        ),
        AwsElbClassicLoadBalancer => call!(
            "elasticloadbalancing:DescribeLoadBalancers",
            aws.elb(r).describe_load_balancers().page_size(1)
        ),
        AwsElastiCacheReplicationGroup => call!(
            "elasticache:DescribeReplicationGroups",
            aws.elasticache(r)
                .describe_replication_groups()
                .max_records(20)
        ),
        AwsElastiCacheServerlessCache => call!(
            "elasticache:DescribeServerlessCaches",
            aws.elasticache(r)
                .describe_serverless_caches()
                .max_results(1)
        ),
        AwsRedshiftCluster => call!(
            "redshift:DescribeClusters",
            aws.redshift(r).describe_clusters().max_records(20)
        ),
        AwsOpenSearchDomain => call!("es:ListDomainNames", aws.opensearch(r).list_domain_names()),
        AwsSqsQueue => call!("sqs:ListQueues", aws.sqs(r).list_queues().max_results(1)),
        AwsSnsTopic => call!("sns:ListTopics", aws.sns(r).list_topics()),
        AwsKinesisStream => call!(
            "kinesis:ListStreams",
            aws.kinesis(r).list_streams().limit(1)
        ),
        AwsSecretsManagerSecret => call!(
            "secretsmanager:ListSecrets",
            aws.secretsmanager(r).list_secrets().max_results(1)
        ),
    };
    let (status, reason) = match outcome {
        Ok(()) => (ProbeStatus::Ok, None),
        Err((status, reason)) => (status, Some(reason)),
    };
    Probe {
        scope: aws.account().to_string(),
        region: Some(r.to_string()),
        kind: kind.into(),
        operation: action.to_string(),
        permission: action.to_string(),
        roles: Vec::new(),
        status,
        reason,
        enable: None,
    }
}
