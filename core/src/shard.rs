//! `--shard I/N`: split a scan's targets (AWS account x region, GCP projects, Azure
//! subscriptions) over N parallel jobs so that together they cover every target exactly once.
//!
//! A target belongs to shard `1 + (first 8 bytes of SHA-256(target id)) mod N`. The
//! assignment depends on the target id alone: not on the order the API lists targets in, on
//! the other targets, or on the machine, so jobs that discover slightly different target
//! lists (a project created mid-run) still never scan one target twice. The price is that
//! small estates can split unevenly (two projects may land in the same shard).
//!
//! Target ids: `aws/<account>/<region>` (an AWS scope without regions: `aws/<account>`),
//! `gcp/<project>`, `azure/<subscription>` (lowercase). AWS data that belongs to the account
//! rather than to a region (`"global"` resources, such as the S3 account public access block)
//! goes with the account's alphabetically first region in scope, so exactly one shard has it.
//!
//! `--shard auto/N` takes I from a Kubernetes Indexed Job's completion index (`shard/auto.rs`).

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{Inventory, Provider, ResourceKind, ResourceRef};

mod auto;
pub use auto::COMPLETION_INDEX_VAR;

/// The most shards a scan is split into. Why a cap: `merge` names every missing shard and
/// walks 1..=N, so a report claiming 2^32 shards must be refused where it is read, not after
/// gigabytes of names; ten thousand parallel jobs is beyond any CI.
pub const MAX_SHARDS: u32 = 10_000;

/// One shard of N, 1-based, 1 <= N <= [`MAX_SHARDS`] (checked when parsed or read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "ShardFields")]
pub struct Shard {
    /// 1..=count.
    pub index: u32,
    pub count: u32,
}

/// A [`Shard`] as JSON holds it, before its bounds are checked.
#[derive(Deserialize)]
struct ShardFields {
    index: u32,
    count: u32,
}

impl TryFrom<ShardFields> for Shard {
    type Error = String;

    fn try_from(f: ShardFields) -> Result<Shard, String> {
        Shard::new(f.index, f.count).ok_or_else(|| {
            format!(
                "shard {}/{} is not a shard: 1 <= index <= count <= {MAX_SHARDS}",
                f.index, f.count
            )
        })
    }
}

