//! One observed value of a finding's evidence ([`Observed`]): JSON, held compactly.
//!
//! A report holds millions of findings and about a quarter of them record an object (a
//! policy statement, a selection, tags). As a `serde_json::Value` each object is a B-tree
//! node of room for eleven members, 640 bytes however few it has, and each value takes 32
//! bytes. Here an object is a boxed slice of exactly its members, in the order serde_json
//! gives them (by name), an array a boxed slice of its items, and a value 24 bytes: at a
//! million resources, about a tenth of a scan's memory.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Number, Value};

/// A JSON value as a finding keeps it; converts from and to `serde_json::Value` without
/// loss, and serializes as that value does.
#[derive(Debug, Clone, PartialEq)]
pub enum Observed {
    Null,
    Bool(bool),
    Number(Number),
    String(Box<str>),
    Array(Box<[Observed]>),
    /// Members ordered by name, each name once (as a `serde_json::Map`).
    Object(Box<[(Box<str>, Observed)]>),
}

impl From<Value> for Observed {
    fn from(v: Value) -> Self {
        match v {
            Value::Null => Observed::Null,
            Value::Bool(b) => Observed::Bool(b),
            Value::Number(n) => Observed::Number(n),
            Value::String(s) => Observed::String(s.into_boxed_str()),
            Value::Array(items) => Observed::Array(items.into_iter().map(Observed::from).collect()),
            Value::Object(map) => Observed::Object(
                map.into_iter()
                    .map(|(k, v)| (k.into_boxed_str(), Observed::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<&Observed> for Value {
    fn from(o: &Observed) -> Self {
        match o {
            Observed::Null => Value::Null,
            Observed::Bool(b) => Value::Bool(*b),
            Observed::Number(n) => Value::Number(n.clone()),
            Observed::String(s) => Value::String(s.to_string()),
            Observed::Array(items) => Value::Array(items.iter().map(Value::from).collect()),
            Observed::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl Observed {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Observed::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Observed::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Observed::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Observed> {
        match self {
            Observed::Object(members) => members
                .binary_search_by(|(k, _)| k.as_ref().cmp(key))
                .ok()
                .map(|i| &members[i].1),
            _ => None,
        }
    }

    /// Empty text, array or object.
    pub fn is_empty(&self) -> bool {
        match self {
            Observed::String(s) => s.is_empty(),
            Observed::Array(items) => items.is_empty(),
            Observed::Object(members) => members.is_empty(),
            _ => false,
        }
    }
}

impl PartialEq<str> for Observed {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Observed {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

/// Equal to the value it converts to (tests, and reading a report back).
impl PartialEq<Value> for Observed {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Observed::Null, Value::Null) => true,
            (Observed::Bool(a), Value::Bool(b)) => a == b,
            (Observed::Number(a), Value::Number(b)) => a == b,
            (Observed::String(a), Value::String(b)) => **a == **b,
            (Observed::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
            }
            (Observed::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|((k, x), (l, y))| **k == **l && x == y)
            }
            _ => false,
        }
    }
}

impl Serialize for Observed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Observed::Null => s.serialize_unit(),
            Observed::Bool(b) => s.serialize_bool(*b),
            Observed::Number(n) => n.serialize(s),
            Observed::String(text) => s.serialize_str(text),
            Observed::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items.iter() {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Observed::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members.iter() {
                    map.serialize_entry(k.as_ref(), v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Observed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(Observed::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            (-1e9f64..1e9).prop_map(|f| json!(f)),
            "[a-z\"\\\\\u{7f}-\u{a0}]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map("[a-zB]{0,3}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Held compactly, a value converts back and serializes exactly as it was.
        #[test]
        fn converts_and_serializes_as_the_value_it_holds(v in json_value()) {
            let o = Observed::from(v.clone());
            prop_assert_eq!(Value::from(&o), v.clone());
            prop_assert!(o == v);
            prop_assert_eq!(serde_json::to_string(&o).unwrap(), serde_json::to_string(&v).unwrap());
            prop_assert_eq!(
                serde_json::to_string_pretty(&o).unwrap(),
                serde_json::to_string_pretty(&v).unwrap()
            );
            // Read back, as a value is (serde_json's float parsing is its own business).
            let text = serde_json::to_string(&v).unwrap();
            let back: Observed = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(back, Observed::from(serde_json::from_str::<Value>(&text).unwrap()));
        }
    }

    #[test]
    fn members_are_found_by_name() {
        let o = Observed::from(json!({"b": 1, "a": "x", "c": [true]}));
        assert_eq!(o.get("a").unwrap(), "x");
        assert_eq!(o.get("b").and_then(Observed::as_u64), Some(1));
        assert_eq!(o.get("c").unwrap(), &Observed::from(json!([true])));
        assert!(o.get("d").is_none());
        assert!(Observed::from(json!([1])).get("a").is_none());
        assert_eq!(std::mem::size_of::<Observed>(), 24);
    }
}
