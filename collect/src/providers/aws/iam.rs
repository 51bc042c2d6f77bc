//! IAM, a global service: one collection per account, called in the partition's IAM region
//! (us-east-1 for `aws`). Resources get region `global`.
//!
//! - Customer-managed policies: ListPolicies (Scope=Local), then GetPolicyVersion of each
//!   policy's default version (the version that is in force). A policy whose version
//!   cannot be read is an error for that policy only, without a record (a record without
//!   its document would read as "grants nothing").
//! - Inline policies of users, roles and groups: GetAccountAuthorizationDetails filtered to
//!   User, Role and Group (one paginated call returns every inline document, where
//!   ListUserPolicies + GetUserPolicy would cost two calls per principal).
//! - The root user: GetAccountSummary (`AccountAccessKeysPresent`, `AccountMFAEnabled`).
//! - The password policy: GetAccountPasswordPolicy; NoSuchEntity means the account has no
//!   policy (a finding, not a collection error).
//!
//! Policy documents are URL-encoded (RFC 3986) in IAM's answers and the SDK hands them over
//! as received. moto encodes inline documents but returns GetPolicyVersion documents as
//! plain JSON, so [`decode_document`] accepts both.

use aws_sdk_iam::types::{EntityType, PolicyScopeType, SummaryKeyType};

use super::{code, each, reason, Aws};
use crate::model::aws::{IamPasswordPolicy, IamPolicy, IamRootAccount, PasswordPolicy};
use crate::model::{CollectionError, ResourceKind, Tags};

const VERSION: &str = "iam:GetPolicyVersion";

const GLOBAL: &str = "global";

/// The region IAM answers in for a partition.
pub(crate) fn iam_region(partition: &str) -> &'static str {
    match partition {
        "aws-us-gov" => "us-gov-west-1",
        "aws-cn" => "cn-north-1",
        _ => "us-east-1",
    }
}

pub use crate::wire::aws::decode_document;

