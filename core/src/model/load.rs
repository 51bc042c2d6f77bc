//! Loading a saved inventory on every core.
//!
//! A saved inventory is one JSON object with a list per kind. Its top level is read first,
//! each member kept as the text it spans (`serde_json`'s `RawValue`, no copy); then every
//! member is parsed on its own, in parallel ([`Fill`]). A kind's list parsed from its own text
//! is the value the whole-text parse gives it, so the result is the same inventory.
//!
//! Only valid inventories take this path. When any part does not parse, the caller parses
//! the whole text again, as before: that parse names the error and its line and column in
//! the file, which a part's parse could only give relative to the part.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::Inventory;

/// One member of the inventory's top level as its text; `None` when absent. Not an
/// `Option<&RawValue>`, which would read `null` as absent where the inventory's own parse
/// refuses it.
#[derive(Clone, Copy, Default)]
pub(super) struct Part<'a>(Option<&'a RawValue>);

impl<'de: 'a, 'a> Deserialize<'de> for Part<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'a RawValue>::deserialize(d).map(|raw| Part(Some(raw)))
    }
}

impl Part<'_> {
    pub(super) fn is_present(self) -> bool {
        self.0.is_some()
    }

    /// A member that may be absent (`Default` then); `None` when it does not parse.
    pub(super) fn parse_or_default<T: DeserializeOwned + Default>(self) -> Option<T> {
        match self.0 {
            Some(raw) => serde_json::from_str(raw.get()).ok(),
            None => Some(T::default()),
        }
    }
}

/// Parses parts into their places on a rayon scope, and remembers whether any failed.
pub(super) struct Fill<'p, 's> {
    scope: &'p rayon::Scope<'s>,
    failed: &'s AtomicBool,
}

impl<'p, 's> Fill<'p, 's> {
    pub(super) fn new(scope: &'p rayon::Scope<'s>, failed: &'s AtomicBool) -> Self {
        Fill { scope, failed }
    }

    /// Parse a list into `slot` on the next free core; an absent list stays empty.
    pub(super) fn list<T: DeserializeOwned + Send + 's>(
        &self,
        part: Part<'s>,
        slot: &'s mut Vec<T>,
    ) {
        let Some(raw) = part.0 else { return };
        let failed = self.failed;
        self.scope
            .spawn(move |_| match serde_json::from_str(raw.get()) {
                Ok(list) => *slot = list,
                Err(_) => failed.store(true, Ordering::Relaxed),
            });
    }
}

impl Inventory {
    /// The inventory in `text`, its parts parsed in parallel; `None` when the text is not a
    /// valid inventory (the caller's whole-text parse then says why and where).
    pub(super) fn parse_in_parallel(text: &str) -> Option<Inventory> {
        let parts: super::TopLevel<'_> = serde_json::from_str(text).ok()?;
        Inventory::from_parts(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small inventory with a scope, a failed collection and two kinds.
    fn demo() -> String {
        use crate::model::{aws, CollectionError, Provider, ResourceKind, ResourceRef, Scope};
        let account = "111122223333";
        let r = |kind, id: &str| ResourceRef::new(kind, account, "us-east-1", id, id);
        let mut inv = Inventory::new();
        inv.scopes.push(Scope {
            provider: Provider::Aws,
            account: account.into(),
            name: None,
            regions: vec!["us-east-1".into()],
            identity: None,
        });
        inv.collected_at = Some(chrono::DateTime::UNIX_EPOCH);
        inv.errors.push(CollectionError {
            provider: Provider::Aws,
            account: account.into(),
            region: None,
            kind: ResourceKind::AwsKmsKey,
            resource: None,
            operation: None,
            reason: "AccessDenied".into(),
        });
        for id in ["vpc-1", "vpc-2"] {
            inv.aws_vpcs.push(aws::Vpc {
                resource: r(ResourceKind::AwsVpc, id),
                vpc_id: id.into(),
                is_default: false,
                flow_logs: vec![],
                cidr_blocks: vec!["10.0.0.0/16".into()],
            });
        }
        inv.aws_iam_root_accounts.push(
            serde_json::from_value(serde_json::json!({
                "resource": r(ResourceKind::AwsIamRootAccount, "root"),
            }))
            .expect("a root account with nothing observed"),
        );
        inv.to_json()
    }

    #[test]
    fn a_valid_inventory_is_parsed_in_parallel_into_what_the_whole_parse_gives() {
        let text = demo();
        let whole: Inventory = serde_json::from_str(&text).unwrap();
        let parallel = Inventory::parse_in_parallel(&text).expect("parsed in parallel");
        assert_eq!(parallel, whole);
        assert_eq!(parallel.aws_vpcs.len(), 2);
    }

    #[test]
    fn what_the_whole_parse_refuses_is_not_parsed_in_parallel() {
        let text = demo();
        let broken = [
            // null where a list belongs, a list that does not parse, a duplicate member,
            // an unknown member, a missing required member, trailing text
            text.replacen("\"scopes\":", "\"raw_responses\": null, \"scopes\":", 1),
            text.replacen("\"vpc-2\"", "2", 1),
            text.replacen("\"scopes\":", "\"aws_vpcs\": [], \"scopes\":", 1),
            text.replacen("\"scopes\":", "\"aws_bogus\": [], \"scopes\":", 1),
            text.replacen("\"format\":", "\"collection_started_at\":", 1),
            text.replacen("\"scopes\":", "\"collected_at\": 3, \"scopes\":", 1),
            format!("{text} {{}}"),
        ];
        for (i, b) in broken.iter().enumerate() {
            assert_ne!(b, &text, "case {i} changed nothing");
            assert!(serde_json::from_str::<Inventory>(b).is_err(), "case {i}");
            assert!(Inventory::parse_in_parallel(b).is_none(), "case {i}");
        }
    }
}
