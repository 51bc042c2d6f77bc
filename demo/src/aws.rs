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
//!
//! Resource ids are ARNs as the APIs return them (snapshot ARNs carry no account; the two
//! account/region settings that have no ARN get a stable ARN-shaped id).

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::AWS_ACCOUNT as PROD;
use crate::model::aws::{
    CloudTrail, EbsEncryptionDefault, EbsSnapshot, EbsVolume, Ec2Instance, Elbv2Listener, FlowLog,
    KmsKey, ListenerAction, PublicAccessBlock, RdsInstance, S3AccountPublicAccessBlock, S3Bucket,
    S3DefaultEncryption, SecurityGroup, SgRule, Subnet, Vpc,
};
use crate::model::{Identity, Inventory, Provider, ResourceKind as K, ResourceRef, Scope};

// Data protection and backup (RDS clusters and snapshots, AWS Backup, EFS, DynamoDB).
mod data;

const BACKUP: &str = "444455556666";
const E1: &str = "us-east-1";
const W2: &str = "us-west-2";
const OFFICE: &str = "203.0.113.0/24";
const WORLD: [&str; 2] = ["0.0.0.0/0", "::/0"];

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
const LEGACY_VOL: &str = "vol-09f8e7d6c5b4a3921";
const EHR_KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/2f7c1e9a-5b3d-4c8e-9a61-0d4b7e3f2a10";
const LEGACY_KEY: &str =
    "arn:aws:kms:us-east-1:111122223333:key/8d4a6b2c-1e9f-4a7d-b3c5-6e0f1a2b3c4d";
const TRAIL_KEY: &str =
    "arn:aws:kms:us-east-1:111122223333:key/c3b2a1f0-9e8d-4c7b-a6f5-e4d3c2b1a090";
const BACKUP_TRAIL_KEY: &str =
    "arn:aws:kms:us-west-2:444455556666:key/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
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
    ebs(inv, now);
    network(inv);
    compute(inv);
    s3(inv);
    rds(inv);
    load_balancers(inv);
    kms(inv);
    cloudtrail(inv);
    data::add(inv, now);
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

// --- EBS -----------------------------------------------------------------------------------

fn volume(id: &str, name: &str, key: Option<&str>, instance: &str) -> EbsVolume {
    EbsVolume {
        resource: protected(ec2_ref(K::AwsEbsVolume, E1, "volume", id, name)),
        encrypted: key.is_some(),
        kms_key_id: key.map(Into::into),
        state: "in-use".into(),
        size_gib: 200,
        attached_instances: strings(&[instance]),
    }
}

/// A private snapshot; snapshot ARNs carry no account id.
fn snapshot(region: &str, id: &str, name: &str, volume: &str, key: Option<&str>) -> EbsSnapshot {
    let arn = format!("arn:aws:ec2:{region}::snapshot/{id}");
    EbsSnapshot {
        resource: protected(arn_ref(K::AwsEbsSnapshot, PROD, region, arn, name)),
        encrypted: key.is_some(),
        kms_key_id: key.map(Into::into),
        volume_id: Some(volume.into()),
        start_time: DateTime::UNIX_EPOCH,
        state: "completed".into(),
        public: false,
        shared_with_accounts: vec![],
    }
}

fn encryption_default(account: &str, region: &str, key: Option<&str>) -> EbsEncryptionDefault {
    let arn = format!("arn:aws:ec2:{region}:{account}:ebs-encryption-by-default");
    let name = format!("EBS encryption by default ({account}/{region})");
    EbsEncryptionDefault {
        resource: arn_ref(K::AwsEbsEncryptionDefault, account, region, arn, &name),
        enabled: true,
        kms_key_id: key.map(Into::into),
    }
}

