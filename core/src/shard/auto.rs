//! `--shard auto/N`: the shard of a pod of a Kubernetes Indexed Job.

use super::{Shard, MAX_SHARDS};
use crate::quote::quote;

/// The environment variable Kubernetes sets in each pod of an Indexed Job: the pod's
/// completion index, 0-based (0..completions-1).
pub const COMPLETION_INDEX_VAR: &str = "JOB_COMPLETION_INDEX";

impl Shard {
    /// `--shard I/N`, or `--shard auto/N`: then the index is the Indexed Job's completion
    /// index (`index`, the value of [`COMPLETION_INDEX_VAR`], 0-based) plus one. Pure: the
    /// caller reads the environment, so a pod with the variable missing or out of range gets
    /// a usage error instead of silently scanning shard 1 (another pod's share).
    pub fn parse_with_index(s: &str, index: Option<&str>) -> Result<Shard, String> {
        let Some(n) = s.trim().strip_prefix("auto/") else {
            return s.parse();
        };
        let count: u32 = n
            .trim()
            .parse()
            .ok()
            .filter(|&c| (1..=MAX_SHARDS).contains(&c))
            .ok_or_else(|| {
                format!(
                    "{} is not a shard: write auto/N with 1 <= N <= {MAX_SHARDS} (e.g. auto/4)",
                    quote(s)
                )
            })?;
        let Some(raw) = index else {
            return Err(format!(
                "--shard auto/{count} takes the shard from {COMPLETION_INDEX_VAR} (set by a \
                 Kubernetes Indexed Job), which is not set; outside such a Job write I/N"
            ));
        };
        raw.trim()
            .parse::<u32>()
            .ok()
            .filter(|&i| i < count)
            .map(|i| Shard {
                index: i + 1,
                count,
            })
            .ok_or_else(|| {
                format!(
                    "--shard auto/{count}: {COMPLETION_INDEX_VAR}={} is not a completion index \
                     of {count} shards (a number from 0 to {}); the Job's completions must be {count}",
                    quote(raw),
                    count - 1
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_takes_the_index_from_the_completion_index() {
        let auto = |s: &str, i: Option<&str>| Shard::parse_with_index(s, i);
        // 0-based completion index, 1-based shard.
        assert_eq!(auto("auto/4", Some("0")), Ok(Shard { index: 1, count: 4 }));
        assert_eq!(auto("auto/4", Some("3")), Ok(Shard { index: 4, count: 4 }));
        // I/N ignores the variable.
        assert_eq!(auto("2/4", Some("0")), Ok(Shard { index: 2, count: 4 }));
        assert!(auto("auto/4", None)
            .unwrap_err()
            .contains("JOB_COMPLETION_INDEX"));
        for bad in ["4", "-1", "x", "", "1.0"] {
            let e = auto("auto/4", Some(bad)).unwrap_err();
            assert!(e.contains("0 to 3"), "{bad}: {e}");
        }
        for bad in ["auto/0", "auto/x", "auto/", "auto/10001"] {
            let e = auto(bad, Some("0")).unwrap_err();
            assert!(e.contains("auto/N"), "{bad}: {e}");
        }
    }
}
