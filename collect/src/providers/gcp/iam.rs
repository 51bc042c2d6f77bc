//! Service accounts and their user-managed keys, from the documented IAM REST API:
//! `projects.serviceAccounts.list`, then `keys.list?keyTypes=USER_MANAGED` per account.
//!
//! Why not google-cloud-iam-admin-v1: one more generated crate for two read calls; see
//! [`super`].

use chrono::{DateTime, Utc};
use futures::future::join_all;
use serde::Deserialize;

use super::api::{Gcp, Service};
use super::failure::Failure;
use super::resource;
use super::rest::{get, get_all};
use crate::model::gcp::{ServiceAccount, ServiceAccountKey};
use crate::model::{CollectionError, ResourceKind};

const KIND: ResourceKind = ResourceKind::GcpServiceAccount;
const LIST: &str = "serviceAccounts.list";
const KEYS: &str = "serviceAccounts.keys.list";
/// The API's maximum page size.
const PAGE_SIZE: &str = "100";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Accounts {
    #[serde(default)]
    accounts: Vec<Account>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Account {
    email: String,
    #[serde(default)]
    disabled: bool,
}

#[derive(Debug, Deserialize)]
struct Keys {
    #[serde(default)]
    keys: Vec<Key>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Key {
    name: String,
    #[serde(default)]
    valid_after_time: Option<DateTime<Utc>>,
    #[serde(default)]
    disabled: bool,
}

pub(super) async fn service_accounts(gcp: &Gcp, project: &str) {
    let base = gcp.endpoint(Service::Iam);
    let url = format!("{base}/v1/projects/{project}/serviceAccounts");
    let query = [("pageSize", PAGE_SIZE.to_string())];
    let listed = get_all(
        gcp,
        Service::Iam,
        LIST,
        project,
        None,
        &url,
        &query,
        |p: Accounts| (p.accounts, p.next_page_token),
    )
    .await;
    match listed {
        Ok(all) => {
            join_all(all.into_iter().map(|a| account(gcp, project, &url, a))).await;
        }
        Err(f) => gcp.failed(&[KIND], project, None, Service::Iam, LIST, &f),
    }
}

/// One account with its user-managed keys; unread keys are an error for it only.
async fn account(gcp: &Gcp, project: &str, list_url: &str, a: Account) {
    let url = format!("{list_url}/{}/keys", a.email);
    let query = [("keyTypes", "USER_MANAGED".to_string())];
    let keys: Result<Keys, Failure> = gcp
        .call(Service::Iam, KEYS, project, Some("global"), || {
            get(gcp, &url, &query)
        })
        .await;
    let (keys, unread) = match keys {
        Ok(k) => (k.keys, None),
        Err(f) => (Vec::new(), Some(f.reason(Service::Iam, KEYS, project))),
    };
    let out = ServiceAccount {
        resource: resource(
            KIND,
            project,
            "global",
            format!(
                "//iam.googleapis.com/projects/{project}/serviceAccounts/{}",
                a.email
            ),
            &a.email,
            std::iter::empty(),
        ),
        email: a.email,
        disabled: a.disabled,
        user_managed_keys: keys
            .into_iter()
            .map(|k| ServiceAccountKey {
                id: k.name.rsplit('/').next().unwrap_or(&k.name).to_string(),
                created_at: k.valid_after_time,
                disabled: k.disabled,
            })
            .collect(),
    };
    let error = unread.map(|why| CollectionError::of_resource(&out.resource, KEYS, why));
    gcp.add(|inv| {
        inv.errors.extend(error);
        inv.gcp_service_accounts.push(out);
    });
}
