//! [`Tags`]: a resource's tags (AWS, Azure) or labels (GCP).

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Key -> value, sorted by key for stable output; a key appears once.
///
/// A sorted vector, not a `BTreeMap`: most resources carry one or two tags, and a map's node
/// takes 544 bytes however few it holds (in an inventory of a million resources, half of them
/// tagged, that is 270 MB of nodes). The API is the map's, for what resources need.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tags(Vec<(String, String)>);

impl Tags {
    pub fn new() -> Self {
        Tags(Vec::new())
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// Set `key` to `value`; the value it had, if any.
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The tags in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&String, &String)> + Clone {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl ExactSizeIterator<Item = &String> + Clone {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = &String> + Clone {
        self.0.iter().map(|(_, v)| v)
    }
}

/// As a map would: a key given twice keeps the later value.
impl FromIterator<(String, String)> for Tags {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut tags: Vec<(String, String)> = iter.into_iter().collect();
        // Stable: of equal keys the later stays last, and is the one kept.
        tags.sort_by(|a, b| a.0.cmp(&b.0));
        let mut kept: Vec<(String, String)> = Vec::with_capacity(tags.len());
        for (k, v) in tags {
            match kept.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => kept.push((k, v)),
            }
        }
        kept.shrink_to_fit();
        Tags(kept)
    }
}

impl<const N: usize> From<[(String, String); N]> for Tags {
    fn from(tags: [(String, String); N]) -> Self {
        tags.into_iter().collect()
    }
}

impl Extend<(String, String)> for Tags {
    fn extend<I: IntoIterator<Item = (String, String)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl IntoIterator for Tags {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Tags {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl Serialize for Tags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Tags {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Tags;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of tag values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tags, A::Error> {
                let mut tags = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some(entry) = map.next_entry::<String, String>()? {
                    tags.push(entry);
                }
                Ok(tags.into_iter().collect())
            }
        }
        d.deserialize_map(Entries)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever is inserted, removed or collected, the tags read and serialize as a
        /// `BTreeMap` given the same operations would.
        #[test]
        fn tags_behave_as_a_sorted_map(
            collected in prop::collection::vec(("[a-c]{0,2}", "[x-z]{0,2}"), 0..6),
            ops in prop::collection::vec((any::<bool>(), "[a-c]{0,2}", "[x-z]{0,2}"), 0..12),
        ) {
            let mut tags: Tags = collected.iter().cloned().collect();
            let mut map: BTreeMap<String, String> = collected.into_iter().collect();
            for (insert, k, v) in ops {
                if insert {
                    prop_assert_eq!(tags.insert(k.clone(), v.clone()), map.insert(k.clone(), v));
                } else {
                    prop_assert_eq!(tags.remove(&k), map.remove(&k));
                }
                prop_assert_eq!(tags.get(&k), map.get(&k));
                prop_assert_eq!(tags.contains_key(&k), map.contains_key(&k));
            }
            prop_assert_eq!(tags.len(), map.len());
            prop_assert!(tags.iter().eq(map.iter()));
            let json = serde_json::to_string(&tags).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&map).unwrap());
            prop_assert_eq!(serde_json::from_str::<Tags>(&json).unwrap(), tags);
        }
    }

    #[test]
    fn a_key_given_twice_keeps_the_later_value_as_a_map_does() {
        let tags: Tags = serde_json::from_str(r#"{"b": "1", "a": "2", "b": "3"}"#).unwrap();
        let map: BTreeMap<String, String> =
            serde_json::from_str(r#"{"b": "1", "a": "2", "b": "3"}"#).unwrap();
        assert!(tags.iter().eq(map.iter()));
    }

    #[test]
    fn tags_that_are_not_strings_are_refused() {
        let err = serde_json::from_str::<Tags>(r#"{"a": 1}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
    }
}
