//! The JSON trees the redactor walks in place ([`Tree`]): API bodies, raw records and
//! reports as `serde_json::Value`, findings' evidence as the compact
//! [`Observed`](phiscan_core::check::Observed). One walk (`Redactor::value`) serves both.

use phiscan_core::check::Observed;
use serde_json::Value;

/// A JSON value as the redactor sees it.
pub trait Tree: Sized {
    /// A string value.
    fn text(s: String) -> Self;
    fn as_str(&self) -> Option<&str>;
    /// A non-empty string, array or object: what a secret's name may not hold.
    fn is_filled(&self) -> bool;
    /// The members of an object; `None` for any other value.
    fn members(&mut self) -> Option<impl Iterator<Item = (&str, &mut Self)>>;
    /// The items of an array; `None` for any other value.
    fn items(&mut self) -> Option<&mut [Self]>;
}

impl Tree for Value {
    fn text(s: String) -> Self {
        Value::String(s)
    }
    fn as_str(&self) -> Option<&str> {
        Value::as_str(self)
    }
    fn is_filled(&self) -> bool {
        match self {
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
            _ => false,
        }
    }
    fn members(&mut self) -> Option<impl Iterator<Item = (&str, &mut Self)>> {
        match self {
            Value::Object(map) => Some(map.iter_mut().map(|(k, v)| (k.as_str(), v))),
            _ => None,
        }
    }
    fn items(&mut self) -> Option<&mut [Self]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }
}

impl Tree for Observed {
    fn text(s: String) -> Self {
        Observed::String(s.into_boxed_str())
    }
    fn as_str(&self) -> Option<&str> {
        Observed::as_str(self)
    }
    fn is_filled(&self) -> bool {
        matches!(
            self,
            Observed::String(_) | Observed::Array(_) | Observed::Object(_)
        ) && !self.is_empty()
    }
    fn members(&mut self) -> Option<impl Iterator<Item = (&str, &mut Self)>> {
        match self {
            Observed::Object(members) => Some(members.iter_mut().map(|(k, v)| (&**k, v))),
            _ => None,
        }
    }
    fn items(&mut self) -> Option<&mut [Self]> {
        match self {
            Observed::Array(items) => Some(items),
            _ => None,
        }
    }
}
