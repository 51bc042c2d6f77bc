//! The verdicts of a scan with one resource's detail read denied, against the same scan
//! without the fault: what changed must be that resource's findings only.

use std::collections::BTreeSet;

use serde_json::Value;

/// The findings of `faulted` on the resources `unread` picks (`target` itself, or the
/// children of `target` whose listing was denied) are replaced by one ERROR on `target` per
/// check that judged them in `base`, with a reason starting with `want`; every other finding
/// of `base` is unchanged and nothing is added (no scope-wide ERROR).
pub fn assert_only_these_became_error(
    base: &Value,
    faulted: &Value,
    unread: &dyn Fn(&str) -> bool,
    target: &str,
    want: &str,
) {
    let (before, after) = (super::verdicts(base), super::verdicts(faulted));
    let judged: BTreeSet<&String> = before
        .keys()
        .filter(|(_, id)| unread(id))
        .map(|(c, _)| c)
        .collect();
    assert!(!judged.is_empty(), "{target} was not judged: {before:?}");
    let mut others = 0;
    for (key, status) in &before {
        if !unread(&key.1) {
            assert_eq!(after.get(key), Some(status), "{key:?} changed");
            others += 1;
        }
    }
    assert!(others >= 2, "other resources judged: {others}");
    for check in &judged {
        let f = faulted["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check_id"] == ***check && f["resource"]["id"] == target)
            .unwrap_or_else(|| panic!("no finding of {check} on {target}"));
        assert_eq!(f["status"], "ERROR", "{f}");
        let reason = f["reason"].as_str().unwrap();
        assert!(reason.starts_with(want), "{reason}");
    }
    let unexpected: Vec<_> = after
        .keys()
        .filter(|k| !before.contains_key(*k) || unread(&k.1))
        .filter(|k| !(k.1 == target && judged.contains(&k.0)))
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:?}");
    assert_eq!(after.len(), others + judged.len());
}
