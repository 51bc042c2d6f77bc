//! Configuration that checks read: thresholds and demands a check's verdict depends on.
//! What is decided about findings afterwards (scope, waivers, severity) is
//! [`crate::policy::Policy`], which checks never see.
//!
//! The `phiscan.toml` file (targets, selection, waivers, ...) is parsed and validated by
//! [`crate::config_file`], which builds this [`Config`] from it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod organization;
mod range;
mod segmentation;
pub use organization::{is_domain, Organization};
pub use range::RANGES as PARAM_RANGES;
pub use segmentation::{
    Access, Admission, External, Missing, Partners, Segmentation, TagMatch, ThirdParty, TAG_SYNTAX,
};

use crate::network::ports::{ports_of, PortUse};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub params: Params,
    /// Per-check parameter overrides (a policy profile's "backups at most 24 hours old"),
    /// keyed by check id; they win over `params` for that check only.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub check_params: BTreeMap<String, ParamOverrides>,
    /// `[segmentation]`; `None`: the file has no such table (the segmentation checks are
    /// NOT_APPLICABLE, naming the missing setting).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segmentation: Option<Segmentation>,
    /// `[[third_parties]]`: the partner list; empty: every external principal is a finding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub third_parties: Vec<ThirdParty>,
    /// `[organization]`: the organization's own identities (GCP domains).
    #[serde(skip_serializing_if = "Organization::is_empty")]
    pub organization: Organization,
}

impl Config {
    /// `[segmentation]`, empty when the file has none: its accessors
    /// (`bastion_tag()`, ...) name the missing setting either way.
    pub fn segmentation(&self) -> &Segmentation {
        static NONE: Segmentation = Segmentation {
            customer_tag: None,
            bastion_tag: None,
            data_tier_tag: None,
            admin_cidrs: None,
        };
        self.segmentation.as_ref().unwrap_or(&NONE)
    }

    pub fn partners(&self) -> Partners<'_> {
        Partners(&self.third_parties)
    }

    /// The configuration one check sees: `params` with that check's overrides applied.
    pub fn for_check(&self, check_id: &str) -> Cow<'_, Config> {
        match self.check_params.get(check_id) {
            None => Cow::Borrowed(self),
            Some(o) => {
                let mut c = self.clone();
                c.params = c.params.with(o);
                Cow::Owned(c)
            }
        }
    }
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
    /// Minimum automated-backup retention for databases and caches (ElastiCache), in days.
    pub min_backup_retention_days: i32,
    /// Maximum age of the newest backup of an ePHI volume or database, in hours.
    pub max_backup_age_hours: i64,
    /// Maximum KMS key rotation period, in days.
    pub max_key_rotation_days: i64,
    /// Administrative ports that must not be open to the internet.
    pub admin_ports: Vec<u16>,
    /// Database ports that must not be open to the internet.
    pub db_ports: Vec<u16>,
    // ---- IAM, logs, certificates (issue 4, part B) ----
    /// Minimum retention of CloudWatch log groups and GCP log buckets, in days (HIPAA documentation is kept six
    /// years, 164.316(b)(2)(i); a year of online logs is the usual audit ask). A group whose
    /// events never expire passes.
    pub min_log_retention_days: i32,
    /// A certificate expiring within this many days fails (an expired one always fails).
    pub cert_expiry_days: i64,
    /// Minimum IAM password length.
    pub min_password_length: i32,
    /// Passwords remembered by the IAM password policy (`PasswordReusePrevention`); 0: no demand.
    pub password_reuse_prevention: i32,
    /// Maximum password age the IAM password policy must enforce, in days; 0: no demand
    /// (NIST SP 800-63B advises against forced periodic changes).
    pub max_password_age_days: i32,
    /// Demand upper case, lower case, numbers and symbols in IAM passwords.
    pub password_require_character_classes: bool,
    /// Maximum age of an enabled user-managed GCP service account key, in days (CIS GCP
    /// 1.7 rotates them within 90).
    pub max_sa_key_age_days: i64,
    // ---- identity hygiene (issue 17) ----
    /// Maximum age of an active IAM access key, in days (rotate at least this often).
    pub max_access_key_age_days: i64,
    /// A console password or active access key unused for longer than this many days (or
    /// never used and older) is an unused credential.
    pub max_unused_credential_days: i64,
    // ---- Azure data services and RBAC (issue 18) ----
    /// Minimum retention of Cosmos DB periodic backups, in hours (continuous backup passes).
    pub min_cosmos_backup_retention_hours: i32,
    /// Most Owner role assignments a subscription may have (assigned on it or inherited).
    pub max_subscription_owners: i32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            require_customer_managed_keys: false,
            min_backup_retention_days: 7,
            max_backup_age_hours: 24,
            max_key_rotation_days: 90,
            admin_ports: ports_of(PortUse::Admin),
            db_ports: ports_of(PortUse::Database),
            min_log_retention_days: 365,
            cert_expiry_days: 30,
            min_password_length: 14,
            password_reuse_prevention: 24,
            max_password_age_days: 0,
            password_require_character_classes: true,
            max_sa_key_age_days: 90,
            max_access_key_age_days: 90,
            max_unused_credential_days: 90,
            min_cosmos_backup_retention_hours: 168,
            max_subscription_owners: 3,
        }
    }
}

