//! Cloud Spanner databases, from the documented REST API: `instances.list`, then per
//! instance `databases.list` and `backups.list`, and per database `databases.getIamPolicy`
//! (a POST that only reads). The newest READY backup of each database is kept.
//!
//! Why not google-cloud-spanner-admin-{instance,database}-v1: two more generated crates
//! for four read calls; see [`super`] on the compile cost, and [`super::rest`] for the
//! one path every REST-collected service shares.
//!
//! Path collision: Spanner's `GET /v1/projects/<p>/instances` is Cloud SQL Admin's path
//! too. Under one `--gcp-endpoint` the two are told apart by their query strings (SQL
//! Admin's client always sends `maxResults`; this list sends no parameter on its first
//! page), which the replay server matches exactly.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use futures::future::join_all;
use serde::Deserialize;
use serde_json::json;

use super::api::{Gcp, Service};
use super::failure::Failure;
use super::resource;
use super::rest::{get_all, post, Policy};
use crate::model::gcp::{BackupRef, SpannerDatabase};
use crate::model::{CollectionError, ResourceKind};

const KIND: ResourceKind = ResourceKind::GcpSpannerDatabase;
const INSTANCES: &str = "instances.list";
const DATABASES: &str = "databases.list";
const BACKUPS: &str = "backups.list";
const IAM: &str = "databases.getIamPolicy";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Instances {
    #[serde(default)]
    instances: Vec<Instance>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Instance {
    name: String,
    /// `projects/<p>/instanceConfigs/regional-us-central1`.
    #[serde(default)]
    config: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Databases {
    #[serde(default)]
    databases: Vec<Database>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Database {
    name: String,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    encryption_config: Option<EncryptionConfig>,
    /// Absent means false (proto3 default).
    #[serde(default)]
    enable_drop_protection: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EncryptionConfig {
    #[serde(default)]
    kms_key_name: Option<String>,
    /// Multi-region instances name one key per region.
    #[serde(default)]
    kms_key_names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Backups {
    #[serde(default)]
    backups: Vec<Backup>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Backup {
    name: String,
    #[serde(default)]
    database: String,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    version_time: Option<DateTime<Utc>>,
    #[serde(default)]
    create_time: Option<DateTime<Utc>>,
    #[serde(default)]
    backup_schedules: Vec<String>,
}

/// Every database of every instance of the project.
pub(super) async fn databases(gcp: &Gcp, project: &str) {
    let base = gcp.endpoint(Service::Spanner);
    let url = format!("{base}/v1/projects/{project}/instances");
    let listed = get_all(
        gcp,
        Service::Spanner,
        INSTANCES,
        project,
        None,
        &url,
        &[],
        |p: Instances| (p.instances, p.next_page_token),
    )
    .await;
    match listed {
        Ok(all) => {
            join_all(all.into_iter().map(|i| instance(gcp, project, &base, i))).await;
        }
        Err(f) => gcp.failed(&[KIND], project, None, Service::Spanner, INSTANCES, &f),
    }
}

async fn instance(gcp: &Gcp, project: &str, base: &str, i: Instance) {
    let region = i.config.rsplit('/').next().unwrap_or("unknown").to_string();
    let url = format!("{base}/v1/{}/databases", i.name);
    let dbs = get_all(
        gcp,
        Service::Spanner,
        DATABASES,
        project,
        Some(&region),
        &url,
        &[],
        |p: Databases| (p.databases, p.next_page_token),
    )
    .await;
    let dbs = match dbs {
        Ok(d) => d,
        Err(f) => {
            gcp.failed(
                &[KIND],
                project,
                Some(&region),
                Service::Spanner,
                DATABASES,
                &f,
            );
            return;
        }
    };
    if dbs.is_empty() {
        return;
    }
    let url = format!("{base}/v1/{}/backups", i.name);
    let backups = get_all(
        gcp,
        Service::Spanner,
        BACKUPS,
        project,
        Some(&region),
        &url,
        &[],
        |p: Backups| (p.backups, p.next_page_token),
    )
    .await;
    let (newest, backups_unread) = match backups {
        Ok(b) => (newest_backups(b), None),
        Err(f) => (
            BTreeMap::new(),
            Some(f.reason(Service::Spanner, BACKUPS, project)),
        ),
    };
    let newest = &newest;
    let backups_unread = backups_unread.as_deref();
    let labels = &i.labels;
    let region = region.as_str();
    join_all(dbs.into_iter().map(|d| async move {
        database(
            gcp,
            project,
            base,
            region,
            labels,
            newest,
            backups_unread,
            d,
        )
        .await
    }))
    .await;
}

/// The newest READY backup of each database, by the time its data was captured.
fn newest_backups(backups: Vec<Backup>) -> BTreeMap<String, BackupRef> {
    let mut out: BTreeMap<String, BackupRef> = BTreeMap::new();
    for b in backups {
        let Some(taken_at) = b.version_time.or(b.create_time) else {
            continue;
        };
        if b.state.as_deref() != Some("READY") {
            continue;
        }
        let newer = out.get(&b.database).is_none_or(|o| o.taken_at < taken_at);
        if newer {
            out.insert(
                b.database,
                BackupRef {
                    name: b.name,
                    taken_at,
                    schedules: b.backup_schedules,
                },
            );
        }
    }
    out
}

/// One database with its IAM policy; an unread policy or backup list is an error for this
/// database only.
#[allow(clippy::too_many_arguments)]
async fn database(
    gcp: &Gcp,
    project: &str,
    base: &str,
    region: &str,
    labels: &BTreeMap<String, String>,
    newest: &BTreeMap<String, BackupRef>,
    backups_unread: Option<&str>,
    d: Database,
) {
    let url = format!("{base}/v1/{}:getIamPolicy", d.name);
    let body = json!({"options": {"requestedPolicyVersion": 3}});
    let policy: Result<Policy, Failure> = gcp
        .call(Service::Spanner, IAM, project, Some(region), || {
            post(gcp, &url, &body)
        })
        .await;
    let (bindings, iam_unread) = match policy {
        Ok(p) => (p.into_bindings(), None),
        Err(f) => (Vec::new(), Some(f.reason(Service::Spanner, IAM, project))),
    };
    let enc = d.encryption_config.unwrap_or_default();
    let short = d.name.rsplit('/').next().unwrap_or(&d.name).to_string();
    let out = SpannerDatabase {
        resource: resource(
            KIND,
            project,
            region,
            format!("//spanner.googleapis.com/{}", d.name),
            &short,
            labels.clone(),
        ),
        state: d.state,
        kms_key_name: enc
            .kms_key_name
            .or_else(|| enc.kms_key_names.into_iter().next())
            .filter(|k| !k.is_empty()),
        drop_protection: Some(d.enable_drop_protection),
        iam_bindings: bindings,
        latest_backup: newest.get(&d.name).cloned(),
    };
    let errors: Vec<CollectionError> = [
        (IAM, iam_unread),
        (BACKUPS, backups_unread.map(str::to_string)),
    ]
    .into_iter()
    .filter_map(|(op, why)| why.map(|w| CollectionError::of_resource(&out.resource, op, w)))
    .collect();
    gcp.add(|inv| {
        inv.errors.extend(errors);
        inv.gcp_spanner_databases.push(out);
    });
}
