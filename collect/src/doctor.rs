//! `phiscan doctor`: what a scan would run into, found before the scan. Who the credential
//! is, which accounts, projects or subscriptions (and regions) it sees, and for each resource
//! kind the selected checks read, one cheap read-only probe: the first page, at the smallest
//! page size, of the list call the kind's collector starts with.
//!
//! Each cloud's probes live beside its collectors (`providers/<cloud>/doctor.rs`) and use the
//! collectors' own clients, credentials and endpoint options, so a probe fails exactly where
//! the scan's first call would. This module holds what they report: one [`Diagnosis`].
//!
//! A probe proves the list call, not every detail read the collector makes after it (a
//! bucket's policy, a key's rotation): one call per kind keeps the doctor cheap, and the
//! list call is the one whose denial blinds a whole kind.

use serde::Serialize;

use crate::model::{ApiCall, Provider, ResourceKind, Scope};

/// What one probe found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProbeStatus {
    /// The call answered: a scan can read this kind here.
    Ok,
    /// The credential lacks the permission ([`Probe::permission`]).
    Denied,
    /// The API (GCP) or resource provider (Azure) is not enabled where the probe ran.
    ApiDisabled,
    /// Anything else (throttled past retries, unreachable, not implemented by the endpoint).
    Error,
}

impl ProbeStatus {
    /// The word the table shows.
    pub fn label(self) -> &'static str {
        match self {
            ProbeStatus::Ok => "OK",
            ProbeStatus::Denied => "DENIED",
            ProbeStatus::ApiDisabled => "API DISABLED",
            ProbeStatus::Error => "ERROR",
        }
    }
}

/// One probe: a kind's list call in one scope (and region).
#[derive(Debug, Clone, Serialize)]
pub struct Probe {
    /// The AWS account, GCP project or Azure subscription.
    pub scope: String,
    /// The region probed; `None` for calls that are not regional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub kind: ResourceKind,
    /// What was called: `ec2:DescribeVolumes`, `compute.disks.aggregatedList`, `Disks_List`.
    pub operation: String,
    /// What authorizes the call: the IAM action, GCP permission or Azure action.
    pub permission: String,
    /// Roles that grant [`Probe::permission`] (GCP, Azure), broadest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    pub status: ProbeStatus,
    /// Why the probe failed, in the words the scan's ERROR would use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The command that enables a disabled API or registers a resource provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable: Option<String>,
}

/// A labelled fact about the credential (`caller`, `account`, `credential source`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

impl Fact {
    pub fn new(label: &str, value: impl Into<String>) -> Fact {
        Fact {
            label: label.to_string(),
            value: value.into(),
        }
    }
}

/// Everything `phiscan doctor` found for one cloud.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub provider: Provider,
    /// Who the credential is, as far as the cloud says (never a secret).
    pub identity: Vec<Fact>,
    /// The accounts, projects or subscriptions a scan would cover, with their regions.
    pub scopes: Vec<Scope>,
    pub probes: Vec<Probe>,
    /// Every HTTP attempt the probes made.
    pub api_calls: Vec<ApiCall>,
}

impl Diagnosis {
    /// Whether everything a scan needs is readable.
    pub fn all_ok(&self) -> bool {
        self.probes.iter().all(|p| p.status == ProbeStatus::Ok)
    }

    /// Probes in a stable order: scope, kind, region.
    pub fn sort(&mut self) {
        self.probes.sort_by(|a, b| {
            (&a.scope, a.kind, &a.region, &a.operation).cmp(&(
                &b.scope,
                b.kind,
                &b.region,
                &b.operation,
            ))
        });
    }
}