pub(crate) async fn policies(aws: &Aws) {
    let kind = ResourceKind::AwsIamPolicy;
    let client = aws.iam();
    let listed: Result<Vec<_>, _> = {
        let _permit = aws.permit("IAM", GLOBAL).await;
        client
            .list_policies()
            .scope(PolicyScopeType::Local)
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let listed: Vec<aws_sdk_iam::types::Policy> = match listed {
        Ok(p) => p
            .into_iter()
            .flat_map(|o| o.policies.unwrap_or_default())
            .collect(),
        Err(e) => return aws.error(None, kind, reason(&e, "iam:ListPolicies")),
    };
    // The version in force is the default one; a listing without it (or without an ARN)
    // cannot be judged, and guessing `v1` could judge a superseded document.
    let mut judged = Vec::new();
    for p in listed {
        match (p.arn(), p.default_version_id()) {
            (Some(_), Some(_)) => judged.push(p),
            _ => aws.error(
                None,
                kind,
                format!(
                    "{}: the answer has no Arn or DefaultVersionId (iam:ListPolicies)",
                    p.policy_name().unwrap_or("a policy")
                ),
            ),
        }
    }
    let c = client.clone();
    let versions = each(aws.semaphore("IAM", GLOBAL), judged, move |p| {
        let c = c.clone();
        async move {
            let arn = p.arn().unwrap_or_default().to_string();
            let version = p.default_version_id().unwrap_or_default().to_string();
            let r = c
                .get_policy_version()
                .policy_arn(&arn)
                .version_id(&version)
                .send()
                .await
                .map_err(|e| reason(&e, VERSION));
            (p, version, r)
        }
    })
    .await;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (p, version, r) in versions {
        let Some(arn) = p.arn() else { continue };
        let name = p.policy_name().unwrap_or(arn);
        let resource = aws.resource(kind, GLOBAL, arn.to_string(), name, Tags::new());
        let doc = match r.map(|o| o.policy_version.and_then(|v| v.document)) {
            Ok(Some(d)) => decode_document(&d),
            Ok(None) => {
                let why = format!("the answer has no Document ({VERSION})");
                errors.push(CollectionError::of_resource(&resource, VERSION, why));
                continue;
            }
            Err(why) => {
                errors.push(CollectionError::of_resource(&resource, VERSION, why));
                continue;
            }
        };
        out.push(IamPolicy {
            resource,
            policy_type: "managed".into(),
            owner_arn: None,
            attachment_count: p.attachment_count(),
            default_version_id: Some(version),
            document: doc,
        });
    }

    // Inline policies. Their id: the owner's ARN + `/inline-policy/<name>` (inline policies
    // have no ARN of their own).
    let details: Result<Vec<_>, _> = {
        let _permit = aws.permit("IAM", GLOBAL).await;
        client
            .get_account_authorization_details()
            .filter(EntityType::User)
            .filter(EntityType::Role)
            .filter(EntityType::Group)
            .into_paginator()
            .send()
            .collect()
            .await
    };
    match details {
        Ok(pages) => {
            let mut inline =
                |ptype: &str, owner: Option<&str>, list: &[aws_sdk_iam::types::PolicyDetail]| {
                    let Some(owner) = owner else { return };
                    for d in list {
                        let Some(pname) = d.policy_name() else {
                            continue;
                        };
                        out.push(IamPolicy {
                            resource: aws.resource(
                                kind,
                                GLOBAL,
                                format!("{owner}/inline-policy/{pname}"),
                                pname,
                                Tags::new(),
                            ),
                            policy_type: ptype.into(),
                            owner_arn: Some(owner.to_string()),
                            attachment_count: None,
                            default_version_id: None,
                            document: decode_document(d.policy_document().unwrap_or_default()),
                        });
                    }
                };
            for page in &pages {
                for u in page.user_detail_list() {
                    inline("user-inline", u.arn(), u.user_policy_list());
                }
                for r in page.role_detail_list() {
                    inline("role-inline", r.arn(), r.role_policy_list());
                }
                for g in page.group_detail_list() {
                    inline("group-inline", g.arn(), g.group_policy_list());
                }
            }
        }
        Err(e) => {
            // The managed policies were read; without the inline ones the kind is incomplete.
            aws.error(
                None,
                kind,
                format!(
                    "inline policies unknown: {}",
                    reason(&e, "iam:GetAccountAuthorizationDetails")
                ),
            );
        }
    }
    aws.add(|inv| {
        inv.aws_iam_policies.extend(out);
        inv.errors.extend(errors);
    });
}

pub(crate) async fn root_account(aws: &Aws) {
    let kind = ResourceKind::AwsIamRootAccount;
    let r = {
        let _permit = aws.permit("IAM", GLOBAL).await;
        aws.iam().get_account_summary().send().await
    };
    let map = match r {
        Ok(o) => o.summary_map.unwrap_or_default(),
        Err(e) => return aws.error(None, kind, reason(&e, "iam:GetAccountSummary")),
    };
    let arn = aws.arn("iam", "", aws.account(), "root");
    let root = IamRootAccount {
        resource: aws.resource(kind, GLOBAL, arn, "root", Tags::new()),
        access_keys_present: map.get(&SummaryKeyType::AccountAccessKeysPresent).copied(),
        mfa_enabled: map.get(&SummaryKeyType::AccountMfaEnabled).copied(),
    };
    aws.add(|inv| inv.aws_iam_root_accounts.push(root));
}

pub(crate) async fn password_policy(aws: &Aws) {
    let kind = ResourceKind::AwsIamPasswordPolicy;
    let r = {
        let _permit = aws.permit("IAM", GLOBAL).await;
        aws.iam().get_account_password_policy().send().await
    };
    let policy = match r {
        Ok(o) => match o.password_policy {
            Some(p) => Some(PasswordPolicy {
                minimum_password_length: p.minimum_password_length(),
                require_symbols: p.require_symbols(),
                require_numbers: p.require_numbers(),
                require_uppercase: p.require_uppercase_characters(),
                require_lowercase: p.require_lowercase_characters(),
                // 0 and absent both mean "never expires" / "no reuse limit".
                max_password_age: p.max_password_age().filter(|d| *d > 0),
                password_reuse_prevention: p.password_reuse_prevention().filter(|n| *n > 0),
            }),
            None => {
                return aws.error(
                    None,
                    kind,
                    "the answer has no PasswordPolicy (iam:GetAccountPasswordPolicy)".into(),
                )
            }
        },
        // The documented answer of an account without a password policy.
        Err(e) if code(&e) == Some("NoSuchEntity") => None,
        Err(e) => return aws.error(None, kind, reason(&e, "iam:GetAccountPasswordPolicy")),
    };
    let id = aws.arn("iam", "", aws.account(), "account-password-policy");
    let rec = IamPasswordPolicy {
        resource: aws.resource(kind, GLOBAL, id, "account password policy", Tags::new()),
        policy,
    };
    aws.add(|inv| inv.aws_iam_password_policies.push(rec));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_plain_or_url_encoded() {
        let plain = r#"{"Statement": {"Effect": "Allow", "Action": "*"}}"#;
        let encoded = "%7B%22Statement%22%3A%20%7B%22Effect%22%3A%20%22Allow%22%2C%20%22Action%22%3A%20%22%2A%22%7D%7D";
        assert_eq!(decode_document(plain), decode_document(encoded));
        assert_eq!(decode_document(encoded)["Statement"]["Action"], "*");
        assert_eq!(
            decode_document("%7Bnot json%"),
            serde_json::Value::String("{not json%".into())
        );
    }
}
