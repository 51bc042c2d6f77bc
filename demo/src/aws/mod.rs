//! HealthTensor on AWS: the production account `111122223333` ("healthtensor-prod";
//! us-east-1 primary, us-west-2 disaster recovery) and the backup account `444455556666`
//! ("healthtensor-backup", us-west-2), half-way through a clean-up. Every AWS check finds a
//! compliant and a non-compliant resource here; the story keeps them coherent:
//!
//! - The EHR platform is the compliant half: `ehr-db-prod` (PostgreSQL, encrypted with the
//!   customer-managed `ehr-data-key`, private subnets, `ehr-db-sg` admitting 5432 only from
//!   the app tier, 14 days of backups), the `ehr-app-1` server (private, IMDSv2), the
//!   internet-facing `ehr-portal-alb` (HTTPS with a TLS 1.2/1.3 policy; port 80 only
//!   redirects to HTTPS), the `healthtensor-phi-uploads` bucket (KMS, TLS-only policy, all
//!   four Block Public Access flags, versioning, access logs) and `ehr-prod-vpc` (flow logs).
//! - The legacy reporting stack is the non-compliant half, due for retirement: the
//!   `legacy-reporting-db` MySQL (Percona) instance is unencrypted, publicly accessible, in
//!   public subnets and behind `legacy-reporting-sg`, which opens 22 and 3306 to the world,
//!   so it is "reachable from the internet"; its backups are off. Its worker has a public IP
//!   and accepts IMDSv1, its data volume is plaintext, and someone made a snapshot of that
//!   volume public for a vendor. `legacy-reports-alb` still serves plain HTTP on 8080 and
//!   HTTPS with `ELBSecurityPolicy-2016-08` (TLS 1.0/1.1). `legacy-reports-key` never had
//!   rotation turned on and its policy lets `"*"` decrypt.
//! - The bastion has a public IP by design (a FAIL of `aws-ec2-instance-no-public-ip` that a
//!   waiver should record) and `bastion-sg` admits SSH only from the office, 203.0.113.0/24.
//! - The marketing site's `healthtensor-marketing-assets` bucket is public-read and has
//!   nothing configured; `healthtensor-access-logs` does not log itself.
//! - CloudTrail: the account's multi-region trail `healthtensor-main-trail` (home us-east-1,
//!   log validation, KMS) was stopped during an incident and never restarted. The EHR team's
//!   single-region `ehr-audit-trail` in us-east-1 is logging, without validation or KMS. So
//!   us-east-1 is covered and us-west-2, the DR region, is not. The backup account's own
//!   multi-region trail is logging.
//! - us-west-2: EBS encryption by default was turned on in us-east-1 only; `dr-vpc` has no
//!   flow logs. The encrypted daily snapshot of the EHR volume is shared with the backup
//!   account (not public: a PASS whose reason names the account).
//! - The backup account is in scope because the account-level S3 Block Public Access check
//!   judges one record per account: prod has all four flags on, the backup account never
//!   configured it.
//! - Edges and identity: the patient portal's CloudFront distribution, the partner API's
//!   custom domain and the HL7 gateway's Classic Load Balancer speak TLS 1.2 only; the
//!   marketing distribution, the reporting export's domain and the `legacy-billing` Classic
//!   Load Balancer still allow plain HTTP or TLS 1.0. The on-call IAM user has MFA and a
//!   fresh key; `legacy-etl` keeps a 2019 key nobody used for months; `dr-admin` has no MFA.
//!   GuardDuty and AWS Config run in us-east-1 only; only `ehr-audit-trail` logs S3 object
//!   access, for `healthtensor-phi-uploads`.
//!
//! - The data stores (ElastiCache, Redshift, OpenSearch, DocumentDB, Neptune, SQS, SNS,
//!   Kinesis, Secrets Manager) follow the same split, one file each: the `ehr-*` store is
//!   encrypted with `ehr-data-key`, private and authenticated; its `legacy-*` counterpart,
//!   left over from the reporting stack, is none of these.
//!
//! Resource ids are ARNs as the APIs return them (snapshot ARNs carry no account; the two
//! account/region settings that have no ARN get a stable ARN-shaped id).
//!
//! One file per service, named like the service's directory in `checks/src/aws/`; this
//! module holds the accounts, regions and ids that resources of several services share.

use chrono::{DateTime, Utc};

use super::AWS_ACCOUNT as PROD;
use crate::model::{Identity, Inventory, Provider, ResourceKind as K, ResourceRef, Scope};

mod acm;
mod apigateway;
mod backup;
mod cloudfront;
mod cloudtrail;
mod config;
mod dynamodb;
mod ebs;
mod ec2;
mod efs;
mod elb;
mod elbv2;
mod guardduty;
mod iam;
mod kms;
mod logs;
mod rds;
mod s3;
mod vpc;
// Data stores (issue 17, first half).
mod docdb;
mod elasticache;
mod kinesis;
mod neptune;
mod opensearch;
mod redshift;
mod secretsmanager;
mod sns;
mod sqs;

