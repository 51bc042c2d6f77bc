//! Cloud Spanner: the EHR instance's patient database (CMEK, private, backed up by a daily
//! schedule, drop-protected) and its audit-events database (Google-managed keys, readable
//! by any Google account, last backed up three days ago, droppable).

use chrono::{DateTime, Duration, Utc};

use super::{binding, kms_key_name, store_ref, P};
use crate::model::gcp::{BackupRef, SpannerDatabase};
use crate::model::{Inventory, ResourceKind};

const INSTANCE: &str = "ehr-spanner";

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    let db = |name: &str| {
        store_ref(
            ResourceKind::GcpSpannerDatabase,
            "regional-us-central1",
            format!("//spanner.googleapis.com/projects/{P}/instances/{INSTANCE}/databases/{name}"),
        )
        .with_tag("data-classification", "protected")
    };
    let backup = |name: &str, age: Duration, schedule: Option<&str>| BackupRef {
        name: format!("projects/{P}/instances/{INSTANCE}/backups/{name}"),
        taken_at: now - age,
        schedules: schedule
            .map(|s| {
                format!("projects/{P}/instances/{INSTANCE}/databases/patients/backupSchedules/{s}")
            })
            .into_iter()
            .collect(),
    };
    inv.gcp_spanner_databases = vec![
        SpannerDatabase {
            resource: db("patients"),
            state: Some("READY".into()),
            kms_key_name: Some(kms_key_name("spanner-key")),
            drop_protection: Some(true),
            iam_bindings: vec![binding(
                "roles/spanner.databaseUser",
                &["serviceAccount:ehr-api@janus-hcp-prod.iam.gserviceaccount.com"],
            )],
            latest_backup: Some(backup(
                "patients-daily-20260601",
                Duration::hours(5),
                Some("daily"),
            )),
        },
        SpannerDatabase {
            resource: db("audit-events"),
            state: Some("READY".into()),
            kms_key_name: None,
            drop_protection: Some(false),
            iam_bindings: vec![binding(
                "roles/spanner.databaseReader",
                &["allAuthenticatedUsers"],
            )],
            latest_backup: Some(backup("audit-events-manual", Duration::days(3), None)),
        },
    ];
}
