//! Configuration that checks read: thresholds and demands a check's verdict depends on.
//!
//! The full `phiscan.toml` schema (targets, waivers, scope) grows here; today the CLI builds
//! a [`Config`] from defaults.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub params: Params,
}

/// Parameters of individual checks. Every field has a default that matches common HIPAA
/// audit practice; policy profiles may tighten them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// Demand customer-managed keys (AWS KMS CMK, GCP CMEK, Azure CMK) where a check reports
    /// the key type; when false, provider-managed encryption passes and the key type is
    /// evidence.
    pub require_customer_managed_keys: bool,
    /// Minimum automated-backup retention for databases, in days.
    pub min_backup_retention_days: i32,
    /// Maximum age of the newest backup of an ePHI volume or database, in hours.
    pub max_backup_age_hours: i64,
    /// Maximum KMS key rotation period, in days.
    pub max_key_rotation_days: i64,
    /// Administrative ports that must not be open to the internet.
    pub admin_ports: Vec<u16>,
    /// Database ports that must not be open to the internet.
    pub db_ports: Vec<u16>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            require_customer_managed_keys: false,
            min_backup_retention_days: 7,
            max_backup_age_hours: 24,
            max_key_rotation_days: 90,
            admin_ports: vec![22, 3389],
            db_ports: vec![5432, 3306, 1433, 1521, 27017, 6379, 9200],
        }
    }
}