const BACKUP: &str = "444455556666";
const E1: &str = "us-east-1";
const W2: &str = "us-west-2";

// Ids shared between resources (an instance's subnet, a database's security group, ...).
const PROD_VPC: &str = "vpc-0a1b2c3d4e5f60718";
const DR_VPC: &str = "vpc-0f9e8d7c6b5a40392";
const PUBLIC_A: &str = "subnet-0a10b20c30d40e50f";
const PUBLIC_B: &str = "subnet-0b10c20d30e40f50a";
const PRIVATE_A: &str = "subnet-0c10d20e30f40a50b";
const PRIVATE_B: &str = "subnet-0d10e20f30a40b50c";
const BASTION_SG: &str = "sg-0b1a2f3e4d5c6b7a8";
const ALB_SG: &str = "sg-0a1b2c3d4e5f6a7b8";
const APP_SG: &str = "sg-0e1a2b3c4d5e6f708";
const DB_SG: &str = "sg-0e1d2b3c4a5f60718";
const LEGACY_SG: &str = "sg-0f1e2d3c4b5a69788";
const BASTION: &str = "i-0b45c71f0e2d3a4b5";
const EHR_APP: &str = "i-0a11b22c33d44e55f";
const LEGACY_WORKER: &str = "i-0c77d88e99f00a11b";
const EHR_DATA_VOL: &str = "vol-0c4d5e6f7a8b9c0d1";
const EHR_DOCUMENTS_FS: &str = "fs-0e1d2c3b4a5f60718";
const LEGACY_VOL: &str = "vol-09f8e7d6c5b4a3921";
const EHR_KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/2f7c1e9a-5b3d-4c8e-9a61-0d4b7e3f2a10";
const LEGACY_KEY: &str =
    "arn:aws:kms:us-east-1:111122223333:key/8d4a6b2c-1e9f-4a7d-b3c5-6e0f1a2b3c4d";
const TRAIL_KEY: &str =
    "arn:aws:kms:us-east-1:111122223333:key/c3b2a1f0-9e8d-4c7b-a6f5-e4d3c2b1a090";
const BACKUP_TRAIL_KEY: &str =
    "arn:aws:kms:us-west-2:444455556666:key/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
/// The SaaS customers of issue 14's segmentation: the EHR platform's and the one whose
/// reports still run on the legacy stack.
const EHR_CUSTOMER: &str = "northwind-clinics";
const LEGACY_CUSTOMER: &str = "brightside-health";
const DR_BASTION_SG: &str = "sg-0d1c2b3a4f5e60718";
const TRAIL_BUCKET: &str = "healthtensor-cloudtrail-logs";
const LOG_BUCKET: &str = "healthtensor-access-logs";

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    inv.scopes.push(Scope {
        provider: Provider::Aws,
        account: BACKUP.into(),
        name: Some("healthtensor-backup".into()),
        regions: vec![W2.into()],
        identity: Some(Identity {
            principal: format!("arn:aws:sts::{BACKUP}:assumed-role/phiscan-audit/demo"),
            tenant: None,
        }),
    });
    ebs::add(inv, now);
    vpc::add(inv);
    ec2::add(inv);
    s3::add(inv);
    rds::add(inv, now);
    elbv2::add(inv);
    kms::add(inv);
    cloudtrail::add(inv);
    backup::add(inv, now);
    efs::add(inv);
    dynamodb::add(inv, now);
    iam::add(inv);
    iam::roles(inv);
    iam::users(inv, now);
    logs::add(inv);
    acm::add(inv, now);
    // Edges, identity, detection (issue 17).
    cloudfront::add(inv);
    apigateway::add(inv);
    elb::add(inv);
    guardduty::add(inv);
    config::add(inv);
    // After rds: DocumentDB and Neptune clusters join the RDS clusters and groups.
    docdb::add(inv);
    neptune::add(inv);
    elasticache::add(inv);
    redshift::add(inv);
    opensearch::add(inv);
    sqs::add(inv);
    sns::add(inv);
    kinesis::add(inv);
    secretsmanager::add(inv, now);
}

fn arn_ref(kind: K, account: &str, region: &str, arn: String, name: &str) -> ResourceRef {
    ResourceRef::new(kind, account, region, arn, name)
}

/// An EC2-family resource of the production account: `arn:aws:ec2:<region>:<acct>:<type>/<id>`.
fn ec2_ref(kind: K, region: &str, collection: &str, id: &str, name: &str) -> ResourceRef {
    let arn = format!("arn:aws:ec2:{region}:{PROD}:{collection}/{id}");
    arn_ref(kind, PROD, region, arn, name)
}

fn protected(r: ResourceRef) -> ResourceRef {
    r.with_tag("data-classification", "protected")
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}
