//! Plan and evaluate: select checks, derive the kinds to collect, run every check over the
//! inventory in parallel, and turn failed collections into ERROR findings. The whole scan
//! (target, selection, collection, evaluation, policy, report) is [`crate::pipeline`].
//!
//! Failed collections become ERROR findings here, not in each check, so a check cannot
//! forget to: a failed list call for its scope, a failed detail read for that one resource
//! only (see `engine/collection_errors.rs`).

mod collection_errors;

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use foldhash::fast::RandomState;
use rayon::prelude::*;

use crate::check::{Check, Ctx, Finding, FindingBuilder, Status};
use crate::config::Config;
use crate::model::{Inventory, Provider, ResourceKind, ResourceRef};

mod select;
pub use select::{did_you_mean, select, SelectError};

/// The resource kinds the selected checks read: exactly what collectors must fetch.
/// Two checks reading the same kind share one collection.
pub fn plan(checks: &[&'static dyn Check]) -> BTreeSet<ResourceKind> {
    checks
        .iter()
        .flat_map(|c| c.meta().kinds.iter().copied())
        .collect()
}

/// Evaluate every check over the inventory, in parallel. Findings come back grouped by
/// check, in the order of `checks`, each check's in the order it made them: deterministic.
/// Policy (scope, waivers, severity) is applied afterwards, by
/// [`crate::policy::Policy::apply`], which also puts the findings of all of a scan's
/// inventories in report order ([`sort_findings`]), once.
pub fn evaluate(
    checks: &[&'static dyn Check],
    inventory: &Inventory,
    config: &Config,
    now: DateTime<Utc>,
) -> Vec<Finding> {
    checks
        .par_iter()
        .flat_map_iter(|check| evaluate_one(*check, inventory, config, now))
        .collect()
}

/// Sort findings by check, provider, account, region and resource id: the order of every
/// report. Stable, and on every core: at a million findings the sort is a tenth of a scan.
///
/// A stable parallel sort borrows a buffer as large as the findings (a hundred MB at a
/// million); an unstable one does not, and is made stable by each finding's position.
/// Comparing text was most of the sort: check ids, accounts and regions are few and repeat,
/// so each is ranked once and the first four fields compare as one integer ([`ranks`]).
pub fn sort_findings(findings: &mut [Finding]) {
    let ranks = ranks(findings);
    let mut order: Vec<u32> = (0..findings.len())
        .map(|i| u32::try_from(i).expect("fewer than 4 billion findings"))
        .collect();
    order.par_sort_unstable_by(|&a, &b| {
        let (i, j) = (a as usize, b as usize);
        ranks[i]
            .cmp(&ranks[j])
            .then_with(|| findings[i].resource.id.cmp(&findings[j].resource.id))
            .then(a.cmp(&b))
    });
    permute(findings, order);
}

/// Each finding's check, provider, account and region as one integer that orders as the
/// four fields do: each field's rank among its distinct values, side by side (32 bits each,
/// the provider 8).
fn ranks(findings: &[Finding]) -> Vec<u128> {
    let mut checks = Ranking::new(findings.iter().map(|f| &*f.check_id));
    let mut accounts = Ranking::new(findings.iter().map(|f| f.resource.account.as_str()));
    let mut regions = Ranking::new(findings.iter().map(|f| f.resource.region.as_str()));
    findings
        .iter()
        .map(|f| {
            let r = &f.resource;
            // The derived order of `Provider` is its declaration order, as `as u8` is.
            u128::from(checks.rank(&f.check_id)) << 96
                | u128::from(r.provider as u8) << 64
                | u128::from(accounts.rank(&r.account)) << 32
                | u128::from(regions.rank(&r.region))
        })
        .collect()
}

/// The rank of each distinct value in their sorted order.
struct Ranking<'a> {
    ranks: HashMap<&'a str, u32, RandomState>,
    /// The last value asked for: neighbours mostly repeat (one check's findings, one
    /// account's resources), and comparing with it is cheaper than hashing.
    last: Option<(&'a str, u32)>,
}

impl<'a> Ranking<'a> {
    fn new(values: impl Iterator<Item = &'a str>) -> Self {
        let mut distinct: HashSet<&str, RandomState> = HashSet::default();
        let mut last = None;
        for v in values {
            if last != Some(v) {
                distinct.insert(v);
                last = Some(v);
            }
        }
        let mut sorted: Vec<&str> = distinct.into_iter().collect();
        sorted.sort_unstable();
        let ranks = sorted.into_iter().zip(0..).collect();
        Self { ranks, last: None }
    }

    fn rank(&mut self, value: &'a str) -> u32 {
        match self.last {
            Some((last, rank)) if last == value => rank,
            _ => {
                let rank = self.ranks[value];
                self.last = Some((value, rank));
                rank
            }
        }
    }
}

/// Reorder `items` so that position `i` holds what was at `order[i]`, in place: each cycle of
/// the permutation is followed once, a swap at a time.
fn permute<T>(items: &mut [T], mut order: Vec<u32>) {
    const DONE: u32 = u32::MAX;
    for start in 0..items.len() {
        if order[start] == DONE {
            continue;
        }
        let mut at = start;
        loop {
            let from = order[at] as usize;
            order[at] = DONE;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

fn evaluate_one(
    check: &'static dyn Check,
    inventory: &Inventory,
    config: &Config,
    now: DateTime<Utc>,
) -> Vec<Finding> {
    let meta = check.meta();
    let config = config.for_check(meta.id);
    let ctx = Ctx::new(meta, inventory, &config, now);
    // A panic in one check (a bug, or data no test foresaw) must not end the scan: that
    // check becomes one ERROR, the others still judge. The inventory is only read, so no
    // state a panic interrupted is seen afterwards.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check.evaluate(&ctx)));
    let out = match run {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => vec![internal_error(meta.id, meta.provider, &e.to_string())],
        Err(payload) => vec![panicked(meta.id, meta.provider, payload.as_ref())],
    };
    collection_errors::apply(meta, inventory, out)
}

/// ERROR of a check whose findings could not be built: its results are withheld.
pub(crate) fn internal_error(check_id: &'static str, provider: Provider, message: &str) -> Finding {
    // The kind is a placeholder: the failure is the check's, not a resource's.
    let kind = ResourceKind::ALL
        .iter()
        .copied()
        .find(|k| k.provider() == provider)
        .expect("every provider has a kind");
    let resource = ResourceRef::new(
        kind,
        "-",
        "global",
        format!("phiscan/check/{check_id}"),
        check_id,
    );
    FindingBuilder::new(check_id, Status::Error, resource)
        .evidence("internal_error", message)
        .reason(format!(
            "The check produced an invalid finding, so its results are withheld: {message}"
        ))
        .build()
        .expect("internal-error finding has id, evidence and reason")
}

/// ERROR of a check that panicked: "internal error in check X: <panic message>".
fn panicked(
    check_id: &'static str,
    provider: Provider,
    payload: &(dyn std::any::Any + Send),
) -> Finding {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("panic without a message");
    let mut f = internal_error(check_id, provider, &crate::quote::shorten(what));
    f.reason = format!(
        "internal error in check {check_id}: {}; its results are withheld (please report this)",
        crate::quote::shorten(what)
    );
    f
}

/// A test check (`t-vols`, high: EBS volumes are encrypted) and its resources, also used by
/// the pipeline's tests.
#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::check::{CheckMeta, FindingError, Severity};
    use crate::model::aws::EbsVolume;
    use crate::model::CollectionError;
    use crate::Hipaa;
    use proptest::prelude::*;

    proptest! {
        /// In place, position `i` ends up holding what was at `order[i]`.
        #[test]
        fn permute_moves_each_item_where_the_order_says(
            keys in prop::collection::vec(any::<u32>(), 0..64)
        ) {
            // A permutation: the positions in the order of random keys.
            let mut order: Vec<u32> = (0..keys.len() as u32).collect();
            order.sort_by_key(|&i| keys[i as usize]);
            let mut items: Vec<u32> = (100..100 + order.len() as u32).collect();
            let expected: Vec<u32> = order.iter().map(|&i| items[i as usize]).collect();
            permute(&mut items, order);
            prop_assert_eq!(items, expected);
        }

        /// The ranked sort orders as a stable sort by the five fields as text does, with
        /// values that share prefixes, are empty (accounts, regions) or repeat in any pattern.
        #[test]
        fn sort_orders_by_check_provider_account_region_and_id(
            rows in prop::collection::vec(
                (0usize..3, 0usize..3, "(1|12|2)?", "(us|us-east-1|eu)?", "[ab]{1,3}"),
                0..80,
            )
        ) {
            const CHECKS: [&str; 3] = ["t-b", "t-a", "t-ab"];
            let mut findings: Vec<Finding> = rows
                .iter()
                .enumerate()
                .map(|(n, (check, provider, account, region, id))| {
                    let kind = ResourceKind::ALL
                        .iter()
                        .copied()
                        .find(|k| k.provider() == Provider::ALL[*provider])
                        .unwrap();
                    let r = ResourceRef::new(kind, account.as_str(), region.as_str(), id.as_str(), "n");
                    FindingBuilder::new(CHECKS[*check], Status::Pass, r)
                        .evidence("n", n)
                        .reason("r")
                        .build()
                        .unwrap()
                })
                .collect();
            let mut expected = findings.clone();
            expected.sort_by(|a, b| {
                let key = |f: &Finding| {
                    let r = &f.resource;
                    (f.check_id.to_string(), r.provider, r.account.clone(), r.region.clone(), r.id.clone())
                };
                key(a).cmp(&key(b))
            });
            sort_findings(&mut findings);
            prop_assert_eq!(findings, expected);
        }
    }

    /// Findings of equal keys (one resource, one check) keep the order the check made them in.
    #[test]
    fn sort_is_stable_for_findings_of_one_resource() {
        let f = |id: &str, n: u32| {
            let r = ResourceRef::new(ResourceKind::AwsEbsVolume, "1", "us-east-1", id, id);
            FindingBuilder::new("t-vols", Status::Pass, r)
                .evidence("n", n)
                .reason("r")
                .build()
                .unwrap()
        };
        let mut findings: Vec<Finding> = (0u32..3000)
            .map(|n| {
                f(
                    if n.is_multiple_of(2) {
                        "vol-b"
                    } else {
                        "vol-a"
                    },
                    n,
                )
            })
            .collect();
        sort_findings(&mut findings);
        let got: Vec<(String, u64)> = findings
            .iter()
            .map(|f| (f.resource.id.clone(), f.evidence["n"].as_u64().unwrap()))
            .collect();
        let mut expected: Vec<(String, u64)> = (0u64..3000)
            .map(|n| {
                (
                    if n.is_multiple_of(2) {
                        "vol-b"
                    } else {
                        "vol-a"
                    }
                    .to_string(),
                    n,
                )
            })
            .collect();
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(got, expected);
    }

    pub(crate) struct Vols;
    static VOLS_META: CheckMeta = CheckMeta {
        id: "t-vols",
        title: "t",
        severity: Severity::High,
        provider: Provider::Aws,
        kinds: &[ResourceKind::AwsEbsVolume],
        controls: &[Hipaa::EncryptionDecryption],
        doc: "",
    };
    impl Check for Vols {
        fn meta(&self) -> &'static CheckMeta {
            &VOLS_META
        }
        fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
            ctx.resources::<EbsVolume>()
                .iter()
                .map(|v| {
                    ctx.verdict(v.encrypted, &v.resource)
                        .evidence("encrypted", v.encrypted)
                        .reason("r")
                        .build()
                })
                .collect()
        }
    }

    pub(crate) fn vol(region: &str, id: &str, encrypted: bool) -> EbsVolume {
        EbsVolume {
            resource: ResourceRef::new(ResourceKind::AwsEbsVolume, "111", region, id, id),
            encrypted,
            kms_key_id: None,
            state: "in-use".into(),
            size_gib: 8,
            attached_instances: vec![],
        }
    }

    #[test]
    fn failed_collection_is_error_never_pass() {
        let mut inv = Inventory::new();
        inv.aws_ebs_volumes = vec![
            vol("us-east-1", "a", true),
            vol("us-east-1", "b", false),
            vol("eu-west-1", "c", true),
        ];
        inv.errors.push(CollectionError {
            provider: Provider::Aws,
            account: "111".into(),
            region: Some("us-east-1".into()),
            kind: ResourceKind::AwsEbsVolume,
            resource: None,
            operation: None,
            reason: "AccessDenied".into(),
        });
        let f = evaluate(&[&Vols], &inv, &Config::default(), Utc::now());
        let got: BTreeSet<(String, Status)> = f
            .iter()
            .map(|f| (f.resource.id.clone(), f.status))
            .collect();
        // "a" passed inside the failed scope: withheld. "b" failed: an observed failure stays.
        let want: BTreeSet<(String, Status)> = [
            ("aws/111/us-east-1/AwsEbsVolume".to_string(), Status::Error),
            ("c".to_string(), Status::Pass),
            ("b".to_string(), Status::Fail),
        ]
        .into();
        assert_eq!(got, want);
        let error = f.iter().find(|f| f.status == Status::Error).unwrap();
        assert!(error.reason.contains("AccessDenied"));
    }

    #[test]
    fn several_errors_of_one_scope_and_kind_make_one_finding() {
        let mut inv = Inventory::new();
        for reason in ["vault-a: 404", "vault-b: 404", "vault-a: 404"] {
            inv.errors.push(CollectionError {
                provider: Provider::Aws,
                account: "111".into(),
                region: Some("us-east-1".into()),
                kind: ResourceKind::AwsEbsVolume,
                resource: None,
                operation: None,
                reason: reason.into(),
            });
        }
        let f = evaluate(&[&Vols], &inv, &Config::default(), Utc::now());
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].reason.ends_with("vault-a: 404; vault-b: 404"),
            "{}",
            f[0].reason
        );
    }

    #[test]
    fn account_wide_error_covers_every_region() {
        let mut inv = Inventory::new();
        inv.aws_ebs_volumes = vec![vol("eu-west-1", "c", true)];
        inv.errors.push(CollectionError {
            provider: Provider::Aws,
            account: "111".into(),
            region: None,
            kind: ResourceKind::AwsEbsVolume,
            resource: None,
            operation: None,
            reason: "ExpiredToken".into(),
        });
        let f = evaluate(&[&Vols], &inv, &Config::default(), Utc::now());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].status, Status::Error);
    }

    struct Panics;
    static PANICS_META: CheckMeta = CheckMeta {
        id: "t-panics",
        ..VOLS_META
    };
    impl Check for Panics {
        fn meta(&self) -> &'static CheckMeta {
            &PANICS_META
        }
        fn evaluate(&self, _: &Ctx) -> Result<Vec<Finding>, FindingError> {
            panic!("overflow\nerror: forged line")
        }
    }

    #[test]
    fn a_panicking_check_is_one_error_and_the_others_finish() {
        let mut inv = Inventory::new();
        inv.aws_ebs_volumes = vec![vol("us-east-1", "a", true)];
        let f = evaluate(&[&Panics, &Vols], &inv, &Config::default(), Utc::now());
        assert_eq!(f.len(), 2, "{f:?}");
        let (bad, good) = (&f[0], &f[1]);
        assert_eq!(
            (bad.check_id.as_ref(), bad.status),
            ("t-panics", Status::Error)
        );
        assert!(
            bad.reason
                .starts_with("internal error in check t-panics: overflow\\nerror: forged line"),
            "{}",
            bad.reason
        );
        assert_eq!(
            (good.check_id.as_ref(), good.status),
            ("t-vols", Status::Pass)
        );
    }
}
