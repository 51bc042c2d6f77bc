//! AWS checks, one file each under `aws/<service>/`. The services below, in registry order, are
//! the AWS registry; each service's `mod.rs` lists its checks.

mod engine_cluster;
pub(crate) mod external_access;
pub mod policy_doc;
mod resource_policy;
pub(crate) mod segmentation;
mod snapshot_sharing;

phiscan_core::services! {
    ebs,
    ec2,
    vpc,
    s3,
    rds,
    dynamodb,
    efs,
    backup,
    elbv2,
    acm,
    kms,
    iam,
    cloudtrail,
    logs,
    // Edges, detection (issue 17).
    cloudfront,
    apigateway,
    elb,
    guardduty,
    config,
    // Data stores (issue 17, first half).
    elasticache,
    redshift,
    opensearch,
    docdb,
    neptune,
    sqs,
    sns,
    kinesis,
    secretsmanager,
}
