//! Firestore / Datastore: the scheduling database in Datastore mode (CMEK, PITR, delete
//! protection, daily backups) and the notifications database created with the defaults.

use super::{kms_key_name, store_ref, P};
use crate::model::gcp::{FirestoreBackupSchedule, FirestoreDatabase};
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    let db = |name: &str| {
        store_ref(
            ResourceKind::GcpFirestoreDatabase,
            "nam5",
            format!("//firestore.googleapis.com/projects/{P}/databases/{name}"),
        )
    };
    inv.gcp_firestore_databases = vec![
        FirestoreDatabase {
            resource: db("scheduling"),
            database_type: Some("DATASTORE_MODE".into()),
            kms_key_name: Some(kms_key_name("firestore-key")),
            point_in_time_recovery: Some("POINT_IN_TIME_RECOVERY_ENABLED".into()),
            delete_protection: Some("DELETE_PROTECTION_ENABLED".into()),
            backup_schedules: vec![FirestoreBackupSchedule {
                name: format!("projects/{P}/databases/scheduling/backupSchedules/daily"),
                recurrence: "daily".into(),
                retention_seconds: Some(1_209_600),
            }],
        },
        FirestoreDatabase {
            resource: db("notifications"),
            database_type: Some("FIRESTORE_NATIVE".into()),
            kms_key_name: None,
            point_in_time_recovery: Some("POINT_IN_TIME_RECOVERY_DISABLED".into()),
            delete_protection: Some("DELETE_PROTECTION_DISABLED".into()),
            backup_schedules: vec![],
        },
    ];
}
