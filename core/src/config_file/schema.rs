//! The shape of `phiscan.toml` as serde reads it: one struct per table, unknown keys refused.
//! Values that need the file's positions (check ids, regions, formats, waivers) are
//! [`Spanned`] so that validation can name the line and column.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use crate::check::Severity;
use crate::config::ParamOverrides;
use crate::scope::{Untagged, DEFAULT_VALUES};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Exit with 1 when a FAIL at or above this severity remains after waivers.
    #[serde(default)]
    pub fail_on: Option<Severity>,
    #[serde(default)]
    pub aws: AwsTargets,
    #[serde(default)]
    pub gcp: GcpTargets,
    #[serde(default)]
    pub azure: AzureTargets,
    #[serde(default)]
    pub checks: Selection,
    /// Severity per check id, replacing the check's own.
    #[serde(default)]
    pub severity: BTreeMap<Spanned<String>, Severity>,
    /// Thresholds for every check.
    #[serde(default)]
    pub params: ParamOverrides,
    /// Thresholds for one check, keyed by check id.
    #[serde(default)]
    pub check_params: BTreeMap<Spanned<String>, ParamOverrides>,
    #[serde(default)]
    pub output: Output,
    #[serde(default)]
    pub scope: ScopeSection,
    #[serde(default, rename = "waiver")]
    pub waivers: Vec<WaiverEntry>,
    pub segmentation: Option<SegmentationSection>,
    #[serde(default)]
    pub third_parties: Vec<ThirdPartyEntry>,
    #[serde(default)]
    pub organization: OrganizationSection,
}

/// `[organization]`: the organization's own identities.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationSection {
    #[serde(default)]
    pub gcp_domains: Vec<Spanned<String>>,
}

/// `[segmentation]` (issue 14): every key optional, each check names the one it lacks.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentationSection {
    pub customer_tag: Option<Spanned<String>>,
    pub bastion_tag: Option<Spanned<String>>,
    pub data_tier_tag: Option<Spanned<String>>,
    pub admin_cidrs: Option<Vec<Spanned<String>>>,
}

/// One `[[third_parties]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThirdPartyEntry {
    pub name: Spanned<String>,
    #[serde(default)]
    pub aws_accounts: Vec<Spanned<String>>,
    #[serde(default)]
    pub gcp_members: Vec<Spanned<String>>,
    #[serde(default)]
    pub azure_tenants: Vec<Spanned<String>>,
    pub access: Spanned<String>,
    pub expires: Option<Spanned<toml::value::Datetime>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsTargets {
    #[serde(default)]
    pub regions: Vec<Spanned<String>>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GcpTargets {
    #[serde(default)]
    pub projects: Vec<String>,
    #[serde(default)]
    pub folders: Vec<String>,
    #[serde(default)]
    pub organizations: Vec<String>,
    pub endpoint: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AzureTargets {
    #[serde(default)]
    pub subscriptions: Vec<String>,
    #[serde(default)]
    pub management_groups: Vec<String>,
    pub endpoint: Option<String>,
}

/// `[checks]`: ids or globs, like `--checks` / `--exclude-checks`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    #[serde(default)]
    pub include: Vec<Spanned<String>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Output {
    #[serde(default)]
    pub format: Vec<Spanned<String>>,
    pub output: Option<Spanned<PathBuf>>,
    pub output_dir: Option<Spanned<PathBuf>>,
    pub evidence: Option<Spanned<PathBuf>>,
    /// Which raw API responses to keep (`--evidence-raw`): one of
    /// [`EVIDENCE_RAW`](super::EVIDENCE_RAW).
    pub evidence_raw: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeSection {
    /// Tag / label key (default `data-classification`).
    pub key: Option<String>,
    /// The classification vocabulary (default Protected, Confidential, Internal, Public).
    pub values: Option<Vec<String>>,
    /// The classifications a scan evaluates when `--scope` is not given; empty: no scope.
    #[serde(default)]
    pub classifications: Vec<Spanned<String>>,
    #[serde(default)]
    pub untagged: Untagged,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverEntry {
    pub check: Spanned<String>,
    pub resource: Spanned<String>,
    pub justification: Spanned<String>,
    pub approver: Spanned<String>,
    pub expires: Spanned<toml::value::Date>,
}

impl ScopeSection {
    pub(super) fn vocabulary(&self) -> Vec<String> {
        match &self.values {
            Some(v) => v.clone(),
            None => DEFAULT_VALUES.iter().map(|s| s.to_string()).collect(),
        }
    }
}
