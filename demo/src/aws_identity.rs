//! HealthTensor on AWS, continued: identity, logs, certificates and network ACLs (issue 4,
//! part B). The same story as `aws.rs`: the production account `111122223333` is the
//! cleaned-up half, the backup account `444455556666` and the legacy reporting stack are not.
//!
//! - IAM: prod's `ehr-app-access` grants only what the EHR app needs; `legacy-ops-admin`, a
//!   managed policy left from the migration, and the `legacy-reporting` role's inline
//!   `break-glass` policy grant `*:*`. Prod's root user has MFA and no access keys and its
//!   password policy follows the defaults; the backup account's root still has the access
//!   key someone made in 2019 and no MFA, and no password policy was ever set.
//! - CloudWatch Logs: `/ehr/app` is KMS-encrypted and kept a year; `/legacy/reports` has
//!   neither a key nor more than two weeks of retention.
//! - ACM: `portal.healthtensor.example` (Amazon-issued, on the portal ALB) is valid for
//!   months; the imported `reports.healthtensor.example` on the legacy ALB expires in 12
//!   days.
//! - Network ACLs: the prod VPC's ACL denies 22 and 3389 from the internet ahead of its
//!   allow-all; the DR VPC still has the default ACL AWS created, which admits everything.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::AWS_ACCOUNT as PROD;
use crate::model::aws::{
    AcmCertificate, IamPasswordPolicy, IamPolicy, IamRootAccount, LogGroup, NaclEntry, NetworkAcl,
    PasswordPolicy,
};
use crate::model::{Inventory, ResourceKind as K, ResourceRef};

const BACKUP: &str = "444455556666";
const E1: &str = "us-east-1";
const W2: &str = "us-west-2";

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    iam(inv);
    logs(inv);
    certificates(inv, now);
    network_acls(inv);
}

fn global(kind: K, account: &str, arn: String, name: &str) -> ResourceRef {
    ResourceRef::new(kind, account, "global", arn, name)
}

fn managed(name: &str, document: serde_json::Value, attached: i32) -> IamPolicy {
    IamPolicy {
        resource: global(
            K::AwsIamPolicy,
            PROD,
            format!("arn:aws:iam::{PROD}:policy/{name}"),
            name,
        ),
        policy_type: "managed".into(),
        owner_arn: None,
        attachment_count: Some(attached),
        default_version_id: Some("v3".into()),
        document,
    }
}

fn iam(inv: &mut Inventory) {
    let least = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
         "Resource": "arn:aws:s3:::healthtensor-phi-uploads/*"},
        {"Effect": "Allow", "Action": "kms:Decrypt",
         "Resource": "arn:aws:kms:us-east-1:111122223333:key/2f7c1e9a-5b3d-4c8e-9a61-0d4b7e3f2a10"}]});
    let admin = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"}]});
    let role = format!("arn:aws:iam::{PROD}:role/legacy-reporting");
    let inline = IamPolicy {
        resource: global(
            K::AwsIamPolicy,
            PROD,
            format!("{role}/inline-policy/break-glass"),
            "break-glass",
        ),
        policy_type: "role-inline".into(),
        owner_arn: Some(role),
        attachment_count: None,
        default_version_id: None,
        document: admin.clone(),
    };
    inv.aws_iam_policies = vec![
        managed("ehr-app-access", least, 1),
        managed("legacy-ops-admin", admin, 0),
        inline,
    ];
    inv.aws_iam_root_accounts = vec![
        IamRootAccount {
            resource: global(
                K::AwsIamRootAccount,
                PROD,
                format!("arn:aws:iam::{PROD}:root"),
                "root",
            ),
            access_keys_present: Some(0),
            mfa_enabled: Some(1),
        },
        IamRootAccount {
            resource: global(
                K::AwsIamRootAccount,
                BACKUP,
                format!("arn:aws:iam::{BACKUP}:root"),
                "root",
            ),
            access_keys_present: Some(1),
            mfa_enabled: Some(0),
        },
    ];
    let policy = |account: &str, policy| IamPasswordPolicy {
        resource: global(
            K::AwsIamPasswordPolicy,
            account,
            format!("arn:aws:iam::{account}:account-password-policy"),
            "account password policy",
        ),
        policy,
    };
    inv.aws_iam_password_policies = vec![
        policy(
            PROD,
            Some(PasswordPolicy {
                minimum_password_length: Some(16),
                require_symbols: true,
                require_numbers: true,
                require_uppercase: true,
                require_lowercase: true,
                max_password_age: None,
                password_reuse_prevention: Some(24),
            }),
        ),
        policy(BACKUP, None),
    ];
}

