//! The collector of every AWS kind: one exhaustive match over [`AwsKind`] without a wildcard
//! arm, so a kind declared in `kinds!` and wired to no collector does not compile. The
//! variant of [`Collector`] is the collector's shape (per region, once per account over the
//! regions, once per account); a test holds it to the kind's declared [`Granularity`].

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::{
    acm, apigateway, backup, cloudfront, cloudtrail, detection, dynamodb, ec2, efs, elasticache,
    elb, elbv2, iam, iam_roles, iam_users, kms, logs, messaging, opensearch, rds, rds_data,
    redshift, s3, secretsmanager, Aws, RegionShared,
};
use crate::model::{AwsKind, ResourceKind};
use crate::providers::tasks::Tasks;

type Run<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// How one kind is collected.
#[derive(Clone, Copy)]
pub(crate) enum Collector {
    /// Once per region in scope.
    Regional(for<'a> fn(&'a Aws, &'a RegionShared) -> Run<'a>),
    /// Once per account, given the regions in scope (the results belong to regions).
    Global(for<'a> fn(&'a Aws, &'a [String]) -> Run<'a>),
    /// Once per account, for the account itself.
    AccountWide(for<'a> fn(&'a Aws) -> Run<'a>),
}

#[cfg(test)]
impl Collector {
    /// The granularity this shape of collector implements.
    pub(crate) fn granularity(self) -> crate::model::Granularity {
        use crate::model::Granularity;
        match self {
            Collector::Regional(_) => Granularity::Regional,
            Collector::Global(_) => Granularity::Global,
            Collector::AccountWide(_) => Granularity::AccountWide,
        }
    }
}

/// The collector that fills `kind`.
pub(crate) fn collector(kind: AwsKind) -> Collector {
    use AwsKind::*;
    use Collector::{AccountWide, Global, Regional};
    match kind {
        AwsEbsVolume => Regional(|a, s| Box::pin(ec2::volumes(a, s))),
        AwsEbsEncryptionDefault => Regional(|a, s| Box::pin(ec2::encryption_default(a, s))),
        AwsEbsSnapshot => Regional(|a, s| Box::pin(ec2::snapshots(a, s))),
        AwsS3Bucket => Global(|a, r| Box::pin(s3::buckets(a, r))),
        AwsS3AccountPublicAccessBlock => {
            AccountWide(|a| Box::pin(s3::account_public_access_block(a)))
        }
        AwsRdsInstance => Regional(|a, s| Box::pin(rds::instances(a, s))),
        AwsElbv2Listener => Regional(|a, s| Box::pin(elbv2::listeners(a, s))),
        AwsElbv2TargetGroup => Regional(|a, s| Box::pin(elbv2::target_groups(a, s))),
        AwsEc2SecurityGroup => Regional(|a, s| Box::pin(ec2::security_groups(a, s))),
        AwsEc2Instance => Regional(|a, s| Box::pin(ec2::instances(a, s))),
        AwsEc2Subnet => Regional(|a, s| Box::pin(ec2::subnets(a, s))),
        AwsVpc => Regional(|a, s| Box::pin(ec2::vpcs(a, s))),
        AwsVpcPeering => Regional(|a, s| Box::pin(ec2::peerings(a, s))),
        AwsTransitGatewayAttachment => {
            Regional(|a, s| Box::pin(ec2::transit_gateway_attachments(a, s)))
        }
        AwsKmsKey => Regional(|a, s| Box::pin(kms::keys(a, s))),
        AwsCloudTrail => Global(|a, r| Box::pin(cloudtrail::trails(a, r))),
        AwsIamPolicy => AccountWide(|a| Box::pin(iam::policies(a))),
        AwsIamRole => AccountWide(|a| Box::pin(iam_roles::roles(a))),
        AwsIamRootAccount => AccountWide(|a| Box::pin(iam::root_account(a))),
        AwsIamPasswordPolicy => AccountWide(|a| Box::pin(iam::password_policy(a))),
        AwsLogGroup => Regional(|a, s| Box::pin(logs::log_groups(a, s))),
        AwsAcmCertificate => Regional(|a, s| Box::pin(acm::certificates(a, s))),
        AwsEc2NetworkAcl => Regional(|a, s| Box::pin(ec2::network_acls(a, s))),
        AwsRdsCluster => Regional(|a, s| Box::pin(rds_data::clusters(a, s))),
        AwsRdsParameterGroup => Regional(|a, s| Box::pin(rds_data::parameter_groups(a, s))),
        AwsRdsSnapshot => Regional(|a, s| Box::pin(rds_data::snapshots(a, s))),
        AwsBackupVault => Regional(|a, s| Box::pin(backup::vaults(a, s))),
        AwsBackupRecoveryPoint => Regional(|a, s| Box::pin(backup::recovery_points(a, s))),
        AwsEfsFileSystem => Regional(|a, s| Box::pin(efs::file_systems(a, s))),
        AwsDynamoDbTable => Regional(|a, s| Box::pin(dynamodb::tables(a, s))),
        AwsRdsClusterSnapshot => Regional(|a, s| Box::pin(rds_data::cluster_snapshots(a, s))),
        AwsIamUser => AccountWide(|a| Box::pin(iam_users::users(a))),
        AwsGuardDutyRegion => Regional(|a, s| Box::pin(detection::guardduty(a, s))),
        AwsConfigRecorderRegion => Regional(|a, s| Box::pin(detection::config_recorders(a, s))),
        AwsCloudFrontDistribution => AccountWide(|a| Box::pin(cloudfront::distributions(a))),
        AwsApiGatewayDomainName => Regional(|a, s| Box::pin(apigateway::domain_names(a, s))),
        AwsElbClassicLoadBalancer => Regional(|a, s| Box::pin(elb::load_balancers(a, s))),
        AwsElastiCacheReplicationGroup => {
            Regional(|a, s| Box::pin(elasticache::replication_groups(a, s)))
        }
        AwsElastiCacheServerlessCache => {
            Regional(|a, s| Box::pin(elasticache::serverless_caches(a, s)))
        }
        AwsRedshiftCluster => Regional(|a, s| Box::pin(redshift::clusters(a, s))),
        AwsOpenSearchDomain => Regional(|a, s| Box::pin(opensearch::domains(a, s))),
        AwsSqsQueue => Regional(|a, s| Box::pin(messaging::queues(a, s))),
        AwsSnsTopic => Regional(|a, s| Box::pin(messaging::topics(a, s))),
        AwsKinesisStream => Regional(|a, s| Box::pin(messaging::streams(a, s))),
        AwsSecretsManagerSecret => Regional(|a, s| Box::pin(secretsmanager::secrets(a, s))),
    }
}