fn ebs(inv: &mut Inventory, now: DateTime<Utc>) {
    // Turned on in the primary region only; the DR region was forgotten.
    let mut dr = encryption_default(PROD, W2, None);
    dr.enabled = false;
    inv.aws_ebs_encryption_defaults = vec![
        encryption_default(PROD, E1, Some(EHR_KEY)),
        dr,
        encryption_default(BACKUP, W2, None),
    ];
    inv.aws_ebs_volumes = vec![
        volume(
            "vol-0e1d2c3b4a5968778",
            "ehr-app-1-root",
            Some(EHR_KEY),
            EHR_APP,
        ),
        volume(EHR_DATA_VOL, "ehr-data", Some(EHR_KEY), EHR_APP),
        volume(LEGACY_VOL, "legacy-reporting-data", None, LEGACY_WORKER),
    ];
    // The nightly snapshot, shared with the backup account that copies it.
    let mut daily = snapshot(
        E1,
        "snap-0a1b2c3d4e5f67890",
        "ehr-data-daily",
        EHR_DATA_VOL,
        Some(EHR_KEY),
    );
    daily.start_time = now - Duration::hours(6);
    daily.shared_with_accounts = strings(&[BACKUP]);
    let mut dr_copy = snapshot(
        W2,
        "snap-0123456789abcdef0",
        "ehr-data-dr-copy",
        EHR_DATA_VOL,
        Some(EHR_KEY),
    );
    dr_copy.start_time = now - Duration::hours(5);
    // Made public "for a day" so a reporting vendor could copy it, six weeks ago.
    let mut export = snapshot(
        E1,
        "snap-0fedcba9876543210",
        "legacy-reporting-vendor-export",
        LEGACY_VOL,
        None,
    );
    export.start_time = now - Duration::days(41);
    export.public = true;
    inv.aws_ebs_snapshots = vec![daily, dr_copy, export];
}

// --- Network -------------------------------------------------------------------------------

fn tcp(port: i32, cidrs: &[&str], groups: &[&str]) -> SgRule {
    let (v6, v4): (Vec<&str>, Vec<&str>) = cidrs.iter().partition(|c| c.contains(':'));
    SgRule {
        protocol: "tcp".into(),
        from_port: Some(port),
        to_port: Some(port),
        ipv4_ranges: strings(&v4),
        ipv6_ranges: strings(&v6),
        source_groups: strings(groups),
        prefix_lists: vec![],
    }
}

fn sg(id: &str, name: &str, ingress: Vec<SgRule>, attached_to: &[&str]) -> SecurityGroup {
    SecurityGroup {
        resource: ec2_ref(K::AwsEc2SecurityGroup, E1, "security-group", id, name),
        group_id: id.into(),
        vpc_id: Some(PROD_VPC.into()),
        ingress,
        attached_to: strings(attached_to),
    }
}

fn subnet(id: &str, name: &str, public: bool) -> Subnet {
    Subnet {
        resource: ec2_ref(K::AwsEc2Subnet, E1, "subnet", id, name),
        subnet_id: id.into(),
        vpc_id: PROD_VPC.into(),
        routes_to_internet_gateway: public,
        map_public_ip_on_launch: public,
    }
}

fn vpc(region: &str, id: &str, name: &str, flow_logs: Vec<FlowLog>) -> Vpc {
    Vpc {
        resource: ec2_ref(K::AwsVpc, region, "vpc", id, name),
        vpc_id: id.into(),
        is_default: false,
        flow_logs,
    }
}

