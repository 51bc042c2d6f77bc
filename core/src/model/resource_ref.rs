use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::ResourceKind;

/// Tags (AWS, Azure) or labels (GCP): key -> value, sorted for stable output.
pub type Tags = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Aws,
    Gcp,
    Azure,
}

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::Aws, Provider::Gcp, Provider::Azure];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Gcp => "gcp",
            Provider::Azure => "azure",
        }
    }

    /// What the provider calls the unit a scan targets.
    pub fn scope_noun(self) -> &'static str {
        match self {
            Provider::Aws => "account",
            Provider::Gcp => "project",
            Provider::Azure => "subscription",
        }
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Provider {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "aws" => Ok(Provider::Aws),
            "gcp" => Ok(Provider::Gcp),
            "azure" => Ok(Provider::Azure),
            other => Err(format!(
                "unknown provider {other:?} (expected aws, gcp or azure)"
            )),
        }
    }
}

/// Identifies one resource: where it lives and what the provider calls it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceRef {
    pub provider: Provider,
    /// AWS account id, GCP project id, Azure subscription id.
    pub account: String,
    /// Region, zone or location; `global` for resources that have none.
    pub region: String,
    pub kind: ResourceKind,
    /// The provider's canonical id: AWS ARN, GCP full resource name
    /// (`//compute.googleapis.com/projects/p/zones/z/disks/d`), Azure resource id.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
}

impl ResourceRef {
    pub fn new(
        kind: ResourceKind,
        account: impl Into<String>,
        region: impl Into<String>,
        id: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        ResourceRef {
            provider: kind.provider(),
            account: account.into(),
            region: region.into(),
            kind,
            id: id.into(),
            name: name.into(),
            tags: Tags::new(),
        }
    }

    pub fn with_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }
}