/// Start the collector of every wanted kind: regional ones once per region (with that
/// region's shared calls), the others once. Each task is tagged with its (region, kind);
/// `None`: every region of the account.
pub(crate) fn spawn(
    aws: &Arc<Aws>,
    regions: &[String],
    wanted: &BTreeSet<AwsKind>,
    collector: fn(AwsKind) -> Collector,
) -> Tasks<(Option<String>, ResourceKind)> {
    let mut tasks = Tasks::default();
    let shared: Vec<Arc<RegionShared>> = regions
        .iter()
        .map(|r| Arc::new(RegionShared::new(r)))
        .collect();
    for &kind in wanted {
        let what = ResourceKind::from(kind);
        match collector(kind) {
            Collector::Regional(run) => {
                for s in &shared {
                    let (aws, s) = (aws.clone(), s.clone());
                    let tag = (Some(s.region.clone()), what);
                    tasks.spawn(tag, async move { run(&aws, &s).await });
                }
            }
            Collector::Global(run) => {
                let (aws, regions) = (aws.clone(), regions.to_vec());
                tasks.spawn((None, what), async move { run(&aws, &regions).await });
            }
            Collector::AccountWide(run) => {
                let aws = aws.clone();
                tasks.spawn((None, what), async move { run(&aws).await });
            }
        }
    }
    tasks
}

/// Wait for every task; a task that panicked is a bug, recorded as an error of its own
/// (region, kind) instead of passing over the data it did not collect.
pub(crate) async fn join(aws: &Aws, tasks: Tasks<(Option<String>, ResourceKind)>) {
    tasks
        .join(|(region, kind), message| {
            aws.error(
                region.as_deref(),
                kind,
                format!("internal error: {message}"),
            );
        })
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A collector that runs once per account for a kind declared Regional would scan one
    /// region's worth (or all at once with region-less errors); the shapes must agree.
    #[test]
    fn every_collector_has_the_shape_of_its_declared_granularity() {
        for &kind in AwsKind::ALL {
            assert_eq!(
                collector(kind).granularity(),
                ResourceKind::from(kind).granularity(),
                "{kind:?}"
            );
        }
        assert_eq!(
            AwsKind::ALL.len(),
            ResourceKind::ALL
                .iter()
                .filter(|k| AwsKind::try_from(**k).is_ok())
                .count()
        );
    }

    /// Kinds whose collector panics: KMS keys in every region, IAM policies once.
    fn panicking(kind: AwsKind) -> Collector {
        match kind {
            AwsKind::AwsKmsKey => Collector::Regional(|_, s| {
                Box::pin(async move { panic!("no key in {}", s.region) })
            }),
            AwsKind::AwsIamPolicy => {
                Collector::AccountWide(|_| Box::pin(async { panic!("no policy") }))
            }
            other => match collector(other) {
                Collector::Regional(_) => Collector::Regional(|_, _| Box::pin(async {})),
                Collector::Global(_) => Collector::Global(|_, _| Box::pin(async {})),
                Collector::AccountWide(_) => Collector::AccountWide(|_| Box::pin(async {})),
            },
        }
    }

    #[tokio::test]
    async fn a_panicking_collector_is_an_error_of_its_own_region_and_kind() {
        let aws = Arc::new(super::super::tests::offline_aws());
        let regions = vec!["eu-west-1".to_string(), "us-east-1".to_string()];
        let wanted = BTreeSet::from([
            AwsKind::AwsEbsVolume,
            AwsKind::AwsKmsKey,
            AwsKind::AwsIamPolicy,
            AwsKind::AwsS3Bucket,
        ]);
        join(&aws, spawn(&aws, &regions, &wanted, panicking)).await;
        let mut inv = aws.out.lock().unwrap().clone();
        inv.sort();
        let got: Vec<(Option<&str>, ResourceKind, &str)> = inv
            .errors
            .iter()
            .map(|e| (e.region.as_deref(), e.kind, e.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    None,
                    ResourceKind::AwsIamPolicy,
                    "internal error: no policy"
                ),
                (
                    Some("eu-west-1"),
                    ResourceKind::AwsKmsKey,
                    "internal error: no key in eu-west-1"
                ),
                (
                    Some("us-east-1"),
                    ResourceKind::AwsKmsKey,
                    "internal error: no key in us-east-1"
                ),
            ]
        );
        assert!(inv.errors.iter().all(|e| e.account == "123456789012"));
    }
}
