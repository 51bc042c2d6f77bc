//! Cloud SQL Admin: instances (TLS, networks, backups, CMEK) and, per instance, the newest
//! successful backup run (google-cloud-sql-v1).

use chrono::{DateTime, Utc};
use futures::future::join_all;
use google_cloud_sql_v1::model::{
    BackupRun, DatabaseInstance, SqlBackupRunStatus, SqlIpAddressType,
};

use super::api::{Gcp, Service};
use super::failure::Failure;
use super::resource;
use crate::model::gcp::{AuthorizedNetwork, DatabaseFlag, SqlInstance};
use crate::model::{CollectionError, ResourceKind};

const KIND: ResourceKind = ResourceKind::GcpSqlInstance;
const LIST: &str = "instances.list";
const RUNS: &str = "backupRuns.list";
/// `maxResults` of `instances.list`.
const PAGE: u32 = 500;
/// `maxResults` of `backupRuns.list`: runs come newest first, so one page of a day's
/// worth of runs (automated, on-demand, failed) normally holds the newest success.
const RUNS_PAGE: i32 = 50;
/// Pages of backup runs read before concluding there is no successful one.
const MAX_RUN_PAGES: usize = 4;

/// `instances.list`, then `backupRuns.list` for each instance, concurrently (within the
/// service's limit).
pub(super) async fn instances(gcp: &Gcp, project: &str) {
    let mut all: Vec<DatabaseInstance> = Vec::new();
    let mut token = String::new();
    loop {
        let page = gcp
            .send(Service::SqlAdmin, LIST, project, None, || {
                gcp.clients
                    .sql_instances
                    .list()
                    .set_project(project)
                    .set_max_results(PAGE)
                    .set_page_token(token.clone())
                    .send()
            })
            .await;
        match page {
            Ok(p) => {
                all.extend(p.items);
                if p.next_page_token.is_empty() {
                    break;
                }
                token = p.next_page_token;
            }
            Err(f) => {
                gcp.failed(&[KIND], project, None, Service::SqlAdmin, LIST, &f);
                break;
            }
        }
    }
    let read = all.into_iter().map(|i| async move {
        // Without its backup history the instance is half-read: it stays, with an error
        // for that instance only (every check of the kind reports ERROR for it).
        let (last, unread) = match last_successful_backup(gcp, project, &i).await {
            Ok(last) => (last, None),
            Err(f) => (None, Some(f.reason(Service::SqlAdmin, RUNS, project))),
        };
        let out = instance(project, i, last);
        let error = unread.map(|why| CollectionError::of_resource(&out.resource, RUNS, why));
        gcp.add(|inv| {
            inv.errors.extend(error);
            inv.gcp_sql_instances.push(out);
        });
    });
    join_all(read).await;
}

fn time(t: Option<&google_cloud_wkt::Timestamp>) -> Option<DateTime<Utc>> {
    let t = t?;
    DateTime::from_timestamp(t.seconds(), u32::try_from(t.nanos()).unwrap_or(0))
}

/// When a run finished (its end time; older records may only have a start or window time).
fn finished(r: &BackupRun) -> Option<DateTime<Utc>> {
    time(r.end_time.as_ref())
        .or_else(|| time(r.start_time.as_ref()))
        .or_else(|| time(r.window_start_time.as_ref()))
}

/// The newest SUCCESSFUL backup run, reading pages (newest first) until one is found.
async fn last_successful_backup(
    gcp: &Gcp,
    project: &str,
    i: &DatabaseInstance,
) -> Result<Option<DateTime<Utc>>, Failure> {
    let mut token = String::new();
    for _ in 0..MAX_RUN_PAGES {
        let page = gcp
            .send(Service::SqlAdmin, RUNS, project, Some(&i.region), || {
                gcp.clients
                    .backup_runs
                    .list()
                    .set_project(project)
                    .set_instance(&i.name)
                    .set_max_results(RUNS_PAGE)
                    .set_page_token(token.clone())
                    .send()
            })
            .await?;
        let newest = page
            .items
            .iter()
            .filter(|r| r.status == SqlBackupRunStatus::Successful)
            .filter_map(finished)
            .max();
        if newest.is_some() || page.next_page_token.is_empty() {
            return Ok(newest);
        }
        token = page.next_page_token;
    }
    Ok(None)
}

fn instance(project: &str, i: DatabaseInstance, last: Option<DateTime<Utc>>) -> SqlInstance {
    let version = i.database_version.name().unwrap_or("UNKNOWN").to_string();
    let settings = i.settings.unwrap_or_default();
    let ip = settings.ip_configuration.unwrap_or_default();
    let backup = settings.backup_configuration.unwrap_or_default();
    let has_public_ip = i
        .ip_addresses
        .iter()
        .any(|a| a.r#type == SqlIpAddressType::Primary);
    let ssl_mode = ip
        .ssl_mode
        .name()
        .filter(|m| *m != "SSL_MODE_UNSPECIFIED")
        .map(str::to_string);
    // MySQL's point-in-time recovery is its binary log.
    let pitr = backup.point_in_time_recovery_enabled.or_else(|| {
        version
            .starts_with("MYSQL")
            .then_some(backup.binary_log_enabled)
            .flatten()
    });
    SqlInstance {
        resource: resource(
            KIND,
            project,
            &i.region,
            format!(
                "//cloudsql.googleapis.com/projects/{project}/instances/{}",
                i.name
            ),
            &i.name,
            settings.user_labels,
        ),
        database_version: version,
        ssl_mode,
        require_ssl: ip.require_ssl,
        // Unreported: decide by the addresses the instance actually has.
        ipv4_enabled: ip.ipv4_enabled.unwrap_or(has_public_ip),
        authorized_networks: ip
            .authorized_networks
            .into_iter()
            .map(|n| AuthorizedNetwork {
                name: (!n.name.is_empty()).then_some(n.name),
                value: n.value,
            })
            .collect(),
        // Unreported is not evidence of backups.
        backup_enabled: backup.enabled.unwrap_or(false),
        point_in_time_recovery: pitr,
        last_successful_backup: last,
        kms_key_name: i
            .disk_encryption_configuration
            .map(|c| c.kms_key_name)
            .filter(|k| !k.trim().is_empty()),
        database_flags: settings
            .database_flags
            .into_iter()
            .map(|f| DatabaseFlag {
                name: f.name,
                value: f.value,
            })
            .collect(),
    }
}
