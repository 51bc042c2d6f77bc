//! IAM: customer-managed and inline policies, root users and password policies. The
//! production account `111122223333` is the cleaned-up half, the backup account
//! `444455556666` and the legacy reporting stack are not: prod's `ehr-app-access` grants only
//! what the EHR app needs; `legacy-ops-admin`, a managed policy left from the migration, and
//! the `legacy-reporting` role's inline `break-glass` policy grant `*:*`. Prod's root user has
//! MFA and no access keys and its password policy follows the defaults; the backup account's
//! root still has the access key someone made in 2019 and no MFA, and no password policy was
//! ever set.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{BACKUP, EHR_KEY, PROD};
use crate::config::{PARTNER_AWS_ACCOUNT, STRANGER_AWS_ACCOUNT};
use crate::model::aws::{
    IamAccessKey, IamPasswordPolicy, IamPolicy, IamRole, IamRootAccount, IamUser, PasswordPolicy,
};
use crate::model::{Inventory, ResourceKind as K, ResourceRef};

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

pub(super) fn add(inv: &mut Inventory) {
    let least = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
         "Resource": "arn:aws:s3:::healthtensor-phi-uploads/*"},
        {"Effect": "Allow", "Action": "kms:Decrypt",
         "Resource": EHR_KEY}]});
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

/// IAM users of the production account: `ehr-oncall` is the cleaned-up half (console with
/// MFA, a key rotated last month and used daily); `legacy-etl` is the reporting stack's
/// API user whose key was made in 2019 and last used half a year ago; `dr-admin` signs in
/// to the console with a password alone.
pub(super) fn users(inv: &mut Inventory, now: DateTime<Utc>) {
    let days = |d: i64| Some(now - Duration::days(d));
    let user = |name: &str| IamUser {
        resource: global(
            K::AwsIamUser,
            PROD,
            format!("arn:aws:iam::{PROD}:user/{name}"),
            name,
        ),
        create_date: days(700),
        console_password: Some(false),
        password_created: None,
        password_last_used: None,
        mfa_devices: Some(vec![]),
        access_keys: Some(vec![]),
    };
    let key = |id: &str, age: i64, used: i64| IamAccessKey {
        access_key_id: id.into(),
        status: "Active".into(),
        create_date: days(age),
        last_used: days(used),
    };
    let mut oncall = user("ehr-oncall");
    oncall.console_password = Some(true);
    oncall.password_created = days(300);
    oncall.password_last_used = days(2);
    oncall.mfa_devices = Some(vec![format!("arn:aws:iam::{PROD}:mfa/ehr-oncall")]);
    oncall.access_keys = Some(vec![key("AKIADEMOEHRONCALL001", 25, 0)]);
    let mut etl = user("legacy-etl");
    etl.access_keys = Some(vec![key("AKIADEMOLEGACYETL001", 2400, 180)]);
    let mut dr = user("dr-admin");
    dr.console_password = Some(true);
    dr.password_created = days(400);
    dr.password_last_used = days(9);
    inv.aws_iam_users = vec![oncall, etl, dr];
}

/// Roles and who may assume them (issue 14): the EHR app servers' role trusts EC2 only; the
/// backup partner reads through a role that demands its external id; an old support role
/// still trusts a vendor account that is on no list, and `acme-legacy-admin` trusts the
/// partner without an external id and with administrator rights it was never listed for.
pub(super) fn roles(inv: &mut Inventory) {
    let role = |name: &str, principal: serde_json::Value, external_id: bool, managed: &[&str]| {
        let mut st = json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
        if external_id {
            st["Condition"] = json!({"StringEquals": {"sts:ExternalId": "acme-backup-7f3e0c52"}});
        }
        IamRole {
            resource: global(
                K::AwsIamRole,
                PROD,
                format!("arn:aws:iam::{PROD}:role/{name}"),
                name,
            ),
            role_name: name.into(),
            trust_policy: Some(json!({"Version": "2012-10-17", "Statement": [st]})),
            aws_managed_policies: managed.iter().map(|m| m.to_string()).collect(),
            permission_documents: vec![],
            unresolved_policies: vec![],
        }
    };
    let partner = json!({"AWS": format!("arn:aws:iam::{PARTNER_AWS_ACCOUNT}:root")});
    inv.aws_iam_roles = vec![
        role(
            "ehr-app-instance",
            json!({"Service": "ec2.amazonaws.com"}),
            false,
            &["AmazonSSMManagedInstanceCore"],
        ),
        role(
            "acme-backup-reader",
            partner.clone(),
            true,
            &["ReadOnlyAccess"],
        ),
        role(
            "acme-legacy-admin",
            partner,
            false,
            &["AdministratorAccess"],
        ),
        role(
            "vendor-support",
            json!({"AWS": format!("arn:aws:iam::{STRANGER_AWS_ACCOUNT}:root")}),
            true,
            &["ReadOnlyAccess"],
        ),
    ];
}