fn network(inv: &mut Inventory) {
    let admins = [APP_SG, BASTION_SG];
    inv.aws_ec2_security_groups = vec![
        sg(
            BASTION_SG,
            "bastion-sg",
            vec![tcp(22, &[OFFICE], &[])],
            &[BASTION],
        ),
        sg(
            ALB_SG,
            "ehr-portal-alb-sg",
            vec![tcp(443, &WORLD, &[]), tcp(80, &WORLD, &[])],
            &["ehr-portal-alb"],
        ),
        sg(
            APP_SG,
            "ehr-app-sg",
            vec![tcp(8443, &[], &[ALB_SG]), tcp(22, &[], &[BASTION_SG])],
            &[EHR_APP],
        ),
        sg(
            DB_SG,
            "ehr-db-sg",
            vec![tcp(5432, &[], &admins)],
            &["ehr-db-prod"],
        ),
        sg(
            LEGACY_SG,
            "legacy-reporting-sg",
            vec![tcp(22, &WORLD[..1], &[]), tcp(3306, &WORLD[..1], &[])],
            &["legacy-reporting-db", LEGACY_WORKER],
        ),
    ];
    inv.aws_ec2_subnets = vec![
        subnet(PUBLIC_A, "prod-public-a", true),
        subnet(PUBLIC_B, "prod-public-b", true),
        subnet(PRIVATE_A, "prod-private-a", false),
        subnet(PRIVATE_B, "prod-private-b", false),
    ];
    let flow_log = FlowLog {
        flow_log_id: "fl-0a1b2c3d4e5f60718".into(),
        status: Some("ACTIVE".into()),
        traffic_type: Some("ALL".into()),
        destination: Some(format!("arn:aws:s3:::{LOG_BUCKET}/vpc-flow-logs/")),
    };
    inv.aws_vpcs = vec![
        vpc(E1, PROD_VPC, "ehr-prod-vpc", vec![flow_log]),
        vpc(W2, DR_VPC, "dr-vpc", vec![]),
    ];
}

// --- EC2 instances -------------------------------------------------------------------------

/// A running instance in the production VPC with IMDSv2 required and no public IP.
fn instance(id: &str, name: &str, subnet: &str, sg: &str) -> Ec2Instance {
    Ec2Instance {
        resource: ec2_ref(K::AwsEc2Instance, E1, "instance", id, name),
        state: "running".into(),
        imds_http_tokens: Some("required".into()),
        imds_http_endpoint: Some("enabled".into()),
        public_ip: None,
        subnet_id: Some(subnet.into()),
        vpc_id: Some(PROD_VPC.into()),
        security_groups: strings(&[sg]),
    }
}

fn compute(inv: &mut Inventory) {
    let mut ehr_app = instance(EHR_APP, "ehr-app-1", PRIVATE_A, APP_SG);
    ehr_app.resource = protected(ehr_app.resource);
    // Internet-facing by design: the policies' single entry point for administrators.
    let mut bastion = instance(BASTION, "bastion", PUBLIC_A, BASTION_SG);
    bastion.public_ip = Some("198.51.100.20".into());
    let mut worker = instance(
        LEGACY_WORKER,
        "legacy-reporting-worker",
        PUBLIC_B,
        LEGACY_SG,
    );
    worker.public_ip = Some("198.51.100.47".into());
    worker.imds_http_tokens = Some("optional".into());
    let mut old_etl = instance("i-0d99e00f11a22b33c", "old-etl-worker", PUBLIC_A, LEGACY_SG);
    old_etl.state = "terminated".into();
    old_etl.imds_http_tokens = Some("optional".into());
    inv.aws_ec2_instances = vec![bastion, ehr_app, worker, old_etl];
}

// --- S3 ------------------------------------------------------------------------------------

const ALL_BLOCKED: PublicAccessBlock = PublicAccessBlock {
    block_public_acls: true,
    ignore_public_acls: true,
    block_public_policy: true,
    restrict_public_buckets: true,
};

/// A bucket with nothing configured.
fn bucket(name: &str, class: &str) -> S3Bucket {
    let arn = format!("arn:aws:s3:::{name}");
    S3Bucket {
        resource: arn_ref(K::AwsS3Bucket, PROD, E1, arn, name)
            .with_tag("data-classification", class),
        default_encryption: None,
        policy: None,
        public_access_block: None,
        versioning: None,
        mfa_delete: None,
        logging_target_bucket: None,
    }
}

