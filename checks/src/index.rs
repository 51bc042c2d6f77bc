//! Lookups of one kind's resources by key, built once per check evaluation. A check that
//! scans a kind for each resource of another (the security groups of each database) is
//! quadratic: seconds at ten thousand resources, minutes at a million.

use std::collections::HashMap;
use std::hash::Hash;

/// `items` by the key `key` gives each that has one; of two with one key, the first, as a
/// scan with `find` would return.
pub(crate) fn first_by<'a, T, K: Eq + Hash>(
    items: &'a [T],
    key: impl Fn(&'a T) -> Option<K>,
) -> HashMap<K, &'a T> {
    let mut out = HashMap::with_capacity(items.len());
    for t in items {
        if let Some(k) = key(t) {
            out.entry(k).or_insert(t);
        }
    }
    out
}

/// `items` grouped by the key `key` gives each that has one, each group in the order of
/// `items` (the trails of each account), as a scan with `filter` would list them.
pub(crate) fn all_by<'a, T, K: Eq + Hash>(
    items: &'a [T],
    key: impl Fn(&'a T) -> Option<K>,
) -> HashMap<K, Vec<&'a T>> {
    let mut out: HashMap<K, Vec<&'a T>> = HashMap::new();
    for t in items {
        if let Some(k) = key(t) {
            out.entry(k).or_default().push(t);
        }
    }
    out
}

/// The greatest value of each key over `items` (the newest snapshot of each volume), from
/// the (key, value) `entry` gives each item that has one.
pub(crate) fn greatest_by<I, K: Eq + Hash, V: Ord + Copy>(
    items: impl IntoIterator<Item = I>,
    entry: impl Fn(I) -> Option<(K, V)>,
) -> HashMap<K, V> {
    let mut out: HashMap<K, V> = HashMap::new();
    for (k, v) in items.into_iter().filter_map(entry) {
        out.entry(k)
            .and_modify(|cur| *cur = v.max(*cur))
            .or_insert(v);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_first_of_a_key_wins() {
        let items = [("a", 1), ("b", 2), ("a", 3)];
        let by = super::first_by(&items, |(k, _)| (*k != "c").then_some(*k));
        assert_eq!(by["a"].1, 1);
        assert_eq!(by["b"].1, 2);
        assert_eq!(by.len(), 2);
    }

    #[test]
    fn a_group_keeps_the_order_of_its_items() {
        let items = [("a", 1), ("b", 2), ("a", 3), ("c", 4)];
        let by = super::all_by(&items, |(k, _)| (*k != "c").then_some(*k));
        let values = |k| by[k].iter().map(|(_, v)| *v).collect::<Vec<_>>();
        assert_eq!(values("a"), [1, 3]);
        assert_eq!(values("b"), [2]);
        assert!(!by.contains_key("c"));
    }

    #[test]
    fn the_greatest_of_a_key_wins() {
        let items = [("a", 1), ("b", 2), ("a", 3), ("c", 0)];
        let by = super::greatest_by(&items, |(k, v)| (*v > 0).then_some((*k, *v)));
        assert_eq!(by["a"], 3);
        assert_eq!(by["b"], 2);
        assert!(!by.contains_key("c"));
    }
}