fn logs(inv: &mut Inventory) {
    let group = |name: &str, key: Option<&str>, days: Option<i32>| LogGroup {
        resource: ResourceRef::new(
            K::AwsLogGroup,
            PROD,
            E1,
            format!("arn:aws:logs:{E1}:{PROD}:log-group:{name}"),
            name,
        ),
        kms_key_id: key.map(str::to_string),
        retention_in_days: days,
    };
    inv.aws_log_groups = vec![
        group(
            "/ehr/app",
            Some("arn:aws:kms:us-east-1:111122223333:key/2f7c1e9a-5b3d-4c8e-9a61-0d4b7e3f2a10"),
            Some(365),
        ),
        group("/legacy/reports", None, Some(14)),
    ];
}

fn certificates(inv: &mut Inventory, now: DateTime<Utc>) {
    let cert = |id: &str, domain: &str, kind: &str, days: i64, lb: &str| AcmCertificate {
        resource: ResourceRef::new(
            K::AwsAcmCertificate,
            PROD,
            E1,
            format!("arn:aws:acm:{E1}:{PROD}:certificate/{id}"),
            domain,
        ),
        domain_name: domain.into(),
        status: "ISSUED".into(),
        cert_type: Some(kind.into()),
        not_after: Some(now + Duration::days(days)),
        in_use_by: vec![format!(
            "arn:aws:elasticloadbalancing:{E1}:{PROD}:loadbalancer/app/{lb}"
        )],
        renewal_eligibility: Some(
            if kind == "AMAZON_ISSUED" {
                "ELIGIBLE"
            } else {
                "INELIGIBLE"
            }
            .into(),
        ),
    };
    inv.aws_acm_certificates = vec![
        cert(
            "4b1e7c2a-9d3f-4e8a-b6c5-0a1d2e3f4a5b",
            "portal.healthtensor.example",
            "AMAZON_ISSUED",
            200,
            "ehr-portal-alb/50dc6c495c0c9188",
        ),
        cert(
            "9e8d7c6b-5a4f-4e3d-a2c1-b0a9f8e7d6c5",
            "reports.healthtensor.example",
            "IMPORTED",
            12,
            "legacy-reports-alb/6d0ecf831eec9f09",
        ),
    ];
}

fn network_acls(inv: &mut Inventory) {
    let e = |n: i32, proto: &str, action: &str, ports: Option<i32>| NaclEntry {
        rule_number: n,
        protocol: proto.into(),
        rule_action: action.into(),
        egress: false,
        cidr_block: Some("0.0.0.0/0".into()),
        ipv6_cidr_block: None,
        port_from: ports,
        port_to: ports,
    };
    let acl =
        |region: &str, id: &str, vpc: &str, default: bool, entries: Vec<NaclEntry>| NetworkAcl {
            resource: ResourceRef::new(
                K::AwsEc2NetworkAcl,
                PROD,
                region,
                format!("arn:aws:ec2:{region}:{PROD}:network-acl/{id}"),
                id,
            ),
            nacl_id: id.into(),
            vpc_id: Some(vpc.into()),
            is_default: default,
            entries,
            subnet_ids: vec![],
        };
    inv.aws_ec2_network_acls = vec![
        acl(
            E1,
            "acl-0a1b2c3d4e5f60718",
            "vpc-0a1b2c3d4e5f60718",
            false,
            vec![
                e(10, "6", "deny", Some(22)),
                e(20, "6", "deny", Some(3389)),
                e(30, "17", "deny", Some(3389)),
                e(40, "17", "deny", Some(22)),
                e(100, "-1", "allow", None),
                e(32767, "-1", "deny", None),
            ],
        ),
        acl(
            W2,
            "acl-0f9e8d7c6b5a40392",
            "vpc-0f9e8d7c6b5a40392",
            true,
            vec![e(100, "-1", "allow", None), e(32767, "-1", "deny", None)],
        ),
    ];
}
