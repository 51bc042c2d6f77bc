//! The observed values of a finding ([`Evidence`]): a few named values in the order the check
//! recorded them.
//!
//! A report holds a finding per check and resource, millions at scale, each with about three
//! values. An insertion-ordered hash map cost each finding its hasher, its index table and a
//! heap copy of every name; here the names are the checks' own `&'static str` (owned only when
//! read back from a report) in one vector, and a lookup scans the few entries. Each value is
//! held as an [`Observed`]: the same JSON in less room than a `serde_json::Value`.

use std::borrow::Cow;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::Observed;

/// Named observed values, in insertion order; a name appears once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence(Vec<(Cow<'static, str>, Observed)>);

impl Evidence {
    pub fn new() -> Self {
        Evidence(Vec::new())
    }

    /// Record `value` under `key`: a name recorded again keeps its place and takes the new
    /// value.
    pub fn insert(&mut self, key: impl Into<Cow<'static, str>>, value: Value) {
        let key = key.into();
        let value = Observed::from(value);
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Observed> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Observed)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_ref())
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = &Observed> {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl ExactSizeIterator<Item = &mut Observed> {
        self.0.iter_mut().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keep room for the values recorded, not for those the vector grew towards.
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

impl std::ops::Index<&str> for Evidence {
    type Output = Observed;
    /// The value under `key`; panics when there is none (tests, as with a map).
    fn index(&self, key: &str) -> &Observed {
        self.get(key)
            .unwrap_or_else(|| panic!("no evidence named {key:?}"))
    }
}

impl<K: Into<Cow<'static, str>>> FromIterator<(K, Value)> for Evidence {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let mut e = Evidence::new();
        for (k, v) in iter {
            e.insert(k, v);
        }
        e
    }
}

impl Serialize for Evidence {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k.as_ref(), v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Evidence;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of observed values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Evidence, A::Error> {
                let mut e = Evidence::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    e.insert(k, v);
                }
                Ok(e)
            }
        }
        d.deserialize_map(Entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_order_and_replaces_in_place() {
        let mut e = Evidence::new();
        e.insert("z", json!(1));
        e.insert("a", json!(2));
        e.insert("z", json!(3));
        assert_eq!(e.keys().collect::<Vec<_>>(), ["z", "a"]);
        assert_eq!(e["z"], json!(3));
        assert_eq!(e.get("missing"), None);
    }

    #[test]
    fn reads_back_what_it_writes_in_order() {
        let e: Evidence = [("b", json!(true)), ("a", json!({"x": [1, 2]}))]
            .into_iter()
            .collect();
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(text, r#"{"b":true,"a":{"x":[1,2]}}"#);
        let back: Evidence = serde_json::from_str(&text).unwrap();
        assert_eq!(back, e);
        // A repeated name in a document keeps its first place, as a map would.
        let dup: Evidence = serde_json::from_str(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(serde_json::to_string(&dup).unwrap(), r#"{"a":3,"b":2}"#);
        assert!(serde_json::from_str::<Evidence>("[1]").is_err());
    }
}
