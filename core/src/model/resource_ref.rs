use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub use super::tags::Tags;
use super::ResourceKind;

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
///
/// Shared, not copied: every finding on a resource names it, and a scan of a million
/// resources makes millions of findings, so a clone is one reference count (the inventory's
/// record and all its findings point at the same [`ResourceFields`]). Fields read through
/// `Deref` (`r.id`); writing one (`r.tags.insert(..)`) gives this reference its own copy
/// first, so a change never shows through another reference.
#[derive(Clone, PartialEq, Eq)]
pub struct ResourceRef(Arc<ResourceFields>);

/// What a [`ResourceRef`] holds; its JSON form is the reference's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceFields {
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

impl std::ops::Deref for ResourceRef {
    type Target = ResourceFields;
    fn deref(&self) -> &ResourceFields {
        &self.0
    }
}

impl std::ops::DerefMut for ResourceRef {
    fn deref_mut(&mut self) -> &mut ResourceFields {
        Arc::make_mut(&mut self.0)
    }
}

impl From<ResourceFields> for ResourceRef {
    fn from(fields: ResourceFields) -> Self {
        ResourceRef(Arc::new(fields))
    }
}

impl std::fmt::Debug for ResourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for ResourceRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for ResourceRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ResourceFields::deserialize(d).map(ResourceRef::from)
    }
}

impl ResourceRef {
    pub fn new(
        kind: ResourceKind,
        account: impl Into<String>,
        region: impl Into<String>,
        id: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        ResourceRef::from(ResourceFields {
            provider: kind.provider(),
            account: account.into(),
            region: region.into(),
            kind,
            id: id.into(),
            name: name.into(),
            tags: Tags::new(),
        })
    }

    /// Whether `self` and `other` are the same shared record (not merely equal).
    /// The address of the shared fields: equal for references that [`shares`](Self::shares)
    /// one record, for caches keyed by it (which must hold a clone, so the address is not
    /// reused while the key is).
    pub fn address(&self) -> usize {
        Arc::as_ptr(&self.0) as usize
    }

    pub fn shares(&self, other: &ResourceRef) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    pub fn with_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }
}
