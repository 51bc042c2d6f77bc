//! BigQuery datasets, from the documented REST API (`/bigquery/v2/...`): `datasets.list`
//! (hidden datasets included), then `datasets.get` per dataset, since only the full
//! resource carries its access entries and default key.
//!
//! Why not google-cloud-bigquery-v2: one more generated crate for two read calls; see
//! [`super`]. Access entries become [`IamBinding`]s so the public-member rule is the one
//! every store uses: `specialGroup` and `iamMember` values as they are (`allAuthenticatedUsers`,
//! `allUsers`, `projectReaders`), `userByEmail` as `user:`, `groupByEmail` as `group:`,
//! `domain` as `domain:`; authorized views, routines and datasets are not members and
//! are left out.

use std::collections::BTreeMap;

use futures::future::join_all;
use serde::Deserialize;

use super::api::{Gcp, Service};
use super::failure::Failure;
use super::resource;
use super::rest::{get, get_all};
use crate::model::gcp::{BigqueryDataset, IamBinding};
use crate::model::{CollectionError, ResourceKind};

const KIND: ResourceKind = ResourceKind::GcpBigqueryDataset;
const LIST: &str = "datasets.list";
const GET: &str = "datasets.get";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Datasets {
    #[serde(default)]
    datasets: Vec<ListedDataset>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListedDataset {
    dataset_reference: Reference,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reference {
    dataset_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Dataset {
    #[serde(default)]
    access: Vec<Access>,
    #[serde(default)]
    default_encryption_configuration: Option<Encryption>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Encryption {
    #[serde(default)]
    kms_key_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Access {
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    user_by_email: Option<String>,
    #[serde(default)]
    group_by_email: Option<String>,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    special_group: Option<String>,
    #[serde(default)]
    iam_member: Option<String>,
}

impl Access {
    fn member(&self) -> Option<String> {
        if let Some(m) = self.special_group.as_ref().or(self.iam_member.as_ref()) {
            return Some(m.clone());
        }
        let prefixed =
            |prefix: &str, v: &Option<String>| v.as_ref().map(|v| format!("{prefix}:{v}"));
        prefixed("user", &self.user_by_email)
            .or_else(|| prefixed("group", &self.group_by_email))
            .or_else(|| prefixed("domain", &self.domain))
    }
}

pub(super) async fn datasets(gcp: &Gcp, project: &str) {
    let base = gcp.endpoint(Service::BigQuery);
    let url = format!("{base}/bigquery/v2/projects/{project}/datasets");
    let query = [("all", "true".to_string())];
    let listed = get_all(
        gcp,
        Service::BigQuery,
        LIST,
        project,
        None,
        &url,
        &query,
        |p: Datasets| (p.datasets, p.next_page_token),
    )
    .await;
    match listed {
        Ok(all) => {
            join_all(all.into_iter().map(|d| dataset(gcp, project, &url, d))).await;
        }
        Err(f) => gcp.failed(&[KIND], project, None, Service::BigQuery, LIST, &f),
    }
}

/// One dataset in full; a dataset that cannot be read is an error for it only.
async fn dataset(gcp: &Gcp, project: &str, list_url: &str, d: ListedDataset) {
    let id = d.dataset_reference.dataset_id;
    let region = d
        .location
        .unwrap_or_else(|| "unknown".into())
        .to_ascii_lowercase();
    let url = format!("{list_url}/{id}");
    let full: Result<Dataset, Failure> = gcp
        .call(Service::BigQuery, GET, project, Some(&region), || {
            get(gcp, &url, &[])
        })
        .await;
    let (full, unread) = match full {
        Ok(f) => (Some(f), None),
        Err(f) => (None, Some(f.reason(Service::BigQuery, GET, project))),
    };
    let out = BigqueryDataset {
        resource: resource(
            KIND,
            project,
            &region,
            format!("//bigquery.googleapis.com/projects/{project}/datasets/{id}"),
            &id,
            d.labels,
        ),
        kms_key_name: full
            .as_ref()
            .and_then(|f| f.default_encryption_configuration.as_ref())
            .and_then(|e| e.kms_key_name.clone())
            .filter(|k| !k.is_empty()),
        access: full
            .map(|f| {
                f.access
                    .iter()
                    .filter_map(|a| {
                        Some(IamBinding {
                            role: a.role.clone().unwrap_or_default(),
                            members: vec![a.member()?],
                            condition: None,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    let error = unread.map(|why| CollectionError::of_resource(&out.resource, GET, why));
    gcp.add(|inv| {
        inv.errors.extend(error);
        inv.gcp_bigquery_datasets.push(out);
    });
}
