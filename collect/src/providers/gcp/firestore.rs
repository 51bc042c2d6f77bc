//! Firestore / Datastore databases, from the documented REST API: `databases.list` (not
//! paged: it returns every database), then `databases.backupSchedules.list` per database.
//!
//! Why not google-cloud-firestore-admin-v1: one more generated crate for two read calls;
//! see [`super`].

use futures::future::join_all;
use serde::Deserialize;

use super::api::{Gcp, Service};
use super::failure::Failure;
use super::resource;
use super::rest::get;
use crate::model::gcp::{FirestoreBackupSchedule, FirestoreDatabase};
use crate::model::{CollectionError, ResourceKind};

const KIND: ResourceKind = ResourceKind::GcpFirestoreDatabase;
const LIST: &str = "databases.list";
const SCHEDULES: &str = "databases.backupSchedules.list";

#[derive(Debug, Deserialize)]
struct Databases {
    #[serde(default)]
    databases: Vec<Database>,
    /// Databases whose location could not be reached; the list is incomplete there.
    #[serde(default)]
    unreachable: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Database {
    name: String,
    #[serde(default)]
    location_id: Option<String>,
    #[serde(default, rename = "type")]
    database_type: Option<String>,
    #[serde(default)]
    cmek_config: Option<CmekConfig>,
    #[serde(default)]
    point_in_time_recovery_enablement: Option<String>,
    #[serde(default)]
    delete_protection_state: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CmekConfig {
    #[serde(default)]
    kms_key_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Schedules {
    #[serde(default)]
    backup_schedules: Vec<Schedule>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Schedule {
    name: String,
    /// A duration string, `604800s`.
    #[serde(default)]
    retention: Option<String>,
    #[serde(default)]
    daily_recurrence: Option<serde_json::Value>,
    #[serde(default)]
    weekly_recurrence: Option<serde_json::Value>,
}

pub(super) async fn databases(gcp: &Gcp, project: &str) {
    let base = gcp.endpoint(Service::Firestore);
    let url = format!("{base}/v1/projects/{project}/databases");
    let listed: Result<Databases, Failure> = gcp
        .call(Service::Firestore, LIST, project, None, || {
            get(gcp, &url, &[])
        })
        .await;
    let listed = match listed {
        Ok(l) => l,
        Err(f) => {
            gcp.failed(&[KIND], project, None, Service::Firestore, LIST, &f);
            return;
        }
    };
    for name in &listed.unreachable {
        gcp.error(
            project,
            None,
            KIND,
            format!("UNAVAILABLE: firestore.{LIST} could not reach database {name}"),
        );
    }
    join_all(
        listed
            .databases
            .into_iter()
            .map(|d| database(gcp, project, &base, d)),
    )
    .await;
}

/// One database with its backup schedules; unread schedules are an error for it only.
async fn database(gcp: &Gcp, project: &str, base: &str, d: Database) {
    let region = d.location_id.clone().unwrap_or_else(|| "unknown".into());
    let url = format!("{base}/v1/{}/backupSchedules", d.name);
    let schedules: Result<Schedules, Failure> = gcp
        .call(
            Service::Firestore,
            SCHEDULES,
            project,
            Some(&region),
            || get(gcp, &url, &[]),
        )
        .await;
    let (schedules, unread) = match schedules {
        Ok(s) => (s.backup_schedules, None),
        Err(f) => (
            Vec::new(),
            Some(f.reason(Service::Firestore, SCHEDULES, project)),
        ),
    };
    let short = d.name.rsplit('/').next().unwrap_or(&d.name).to_string();
    let out = FirestoreDatabase {
        resource: resource(
            KIND,
            project,
            &region,
            format!("//firestore.googleapis.com/{}", d.name),
            &short,
            std::iter::empty(),
        ),
        database_type: d.database_type,
        kms_key_name: d
            .cmek_config
            .and_then(|c| c.kms_key_name)
            .filter(|k| !k.is_empty()),
        point_in_time_recovery: d.point_in_time_recovery_enablement,
        delete_protection: d.delete_protection_state,
        backup_schedules: schedules
            .into_iter()
            .map(|s| FirestoreBackupSchedule {
                recurrence: match (&s.daily_recurrence, &s.weekly_recurrence) {
                    (Some(_), _) => "daily".into(),
                    (None, Some(_)) => "weekly".into(),
                    (None, None) => "unknown".into(),
                },
                retention_seconds: s
                    .retention
                    .as_deref()
                    .and_then(|r| r.trim_end_matches('s').parse::<f64>().ok())
                    .map(|secs| secs as i64),
                name: s.name,
            })
            .collect(),
    };
    let error = unread.map(|why| CollectionError::of_resource(&out.resource, SCHEDULES, why));
    gcp.add(|inv| {
        inv.errors.extend(error);
        inv.gcp_firestore_databases.push(out);
    });
}
