//! Check selection: `--checks`, `--exclude-checks` and `[checks]` patterns (ids or globs)
//! against the registry, with a "did you mean" for a mistyped id.

use std::collections::BTreeSet;

use globset::{GlobSet, GlobSetBuilder};

use crate::check::Check;
use crate::model::Provider;
use crate::quote::quote;

/// Why a check selection was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SelectError {
    #[error("unknown check id {}{hint} (see `phiscan checks list`)", quote(.id))]
    UnknownCheck { id: String, hint: String },
    #[error("check pattern {} matches no check (see `phiscan checks list`)", quote(.pattern))]
    NoMatch { pattern: String },
    #[error("invalid check pattern {}: {message}", quote(.pattern))]
    BadPattern { pattern: String, message: String },
    #[error("the selection leaves no check to run")]
    Empty,
}

fn is_glob(p: &str) -> bool {
    p.contains(['*', '?', '[', '{'])
}

fn glob_set(patterns: &[String], registry: &[&'static dyn Check]) -> Result<GlobSet, SelectError> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let glob = crate::glob::glob(p).map_err(|e| SelectError::BadPattern {
            pattern: p.clone(),
            message: e.why,
        })?;
        let single = glob.compile_matcher();
        if !registry.iter().any(|c| single.is_match(c.meta().id)) {
            return Err(if is_glob(p) {
                SelectError::NoMatch { pattern: p.clone() }
            } else {
                SelectError::UnknownCheck {
                    id: p.clone(),
                    hint: did_you_mean(p, registry),
                }
            });
        }
        b.add(glob);
    }
    b.build().map_err(|e| SelectError::BadPattern {
        pattern: patterns.join(","),
        message: e.to_string(),
    })
}

/// The most edits between a mistyped id and the id suggested for it.
const MAX_SUGGESTION_DISTANCE: usize = 4;

/// " (did you mean \"x\"?)" when a registered id is close to `id`, else empty.
pub fn did_you_mean(id: &str, registry: &[&'static dyn Check]) -> String {
    // The distance is at least the difference in length, so a candidate whose length is
    // further off than the cut-off is skipped unmeasured: the cost stays bounded by the
    // registry's id lengths however long `id` is.
    let len = id.chars().count();
    let best = registry
        .iter()
        .map(|c| c.meta().id)
        .filter(|cand| cand.chars().count().abs_diff(len) <= MAX_SUGGESTION_DISTANCE)
        .map(|cand| (edit_distance(id, cand), cand))
        .min();
    match best {
        Some((d, cand)) if d <= MAX_SUGGESTION_DISTANCE => format!(" (did you mean {cand:?}?)"),
        _ => String::new(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The checks to run: those of `providers`, matching any `include` pattern (all when empty),
/// matching no `exclude` pattern. Patterns are ids or globs (`aws-s3-*`); a pattern that
/// matches no registered check is an error, so a typo never silently narrows a scan.
pub fn select(
    registry: &[&'static dyn Check],
    providers: &BTreeSet<Provider>,
    include: &[String],
    exclude: &[String],
) -> Result<Vec<&'static dyn Check>, SelectError> {
    let inc = glob_set(include, registry)?;
    let exc = glob_set(exclude, registry)?;
    let picked: Vec<&'static dyn Check> = registry
        .iter()
        .copied()
        .filter(|c| providers.contains(&c.meta().provider))
        .filter(|c| include.is_empty() || inc.is_match(c.meta().id))
        .filter(|c| !exc.is_match(c.meta().id))
        .collect();
    if picked.is_empty() {
        return Err(SelectError::Empty);
    }
    Ok(picked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tests::Vols;

    #[test]
    fn selection_by_id_glob_and_exclusion() {
        let reg: Vec<&'static dyn Check> = vec![&Vols];
        let all: BTreeSet<Provider> = Provider::ALL.into_iter().collect();
        assert_eq!(select(&reg, &all, &[], &[]).unwrap().len(), 1);
        assert_eq!(select(&reg, &all, &["t-*".into()], &[]).unwrap().len(), 1);
        assert_eq!(
            select(&reg, &all, &[], &["t-vols".into()]).err(),
            Some(SelectError::Empty)
        );
        let err = select(&reg, &all, &["t-volz".into()], &[])
            .err()
            .expect("refused");
        assert!(err.to_string().contains("did you mean \"t-vols\""), "{err}");
        assert!(matches!(
            select(&reg, &all, &["x-*".into()], &[]),
            Err(SelectError::NoMatch { .. })
        ));
    }

    #[test]
    fn the_suggestion_is_quick_for_an_id_of_any_length() {
        let reg: Vec<&'static dyn Check> = vec![&Vols];
        let long = "t".repeat(3_000_000);
        let started = std::time::Instant::now();
        assert_eq!(did_you_mean(&long, &reg), "");
        assert!(started.elapsed() < std::time::Duration::from_millis(500));
        assert_eq!(
            did_you_mean("t-volsxx", &reg),
            " (did you mean \"t-vols\"?)"
        );
    }
}