impl Shard {
    /// Shard `index` of `count`, when within bounds.
    pub fn new(index: u32, count: u32) -> Option<Shard> {
        (index >= 1 && index <= count && count <= MAX_SHARDS).then_some(Shard { index, count })
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "{} is not a shard: write I/N with 1 <= I <= N <= {MAX_SHARDS} (e.g. 2/4)",
                crate::quote::quote(s)
            )
        };
        let (i, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        Shard::new(index, count).ok_or_else(bad)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The canonical id of a target (see the module documentation).
pub fn target_id(provider: Provider, account: &str, region: Option<&str>) -> String {
    let account = match provider {
        // Subscription ids are GUIDs; ARM answers them in either case.
        Provider::Azure => account.to_ascii_lowercase(),
        _ => account.to_string(),
    };
    match region {
        Some(r) => format!("{provider}/{account}/{r}"),
        None => format!("{provider}/{account}"),
    }
}

impl Shard {
    /// The shard (1-based) a target id belongs to among `count`.
    pub fn of(target: &str, count: u32) -> u32 {
        let digest = Sha256::digest(target.as_bytes());
        let mut head = [0u8; 8];
        head.copy_from_slice(&digest[..8]);
        // count >= 1 (checked by the parser); the remainder fits in u32.
        (u64::from_be_bytes(head) % u64::from(count.max(1))) as u32 + 1
    }

    /// Whether this shard scans the target.
    pub fn owns(&self, target: &str) -> bool {
        Self::of(target, self.count) == self.index
    }

    /// Whether this shard scans a whole GCP project or Azure subscription.
    pub fn owns_scope(&self, provider: Provider, account: &str) -> bool {
        self.owns(&target_id(provider, account, None))
    }

    /// Of an AWS account's regions in scope, those this shard scans, and whether it also
    /// collects the account-wide data (it owns the alphabetically first region).
    pub fn aws_regions(&self, account: &str, regions: &[String]) -> (Vec<String>, bool) {
        let owns = |r: &str| self.owns(&target_id(Provider::Aws, account, Some(r)));
        let first = regions.iter().min();
        let account_wide = first.is_some_and(|r| owns(r));
        let mine = regions.iter().filter(|r| owns(r)).cloned().collect();
        (mine, account_wide)
    }
}

/// What a shard keeps of one scope.
struct Kept {
    provider: Provider,
    account: String,
    /// The scope's regions before the split; empty: the whole scope is kept.
    all: Vec<String>,
    /// The regions kept.
    mine: Vec<String>,
    /// Whether the account-wide data is kept.
    account_wide: bool,
}

impl Kept {
    fn region(&self, region: Option<&str>) -> bool {
        match region {
            _ if self.all.is_empty() => true,
            Some(r) if self.mine.iter().any(|m| m == r) => true,
            Some(r) if self.all.iter().any(|a| a == r) => false,
            // "global", None, or a region outside the list: data of the account.
            _ => self.account_wide,
        }
    }
}

impl Inventory {
    /// Keep only what `shard` scans: the same split a sharded live scan makes, applied to the
    /// demo estate or a saved inventory. Scopes left without targets are dropped.
    pub fn retain_shard(&mut self, shard: Shard) {
        let scoped: Vec<(Provider, String)> = self
            .scopes
            .iter()
            .map(|s| (s.provider, s.account.clone()))
            .collect();
        let mut kept: Vec<Kept> = Vec::new();
        self.scopes.retain_mut(|s| {
            if s.provider == Provider::Aws && !s.regions.is_empty() {
                let (mine, account_wide) = shard.aws_regions(&s.account, &s.regions);
                if mine.is_empty() {
                    return false;
                }
                kept.push(Kept {
                    provider: s.provider,
                    account: s.account.clone(),
                    all: std::mem::replace(&mut s.regions, mine.clone()),
                    mine,
                    account_wide,
                });
                true
            } else if shard.owns_scope(s.provider, &s.account) {
                kept.push(Kept {
                    provider: s.provider,
                    account: s.account.clone(),
                    all: Vec::new(),
                    mine: Vec::new(),
                    account_wide: true,
                });
                true
            } else {
                false
            }
        });
        let keeps = |provider: Provider, account: &str, region: Option<&str>| {
            match kept
                .iter()
                .find(|k| k.provider == provider && k.account == account)
            {
                Some(k) => k.region(region),
                // Data of an account the inventory has no scope for (a hand-made inventory)
                // still lands in exactly one shard.
                None if !scoped.iter().any(|(p, a)| *p == provider && a == account) => {
                    shard.owns_scope(provider, account)
                }
                None => false,
            }
        };
        // Some resources are in every region's answer of their account (a multi-region
        // trail's shadow copies; declared in `kinds!`), so a live shard sees them whenever it
        // scans any region of the account: do the same.
        let shadows: HashSet<(ResourceKind, String)> = self
            .seen_from_every_region()
            .into_iter()
            .filter(|r| {
                kept.iter()
                    .any(|k| k.provider == r.provider && k.account == r.account)
            })
            .map(|r| (r.kind, r.id.clone()))
            .collect();
        self.retain_resources(|r: &ResourceRef| {
            keeps(r.provider, &r.account, Some(&r.region))
                || shadows.contains(&(r.kind, r.id.clone()))
        });
        self.errors
            .retain(|e| keeps(e.provider, &e.account, e.region.as_deref()));
        self.api_calls.retain(|c| match &c.account {
            Some(a) => keeps(c.provider, a, c.region.as_deref()),
            None => true,
        });
        self.raw_responses
            .retain(|r| keeps(r.provider, &r.account, r.region.as_deref()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_i_of_n_and_refuses_the_rest() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        assert_eq!("1/1".parse::<Shard>().unwrap().to_string(), "1/1");
        for bad in [
            "0/4",
            "5/4",
            "x",
            "1/0",
            "0/0",
            "2",
            "/4",
            "1/x",
            "-1/4",
            "1/2/3",
            "1/10001",
            "1/4294967295",
        ] {
            let e = bad.parse::<Shard>().unwrap_err();
            assert!(e.contains("I/N"), "{bad}: {e}");
        }
        assert_eq!(
            "10000/10000".parse::<Shard>().map(|s| s.count),
            Ok(MAX_SHARDS)
        );
        let read = |j: &str| serde_json::from_str::<Shard>(j).map_err(|e| e.to_string());
        assert!(read(r#"{"index": 1, "count": 4294967295}"#)
            .unwrap_err()
            .contains("<= 10000"));
        assert_eq!(
            read(r#"{"index": 2, "count": 3}"#),
            Ok(Shard { index: 2, count: 3 })
        );
    }

    #[test]
    fn every_target_lands_in_exactly_one_shard() {
        let targets: Vec<String> = (0..200).map(|i| format!("gcp/project-{i}")).collect();
        for n in [1u32, 2, 3, 7] {
            let mut sizes = vec![0; n as usize];
            for t in &targets {
                let owners: Vec<u32> = (1..=n)
                    .filter(|&i| Shard { index: i, count: n }.owns(t))
                    .collect();
                assert_eq!(owners.len(), 1, "{t} in {n} shards: {owners:?}");
                sizes[owners[0] as usize - 1] += 1;
            }
            // Hashing spreads 200 targets roughly evenly: no shard is empty.
            assert!(sizes.iter().all(|&s| s > 0), "{n}: {sizes:?}");
        }
    }

    #[test]
    fn assignment_is_a_function_of_the_id_alone() {
        // Pinned: a change of hash would silently reshuffle running CI matrices.
        assert_eq!(Shard::of("gcp/project-0", 4), 3);
        assert_eq!(Shard::of("aws/123456789012/us-east-1", 3), 1);
        assert_eq!(Shard::of("aws/123456789012/eu-west-1", 3), 3);
        let a = target_id(Provider::Azure, "AAAA-BB", None);
        assert_eq!(a, "azure/aaaa-bb");
        assert_eq!(
            target_id(Provider::Aws, "123", Some("us-east-1")),
            "aws/123/us-east-1"
        );
    }

    #[test]
    fn aws_regions_split_and_account_wide_data_goes_with_the_first_region() {
        let regions: Vec<String> = ["us-west-2", "eu-west-1", "us-east-1", "ap-south-1"]
            .iter()
            .map(|r| r.to_string())
            .collect();
        let mut seen = Vec::new();
        let mut wide = 0;
        for i in 1..=3 {
            let (mine, account_wide) = Shard { index: i, count: 3 }.aws_regions("1", &regions);
            seen.extend(mine);
            wide += usize::from(account_wide);
        }
        seen.sort();
        let mut all = regions.clone();
        all.sort();
        assert_eq!(seen, all);
        assert_eq!(wide, 1);
    }

    #[test]
    fn data_of_accounts_without_a_scope_lands_in_one_shard() {
        let mut inv = Inventory::new();
        inv.errors.push(crate::model::CollectionError {
            provider: Provider::Aws,
            account: "999".into(),
            region: Some("us-east-1".into()),
            kind: ResourceKind::AwsEbsVolume,
            resource: None,
            operation: None,
            reason: "x".into(),
        });
        let kept: usize = (1..=3)
            .map(|i| {
                let mut part = inv.clone();
                part.retain_shard(Shard { index: i, count: 3 });
                part.errors.len()
            })
            .sum();
        assert_eq!(kept, 1);
    }

    #[test]
    fn a_shard_without_targets_keeps_nothing_of_them() {
        let mut inv = Inventory::new();
        inv.scopes.push(crate::model::Scope {
            provider: Provider::Gcp,
            account: "p1".into(),
            name: None,
            regions: vec![],
            identity: None,
        });
        let owner = Shard::of("gcp/p1", 2);
        let other = Shard {
            index: 3 - owner,
            count: 2,
        };
        inv.errors.push(crate::model::CollectionError {
            provider: Provider::Gcp,
            account: "p1".into(),
            region: None,
            kind: ResourceKind::GcpComputeDisk,
            resource: None,
            operation: None,
            reason: "x".into(),
        });
        let mut mine = inv.clone();
        mine.retain_shard(Shard {
            index: owner,
            count: 2,
        });
        assert_eq!(mine, inv);
        inv.retain_shard(other);
        assert!(inv.scopes.is_empty() && inv.errors.is_empty());
    }
}