/// A partial [`Params`]: the fields a profile or config sets, the rest unset. Numbers are
/// checked against [`PARAM_RANGES`] as they are read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamOverrides {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_customer_managed_keys: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "range::min_backup_retention_days"
    )]
    pub min_backup_retention_days: Option<i32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "range::max_backup_age_hours"
    )]
    pub max_backup_age_hours: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "range::max_key_rotation_days"
    )]
    pub max_key_rotation_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_ports: Option<Vec<u16>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_ports: Option<Vec<u16>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "range::min_log_retention_days"
    )]
    pub min_log_retention_days: Option<i32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "range::cert_expiry_days"
    )]
    pub cert_expiry_days: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "range::min_password_length"
    )]
    pub min_password_length: Option<i32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "range::password_reuse_prevention"
    )]
    pub password_reuse_prevention: Option<i32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "range::max_password_age_days"
    )]
    pub max_password_age_days: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_require_character_classes: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "range::max_sa_key_age_days"
    )]
    pub max_sa_key_age_days: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "range::max_access_key_age_days"
    )]
    pub max_access_key_age_days: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "range::max_unused_credential_days"
    )]
    pub max_unused_credential_days: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "range::min_cosmos_backup_retention_hours"
    )]
    pub min_cosmos_backup_retention_hours: Option<i32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "range::max_subscription_owners"
    )]
    pub max_subscription_owners: Option<i32>,
}

impl Params {
    /// These parameters with `o`'s set fields applied.
    pub fn with(&self, o: &ParamOverrides) -> Params {
        let mut p = self.clone();
        if let Some(v) = o.require_customer_managed_keys {
            p.require_customer_managed_keys = v;
        }
        if let Some(v) = o.min_backup_retention_days {
            p.min_backup_retention_days = v;
        }
        if let Some(v) = o.max_backup_age_hours {
            p.max_backup_age_hours = v;
        }
        if let Some(v) = o.max_key_rotation_days {
            p.max_key_rotation_days = v;
        }
        if let Some(v) = &o.admin_ports {
            p.admin_ports = v.clone();
        }
        if let Some(v) = &o.db_ports {
            p.db_ports = v.clone();
        }
        if let Some(v) = o.min_log_retention_days {
            p.min_log_retention_days = v;
        }
        if let Some(v) = o.cert_expiry_days {
            p.cert_expiry_days = v;
        }
        if let Some(v) = o.min_password_length {
            p.min_password_length = v;
        }
        if let Some(v) = o.password_reuse_prevention {
            p.password_reuse_prevention = v;
        }
        if let Some(v) = o.max_password_age_days {
            p.max_password_age_days = v;
        }
        if let Some(v) = o.password_require_character_classes {
            p.password_require_character_classes = v;
        }
        if let Some(v) = o.max_sa_key_age_days {
            p.max_sa_key_age_days = v;
        }
        if let Some(v) = o.max_access_key_age_days {
            p.max_access_key_age_days = v;
        }
        if let Some(v) = o.max_unused_credential_days {
            p.max_unused_credential_days = v;
        }
        if let Some(v) = o.min_cosmos_backup_retention_hours {
            p.min_cosmos_backup_retention_hours = v;
        }
        if let Some(v) = o.max_subscription_owners {
            p.max_subscription_owners = v;
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_apply_to_their_check_only() {
        let mut c = Config::default();
        c.check_params.insert(
            "x".into(),
            ParamOverrides {
                min_backup_retention_days: Some(35),
                ..Default::default()
            },
        );
        assert_eq!(c.for_check("x").params.min_backup_retention_days, 35);
        assert_eq!(c.for_check("x").params.max_backup_age_hours, 24);
        assert_eq!(c.for_check("y").params.min_backup_retention_days, 7);
    }
}
