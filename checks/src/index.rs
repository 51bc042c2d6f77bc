//! Lookups of one kind's resources by key, built once per check evaluation. A check that
//! scans a kind for each resource of another (the security groups of each database) is
//! quadratic: seconds at ten thousand resources, minutes at a million.

use std::collections::HashMap;
use std::hash::Hash;

/// `items` by `key`; of two with one key, the first, as a scan with `find` would return.
pub(crate) fn first_by<'a, T, K: Eq + Hash>(
    items: &'a [T],
    key: impl Fn(&'a T) -> K,
) -> HashMap<K, &'a T> {
    let mut out = HashMap::with_capacity(items.len());
    for t in items {
        out.entry(key(t)).or_insert(t);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_first_of_a_key_wins() {
        let items = [("a", 1), ("b", 2), ("a", 3)];
        let by = super::first_by(&items, |(k, _)| *k);
        assert_eq!(by["a"].1, 1);
        assert_eq!(by["b"].1, 2);
        assert_eq!(by.len(), 2);
    }
}
