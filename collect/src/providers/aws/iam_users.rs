//! IAM users and their credentials, once per account in the partition's IAM region
//! (resources get region `global`): ListUsers, then per user GetLoginProfile (NoSuchEntity:
//! no console password), ListMFADevices and ListAccessKeys, and GetAccessKeyLastUsed per
//! key.
//!
//! Why not the credential report: GenerateCredentialReport is a write (it starts a job),
//! and phiscan only reads. The per-user calls cost 3 + keys calls per user, each under the
//! IAM semaphore. A user whose detail cannot be read is an error for that user only: the
//! record stays with the unread field `None`, and the engine reports ERROR for it.

use aws_sdk_iam::types::User;

use super::{code, each, reason, to_chrono, Aws};
use crate::model::aws::{IamAccessKey, IamUser};
use crate::model::{CollectionError, ResourceKind, Tags};

const GLOBAL: &str = "global";

type Time = chrono::DateTime<chrono::Utc>;

/// What the per-user calls read; `Err((operation, reason))` for a failed one. `password`:
/// `None` without a console password, else the login profile's creation date.
struct Detail {
    password: Result<Option<Option<Time>>, (&'static str, String)>,
    mfa: Result<Vec<String>, (&'static str, String)>,
    keys: Result<Vec<IamAccessKey>, (&'static str, String)>,
}

async fn detail(client: aws_sdk_iam::Client, name: String) -> Detail {
    const PROFILE: &str = "iam:GetLoginProfile";
    const MFA: &str = "iam:ListMFADevices";
    const KEYS: &str = "iam:ListAccessKeys";
    const LAST_USED: &str = "iam:GetAccessKeyLastUsed";
    let password = match client.get_login_profile().user_name(&name).send().await {
        Ok(o) => Ok(Some(
            o.login_profile().and_then(|p| to_chrono(p.create_date())),
        )),
        // The documented answer for a user without a console password.
        Err(e) if code(&e) == Some("NoSuchEntity") => Ok(None),
        Err(e) => Err((PROFILE, reason(&e, PROFILE))),
    };
    let mfa: Result<Vec<_>, _> = client
        .list_mfa_devices()
        .user_name(&name)
        .into_paginator()
        .send()
        .collect()
        .await;
    let mfa = mfa
        .map(|pages| {
            pages
                .iter()
                .flat_map(|p| p.mfa_devices())
                .map(|d| d.serial_number().to_string())
                .collect()
        })
        .map_err(|e| (MFA, reason(&e, MFA)));
    let listed: Result<Vec<_>, _> = client
        .list_access_keys()
        .user_name(&name)
        .into_paginator()
        .send()
        .collect()
        .await;
    let keys = match listed {
        Err(e) => Err((KEYS, reason(&e, KEYS))),
        Ok(pages) => {
            let mut keys = Vec::new();
            let mut failed = None;
            for k in pages.iter().flat_map(|p| p.access_key_metadata()) {
                let Some(id) = k.access_key_id() else {
                    continue;
                };
                let last_used = match client
                    .get_access_key_last_used()
                    .access_key_id(id)
                    .send()
                    .await
                {
                    Ok(o) => o
                        .access_key_last_used()
                        .and_then(|u| u.last_used_date())
                        .and_then(to_chrono),
                    Err(e) => {
                        failed = Some((LAST_USED, reason(&e, LAST_USED)));
                        None
                    }
                };
                keys.push(IamAccessKey {
                    access_key_id: id.to_string(),
                    status: k
                        .status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    create_date: k.create_date().and_then(to_chrono),
                    last_used,
                });
            }
            failed.map_or(Ok(keys), Err)
        }
    };
    Detail {
        password,
        mfa,
        keys,
    }
}

pub(crate) async fn users(aws: &Aws) {
    let kind = ResourceKind::AwsIamUser;
    let client = aws.iam();
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("IAM", GLOBAL).await;
        client.list_users().into_paginator().send().collect().await
    };
    let users: Vec<User> = match pages {
        Ok(p) => p.into_iter().flat_map(|o| o.users).collect(),
        Err(e) => return aws.error(None, kind, reason(&e, "iam:ListUsers")),
    };
    let c = client.clone();
    let details = each(aws.semaphore("IAM", GLOBAL), users, move |u| {
        let c = c.clone();
        async move {
            let d = detail(c, u.user_name().to_string()).await;
            (u, d)
        }
    })
    .await;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (u, d) in details {
        let resource = aws.resource(
            kind,
            GLOBAL,
            u.arn().to_string(),
            u.user_name(),
            Tags::new(),
        );
        let mut unread = |(op, why): (&str, String)| {
            errors.push(CollectionError::of_resource(&resource, op, why));
        };
        let password = d.password.map_err(&mut unread).ok();
        let mfa_devices = d.mfa.map_err(&mut unread).ok();
        let access_keys = d.keys.map_err(&mut unread).ok();
        out.push(IamUser {
            create_date: to_chrono(u.create_date()),
            console_password: password.map(|p| p.is_some()),
            password_created: password.flatten().flatten(),
            password_last_used: u.password_last_used().and_then(to_chrono),
            mfa_devices,
            access_keys,
            resource,
        });
    }
    aws.add(|inv| {
        inv.aws_iam_users.extend(out);
        inv.errors.extend(errors);
    });
}
