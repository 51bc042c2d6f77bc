//! The parts every ARM resource shares (`id`, `name`, `location`, `tags`, `properties`), and
//! the conversion to a [`ResourceRef`]. Models are lenient on purpose: every field has a
//! default and unknown fields are ignored, so a property ARM omits becomes `None` (which the
//! checks judge explicitly) instead of a failed scan.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::{ResourceKind, ResourceRef};

/// A tracked ARM resource with typed `properties`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Item<P: Default> {
    pub id: String,
    pub name: String,
    pub location: Option<String>,
    pub tags: Option<BTreeMap<String, String>>,
    #[serde(rename = "managedBy")]
    pub managed_by: Option<String>,
    /// The resource's `kind` (`app`, `functionapp`, `GlobalDocumentDB`, ...).
    pub kind: Option<String>,
    pub properties: P,
}

/// `{"id": "..."}`: how ARM points at another resource.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct IdRef {
    pub id: Option<String>,
}

/// ARM's canonical location name: `West US` and `westus` are the same location.
pub fn location(raw: Option<&str>) -> String {
    match raw {
        Some(l) if !l.trim().is_empty() => l
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase(),
        _ => "global".to_string(),
    }
}

impl<P: Default> Item<P> {
    pub fn location(&self) -> String {
        location(self.location.as_deref())
    }

    pub fn resource(&self, kind: ResourceKind, subscription: &str) -> ResourceRef {
        let mut r = ResourceRef::new(kind, subscription, self.location(), &self.id, &self.name);
        r.tags = self.tags.clone().unwrap_or_default().into_iter().collect();
        r
    }

    /// The ref of a settings sub-resource of this one (`/blobServices/default`): its own ARM
    /// id (`{id}{suffix}`), so that no two kinds share an id, with this resource's name,
    /// location and tags (the classification of what it protects).
    pub fn sub_resource(
        &self,
        kind: ResourceKind,
        subscription: &str,
        suffix: &str,
    ) -> ResourceRef {
        let mut r = self.resource(kind, subscription);
        r.id = format!("{}{suffix}", self.id);
        r
    }
}

/// Whether two ARM ids name the same resource.
pub fn same_id(a: &str, b: &str) -> bool {
    // ARM ids are case-insensitive; services return them with their own casing.
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_canonical_and_items_tolerate_missing_fields() {
        assert_eq!(location(Some("West US")), "westus");
        assert_eq!(location(None), "global");
        #[derive(Debug, Default, Deserialize)]
        struct P {
            #[serde(default)]
            x: Option<bool>,
        }
        let item: Item<P> = serde_json::from_str(
            r#"{"id": "/a", "name": "n", "unknown": 1, "properties": {"y": 2}}"#,
        )
        .unwrap();
        assert_eq!((item.id.as_str(), item.properties.x), ("/a", None));
        assert!(same_id("/Subscriptions/S/a", "/subscriptions/s/A/"));
    }
}