/// A bucket with everything the S3 checks ask for: encryption with `alg`/`key`, a policy that
/// denies plain HTTP (plus `grant`), all four public-access blocks, versioning, access logs.
fn locked_down(name: &str, class: &str, alg: &str, key: Option<&str>, grant: Value) -> S3Bucket {
    let deny_http = json!({
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [format!("arn:aws:s3:::{name}"), format!("arn:aws:s3:::{name}/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    });
    S3Bucket {
        default_encryption: Some(S3DefaultEncryption {
            sse_algorithm: alg.into(),
            kms_master_key_id: key.map(Into::into),
            bucket_key_enabled: Some(key.is_some()),
        }),
        policy: Some(json!({"Version": "2012-10-17", "Statement": [deny_http, grant]})),
        public_access_block: Some(ALL_BLOCKED),
        versioning: Some("Enabled".into()),
        mfa_delete: Some("Disabled".into()),
        logging_target_bucket: Some(LOG_BUCKET.into()),
        ..bucket(name, class)
    }
}

fn s3(inv: &mut Inventory) {
    let app_rw = json!({
        "Sid": "EhrAppReadWrite",
        "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{PROD}:role/ehr-app")},
        "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": "arn:aws:s3:::healthtensor-phi-uploads/*"
    });
    let trail_write = json!({
        "Sid": "CloudTrailWrite",
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": format!("arn:aws:s3:::{TRAIL_BUCKET}/AWSLogs/{PROD}/*"),
        "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}
    });
    let log_delivery = json!({
        "Sid": "S3ServerAccessLogs",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": format!("arn:aws:s3:::{LOG_BUCKET}/*"),
        "Condition": {"StringEquals": {"aws:SourceAccount": PROD}}
    });
    let mut access_logs = locked_down(LOG_BUCKET, "confidential", "AES256", None, log_delivery);
    // A log bucket that logged into itself would log its own deliveries forever.
    access_logs.logging_target_bucket = None;
    // Block Public Access switched off to publish the website's images; nothing else set.
    let mut marketing = bucket("healthtensor-marketing-assets", "public");
    marketing.policy = Some(json!({
        "Version": "2012-10-17",
        "Statement": {
            "Sid": "PublicRead",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::healthtensor-marketing-assets/*"
        }
    }));
    marketing.public_access_block = Some(PublicAccessBlock {
        block_public_acls: false,
        ignore_public_acls: false,
        block_public_policy: false,
        restrict_public_buckets: false,
    });
    marketing.versioning = Some("Suspended".into());
    inv.aws_s3_buckets = vec![
        locked_down(
            "healthtensor-phi-uploads",
            "protected",
            "aws:kms",
            Some(EHR_KEY),
            app_rw,
        ),
        locked_down(
            TRAIL_BUCKET,
            "confidential",
            "aws:kms",
            Some(TRAIL_KEY),
            trail_write,
        ),
        access_logs,
        marketing,
    ];
    let account_block = |account: &str, config| {
        let id = format!("arn:aws:s3::{account}:account-public-access-block");
        let name = format!("S3 account public access block ({account})");
        S3AccountPublicAccessBlock {
            resource: arn_ref(
                K::AwsS3AccountPublicAccessBlock,
                account,
                "global",
                id,
                &name,
            ),
            config,
        }
    };
    inv.aws_s3_account_public_access_blocks = vec![
        account_block(PROD, Some(ALL_BLOCKED)),
        account_block(BACKUP, None),
    ];
}

// --- RDS -----------------------------------------------------------------------------------

fn database(name: &str, engine: &str, port: i32, sg: &str, subnets: [&str; 2]) -> RdsInstance {
    let arn = format!("arn:aws:rds:{E1}:{PROD}:db:{name}");
    RdsInstance {
        resource: protected(arn_ref(K::AwsRdsInstance, PROD, E1, arn, name)),
        engine: engine.into(),
        storage_encrypted: true,
        kms_key_id: Some(EHR_KEY.into()),
        publicly_accessible: false,
        backup_retention_days: 14,
        vpc_security_groups: strings(&[sg]),
        subnet_ids: strings(&subnets),
        endpoint_port: Some(port),
        db_cluster_identifier: None,
        parameter_groups: vec![],
    }
}

fn rds(inv: &mut Inventory) {
    let ehr = database(
        "ehr-db-prod",
        "postgres",
        5432,
        DB_SG,
        [PRIVATE_A, PRIVATE_B],
    );
    // Created from an old Percona dump in public subnets "temporarily", never hardened.
    let mut legacy = database(
        "legacy-reporting-db",
        "mysql",
        3306,
        LEGACY_SG,
        [PUBLIC_A, PUBLIC_B],
    );
    legacy.storage_encrypted = false;
    legacy.kms_key_id = None;
    legacy.publicly_accessible = true;
    legacy.backup_retention_days = 0;
    inv.aws_rds_instances = vec![ehr, legacy];
}

// --- ELBv2 ---------------------------------------------------------------------------------

const MODERN_TLS: (&str, &[&str]) = (
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    &["TLSv1.2", "TLSv1.3"],
);
const OLD_TLS: (&str, &[&str]) = (
    "ELBSecurityPolicy-2016-08",
    &["TLSv1", "TLSv1.1", "TLSv1.2"],
);

/// One listener of the load balancer `lb` (`app/<name>/<id>` or `net/<name>/<id>`), forwarding
/// to a target group unless changed.
fn listener(
    lb: &str,
    id: &str,
    protocol: &str,
    port: i32,
    policy: Option<(&str, &[&str])>,
) -> Elbv2Listener {
    let prefix = format!("arn:aws:elasticloadbalancing:{E1}:{PROD}");
    let name = lb.split('/').nth(1).unwrap_or(lb);
    let arn = format!("{prefix}:listener/{lb}/{id}");
    Elbv2Listener {
        resource: arn_ref(
            K::AwsElbv2Listener,
            PROD,
            E1,
            arn,
            &format!("{name}:{port}"),
        ),
        load_balancer_arn: format!("{prefix}:loadbalancer/{lb}"),
        load_balancer_name: name.into(),
        scheme: "internet-facing".into(),
        protocol: protocol.into(),
        port,
        ssl_policy: policy.map(|(name, _)| name.into()),
        ssl_protocols: policy.map(|(_, protocols)| strings(protocols)),
        default_actions: vec![ListenerAction {
            action_type: "forward".into(),
            redirect_protocol: None,
        }],
    }
}

fn load_balancers(inv: &mut Inventory) {
    let portal = "app/ehr-portal-alb/50dc6c495c0c9188";
    let legacy = "app/legacy-reports-alb/7e1f3a9b2c4d6e80";
    let mut redirect = listener(portal, "a1c3e5f7b9d0e2f4", "HTTP", 80, None);
    redirect.default_actions = vec![ListenerAction {
        action_type: "redirect".into(),
        redirect_protocol: Some("HTTPS".into()),
    }];
    // HL7 v2 (MLLP) from partner labs: TCP pass-through, TLS is terminated by the app.
    let mut hl7 = listener(
        "net/hl7-feed-nlb/3b5d7f9a1c2e4f60",
        "6c5d4e3f2a1b0c9d",
        "TCP",
        2575,
        None,
    );
    hl7.scheme = "internal".into();
    inv.aws_elbv2_listeners = vec![
        listener(portal, "f2f7dc8efc522ab2", "HTTPS", 443, Some(MODERN_TLS)),
        redirect,
        listener(legacy, "0d2e4f6a8b1c3e5f", "HTTP", 8080, None),
        listener(legacy, "9a8b7c6d5e4f3a2b", "HTTPS", 443, Some(OLD_TLS)),
        hl7,
    ];
}

// --- KMS -----------------------------------------------------------------------------------

/// An enabled customer-managed symmetric key with rotation on; its policy gives the account
/// root full control, plus `grant`.
fn key(arn: &str, alias: &str, grant: Value) -> KmsKey {
    let root = json!({
        "Sid": "EnableIAMUserPermissions",
        "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{PROD}:root")},
        "Action": "kms:*",
        "Resource": "*"
    });
    KmsKey {
        resource: arn_ref(K::AwsKmsKey, PROD, E1, arn.to_string(), alias),
        key_id: arn.rsplit('/').next().unwrap_or(arn).into(),
        key_manager: "CUSTOMER".into(),
        key_spec: "SYMMETRIC_DEFAULT".into(),
        key_state: "Enabled".into(),
        origin: Some("AWS_KMS".into()),
        rotation_enabled: Some(true),
        policy: Some(json!({"Version": "2012-10-17", "Statement": [root, grant]})),
    }
}

fn kms(inv: &mut Inventory) {
    let ehr = key(
        EHR_KEY,
        "alias/ehr-data-key",
        json!({
            "Sid": "EhrAppUse",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{PROD}:role/ehr-app")},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*"
        }),
    );
    let trail = key(
        TRAIL_KEY,
        "alias/cloudtrail-logs",
        json!({
            "Sid": "CloudTrailEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {"StringLike": {
                "kms:EncryptionContext:aws:cloudtrail:arn": format!("arn:aws:cloudtrail:*:{PROD}:trail/*")
            }}
        }),
    );
    // "Temporarily" opened to the reporting vendor; never rotated.
    let mut legacy = key(
        LEGACY_KEY,
        "alias/legacy-reports-key",
        json!({
            "Sid": "VendorDecrypt",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "kms:Decrypt",
            "Resource": "*"
        }),
    );
    legacy.rotation_enabled = Some(false);
    let mut signing = key(
        "arn:aws:kms:us-east-1:111122223333:key/7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
        "alias/hl7-message-signing",
        json!({
            "Sid": "Hl7GatewaySign",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{PROD}:role/hl7-gateway")},
            "Action": ["kms:Sign", "kms:Verify"],
            "Resource": "*"
        }),
    );
    signing.key_spec = "RSA_2048".into();
    signing.rotation_enabled = None;
    // The AWS-managed EBS key: a wildcard principal pinned by conditions, as AWS writes it.
    let mut aws_ebs = key(
        "arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
        "alias/aws/ebs",
        Value::Null,
    );
    aws_ebs.key_manager = "AWS".into();
    aws_ebs.policy = Some(json!({
        "Version": "2012-10-17",
        "Id": "auto-ebs-2",
        "Statement": [{
            "Sid": "Allow access through EBS for all principals in the account that are authorized to use EBS",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                       "kms:CreateGrant", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {"StringEquals": {
                "kms:CallerAccount": PROD,
                "kms:ViaService": "ec2.us-east-1.amazonaws.com"
            }}
        }]
    }));
    inv.aws_kms_keys = vec![ehr, trail, legacy, signing, aws_ebs];
}

// --- CloudTrail ----------------------------------------------------------------------------

/// A logging multi-region trail with log validation and KMS, homed in `region`.
fn trail(account: &str, region: &str, name: &str, key: &str, bucket: &str) -> CloudTrail {
    let arn = format!("arn:aws:cloudtrail:{region}:{account}:trail/{name}");
    CloudTrail {
        resource: arn_ref(K::AwsCloudTrail, account, region, arn, name),
        home_region: region.into(),
        is_multi_region: true,
        is_organization_trail: false,
        is_logging: true,
        log_file_validation: true,
        kms_key_id: Some(key.into()),
        s3_bucket: Some(bucket.into()),
        cloudwatch_log_group_arn: None,
    }
}

fn cloudtrail(inv: &mut Inventory) {
    // Stopped during an incident and never restarted: it covers no region today.
    let mut main = trail(PROD, E1, "healthtensor-main-trail", TRAIL_KEY, TRAIL_BUCKET);
    main.is_logging = false;
    // The EHR team's own trail: logging, but single-region, unvalidated, S3-managed keys.
    let mut ehr = trail(PROD, E1, "ehr-audit-trail", TRAIL_KEY, TRAIL_BUCKET);
    ehr.is_multi_region = false;
    ehr.log_file_validation = false;
    ehr.kms_key_id = None;
    let backup = trail(
        BACKUP,
        W2,
        "backup-account-trail",
        BACKUP_TRAIL_KEY,
        "healthtensor-backup-trail",
    );
    inv.aws_cloudtrails = vec![main, ehr, backup];
}
