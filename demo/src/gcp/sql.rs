//! Cloud SQL instances.

use chrono::{DateTime, Duration, Utc};

use super::{kms_key_name, P, REGION};
use crate::model::gcp::{AuthorizedNetwork, DatabaseFlag, SqlInstance};
use crate::model::{Inventory, ResourceKind, ResourceRef};

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    let mut billing = sql("billing-db", "MYSQL_8_0", now);
    billing.ssl_mode = Some("ALLOW_UNENCRYPTED_AND_ENCRYPTED".into());
    billing.require_ssl = Some(false);
    billing.ipv4_enabled = true;
    billing.authorized_networks = vec![AuthorizedNetwork {
        name: Some("anywhere".into()),
        value: "0.0.0.0/0".into(),
    }];
    billing.backup_enabled = false;
    billing.point_in_time_recovery = Some(false);
    billing.last_successful_backup = None;
    let mut reporting = sql("reporting-db", "POSTGRES_14", now);
    reporting.ssl_mode = None;
    reporting.ipv4_enabled = true;
    reporting.authorized_networks = vec![AuthorizedNetwork {
        name: Some("janus-office".into()),
        value: "203.0.113.0/24".into(),
    }];
    reporting.point_in_time_recovery = Some(false);
    reporting.last_successful_backup = Some(now - Duration::hours(20));
    // Created before the CMEK rollout: still on Google-managed keys.
    reporting.kms_key_name = None;
    // Restored from a dump of a self-managed server; its logging flags were never set.
    reporting.database_flags = vec![];
    inv.gcp_sql_instances = vec![sql("ehr-db", "POSTGRES_15", now), billing, reporting];
}

/// A private Postgres instance with TLS, CMEK and backups; callers spoil what they need.
fn sql(name: &str, version: &str, now: DateTime<Utc>) -> SqlInstance {
    SqlInstance {
        resource: ResourceRef::new(
            ResourceKind::GcpSqlInstance,
            P,
            REGION,
            format!("//cloudsql.googleapis.com/projects/{P}/instances/{name}"),
            name,
        )
        .with_tag("data-classification", "protected"),
        database_version: version.into(),
        ssl_mode: Some("ENCRYPTED_ONLY".into()),
        require_ssl: Some(true),
        ipv4_enabled: false,
        authorized_networks: vec![],
        backup_enabled: true,
        point_in_time_recovery: Some(true),
        last_successful_backup: Some(now - Duration::hours(6)),
        kms_key_name: Some(kms_key_name("cloudsql-key")),
        database_flags: if version.starts_with("POSTGRES") {
            ["log_connections", "log_disconnections"]
                .iter()
                .map(|f| DatabaseFlag {
                    name: f.to_string(),
                    value: "on".into(),
                })
                .collect()
        } else {
            vec![]
        },
    }
}
