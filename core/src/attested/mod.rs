//! Attested assets: hosts, disks, firewall rules and backups on platforms no phiscan
//! collector reaches (Rackspace, IBM Cloud classic / SoftLayer, on-premises), as people
//! attest them in a file (`docs/attested.md`). phiscan-checks evaluates them with the cloud
//! checks' own decisions; the report keeps them apart from observed findings
//! ([`AttestedFinding`]), so an attestation never counts as an observed PASS.

mod format;

use chrono::NaiveDate;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::check::{Severity, Status};
use crate::frameworks::hipaa::Hipaa;

pub use format::{AttestedError, AttestedFile, ATTESTED_FORMAT};

/// What kind of asset an entry attests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttestedKind {
    Host,
    Disk,
    FirewallRule,
    Backup,
}

impl AttestedKind {
    /// The TOML array of tables the kind is written in.
    /// Its name in reports (JSON `kind`, CSV `resource_kind`): kebab-case, like the serde
    /// form.
    pub fn as_str(self) -> &'static str {
        match self {
            AttestedKind::Host => "host",
            AttestedKind::Disk => "disk",
            AttestedKind::FirewallRule => "firewall-rule",
            AttestedKind::Backup => "backup",
        }
    }

    pub fn table(self) -> &'static str {
        match self {
            AttestedKind::Host => "host",
            AttestedKind::Disk => "disk",
            AttestedKind::FirewallRule => "firewall_rule",
            AttestedKind::Backup => "backup",
        }
    }
}

/// Who attested an entry, when, and in which document: shown with every verdict on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attestation {
    pub attester: String,
    pub attested_on: NaiveDate,
    pub document: String,
}

/// The attested values of an entry, by kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", untagged)]
pub enum AttestedValues {
    /// A host (all of its disks) or one disk.
    Encryption {
        encrypted: bool,
        /// With what (e.g. "LUKS2 aes-xts-plain64"); required when encrypted.
        encryption: Option<String>,
    },
    /// An inbound rule: the port ranges it opens (inclusive) to the source ranges.
    Firewall {
        ports: Vec<(u16, u16)>,
        sources: Vec<String>,
    },
    /// The newest completed backup.
    Backup {
        last_backup: chrono::DateTime<chrono::Utc>,
    },
}

/// One validated entry of an attested file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttestedEntry {
    pub kind: AttestedKind,
    /// `rackspace`, `ibm-softlayer`, `on-premises`, ...
    pub platform: String,
    pub id: String,
    /// The id when the file gives no name.
    pub name: String,
    pub values: AttestedValues,
    pub attestation: Attestation,
}

/// A rule attested entries are judged by: the decision of the cloud checks named in
/// `same_as`, applied to attested values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttestedRule {
    pub id: &'static str,
    pub title: &'static str,
    pub kinds: &'static [AttestedKind],
    pub controls: &'static [Hipaa],
    /// The cloud checks whose decision the rule shares.
    pub same_as: &'static [&'static str],
    /// The severity of those checks (phiscan-checks' tests hold it to theirs): the formats
    /// that grade a failure (SARIF, OCSF, ASFF) grade an attested one alike.
    pub severity: Severity,
    /// What to do about a FAIL, for the formats that carry a remediation.
    pub remediation: &'static str,
}

/// Every attested rule, in the order reports list them.
pub const RULES: &[AttestedRule] = &[
    AttestedRule {
        id: "attested-disk-encrypted",
        title: "Attested disks and hosts are encrypted at rest",
        kinds: &[AttestedKind::Host, AttestedKind::Disk],
        controls: &[Hipaa::EncryptionDecryption],
        same_as: &["aws-ebs-volume-encrypted", "azure-disk-encrypted"],
        severity: Severity::High,
        remediation: "Encrypt the disk or host at rest (the platform's volume encryption, or LUKS / BitLocker with keys held apart from the data), then attest it again citing the new statement.",
    },
    AttestedRule {
        id: "attested-no-public-admin-ports",
        title: "Attested firewall rules open no administrative port to the internet",
        kinds: &[AttestedKind::FirewallRule],
        controls: &[Hipaa::AccessControl, Hipaa::AccessAuthorization],
        same_as: &[
            "aws-ec2-sg-no-public-admin-ports",
            "azure-nsg-no-public-admin-ports",
        ],
        severity: Severity::Critical,
        remediation: "Restrict the rule's sources to known address ranges (a VPN or bastion) or close the administrative ports, then attest the new firewall export.",
    },
    AttestedRule {
        id: "attested-no-public-db-ports",
        title: "Attested firewall rules open no database port to the internet",
        kinds: &[AttestedKind::FirewallRule],
        controls: &[Hipaa::AccessControl, Hipaa::AccessAuthorization],
        same_as: &[
            "aws-ec2-sg-no-public-db-ports",
            "azure-nsg-no-public-db-ports",
        ],
        severity: Severity::Critical,
        remediation: "Remove the internet source from the rule so the database is reached only from the application tier or a bastion, then attest the new firewall export.",
    },
    AttestedRule {
        id: "attested-recent-backup",
        title: "Attested backups are recent",
        kinds: &[AttestedKind::Backup],
        controls: &[Hipaa::DataBackupPlan, Hipaa::DisasterRecoveryPlan],
        same_as: &["gcp-sql-instance-recent-backup"],
        severity: Severity::High,
        remediation: "Repair the backup job so it completes at least every `params.max_backup_age_hours`, then attest its newest completed run.",
    },
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static AttestedRule> {
    RULES.iter().find(|r| r.id == id)
}

/// One verdict of an attested rule on one attested entry. Its provenance is always
/// `ATTESTED`: the values come from people, not from an API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttestedFinding {
    pub rule: &'static AttestedRule,
    pub status: Status,
    pub kind: AttestedKind,
    pub platform: String,
    pub resource_id: String,
    pub resource_name: String,
    /// The attested values that decided the verdict.
    pub evidence: IndexMap<String, serde_json::Value>,
    pub reason: String,
    pub attestation: Attestation,
}

impl Serialize for AttestedRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id)
    }
}

/// The provenance label of attested findings in every format.
pub const PROVENANCE: &str = "ATTESTED";

impl AttestedFinding {
    /// "attested by X on D (document)", for the formats' one-line cells.
    pub fn attested_by(&self) -> String {
        format!(
            "attested by {} on {} ({})",
            self.attestation.attester, self.attestation.attested_on, self.attestation.document
        )
    }
}
