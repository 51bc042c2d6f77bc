//! Cloud Logging and audit configuration: the production and sandbox projects' audit
//! configs and log sinks.

use super::{P, SANDBOX};
use crate::model::gcp::{
    AuditConfig, AuditLogConfig, LogBucket, LogSink, ProjectAuditConfig, ProjectLogSinks,
};
use crate::model::{Inventory, ResourceKind, ResourceRef};

pub(super) fn add(inv: &mut Inventory) {
    let all = |types: &[&str]| AuditConfig {
        service: "allServices".into(),
        log_configs: types
            .iter()
            .map(|t| AuditLogConfig {
                log_type: t.to_string(),
                exempted_members: vec![],
            })
            .collect(),
    };
    let rm = |p: &str| format!("//cloudresourcemanager.googleapis.com/projects/{p}");
    inv.gcp_project_audit_configs = vec![
        ProjectAuditConfig {
            resource: project_ref(ResourceKind::GcpProjectAuditConfig, P, rm(P)),
            audit_configs: vec![all(&["ADMIN_READ", "DATA_READ", "DATA_WRITE"])],
            iam_bindings: Some(super::iam::project_bindings(P)),
        },
        // The sandbox only ever got admin reads.
        ProjectAuditConfig {
            resource: project_ref(ResourceKind::GcpProjectAuditConfig, SANDBOX, rm(SANDBOX)),
            audit_configs: vec![all(&["ADMIN_READ"])],
            iam_bindings: Some(super::iam::project_bindings(SANDBOX)),
        },
    ];

    let sinks = |p: &str| format!("//logging.googleapis.com/projects/{p}/sinks");
    let built_ins = |p: &str| {
        vec![
            sink(
                "_Default",
                &format!("logging.googleapis.com/projects/{p}/locations/global/buckets/_Default"),
                r#"NOT LOG_ID("cloudaudit.googleapis.com/activity") AND NOT LOG_ID("externalaudit.googleapis.com/activity") AND NOT LOG_ID("cloudaudit.googleapis.com/system_event") AND NOT LOG_ID("externalaudit.googleapis.com/system_event") AND NOT LOG_ID("cloudaudit.googleapis.com/access_transparency") AND NOT LOG_ID("externalaudit.googleapis.com/access_transparency")"#,
            ),
            sink(
                "_Required",
                &format!("logging.googleapis.com/projects/{p}/locations/global/buckets/_Required"),
                r#"LOG_ID("cloudaudit.googleapis.com/activity") OR LOG_ID("externalaudit.googleapis.com/activity") OR LOG_ID("cloudaudit.googleapis.com/system_event") OR LOG_ID("externalaudit.googleapis.com/system_event") OR LOG_ID("cloudaudit.googleapis.com/access_transparency") OR LOG_ID("externalaudit.googleapis.com/access_transparency")"#,
            ),
        ]
    };
    let mut prod = built_ins(P);
    prod.push(sink(
        "audit-archive",
        "storage.googleapis.com/janus-hcp-audit-archive",
        r#"logName:"cloudaudit.googleapis.com""#,
    ));
    inv.gcp_project_log_sinks = vec![
        ProjectLogSinks {
            resource: project_ref(ResourceKind::GcpProjectLogSinks, P, sinks(P)),
            sinks: prod,
        },
        ProjectLogSinks {
            resource: project_ref(ResourceKind::GcpProjectLogSinks, SANDBOX, sinks(SANDBOX)),
            sinks: built_ins(SANDBOX),
        },
    ];
    log_buckets(inv);
}

/// Log buckets: `_Required` (fixed at 400 days), `_Default` left at its 30 days, and the
/// PHI audit bucket kept six years.
pub(super) fn log_buckets(inv: &mut Inventory) {
    inv.gcp_log_buckets = [
        ("_Required", 400, true),
        ("_Default", 30, false),
        ("phi-audit", 2190, true),
    ]
    .into_iter()
    .map(|(name, retention_days, locked)| LogBucket {
        resource: ResourceRef::new(
            ResourceKind::GcpLogBucket,
            P,
            "global",
            format!("//logging.googleapis.com/projects/{P}/locations/global/buckets/{name}"),
            name,
        ),
        retention_days,
        locked,
        lifecycle_state: Some("ACTIVE".into()),
    })
    .collect();
}

fn project_ref(kind: ResourceKind, project: &str, id: String) -> ResourceRef {
    ResourceRef::new(kind, project, "global", id, project)
}

fn sink(name: &str, destination: &str, filter: &str) -> LogSink {
    LogSink {
        name: name.into(),
        destination: destination.into(),
        filter: filter.into(),
        disabled: false,
    }
}
