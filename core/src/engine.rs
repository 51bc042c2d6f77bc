//! Plan and evaluate: select checks, derive the kinds to collect, run every check over the
//! inventory in parallel, and turn failed collections into ERROR findings. The whole scan
//! (target, selection, collection, evaluation, policy, report) is [`crate::pipeline`].
//!
//! Failed collections become ERROR findings here, not in each check, so a check cannot
//! forget to: a failed list call for its scope, a failed detail read for that one resource
//! only (see `engine/collection_errors.rs`).

mod collection_errors;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::check::{Check, Ctx, Finding, FindingBuilder, Status};
use crate::config::Config;
use crate::model::{Inventory, Provider, ResourceKind, ResourceRef};

/// Why a check selection was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SelectError {
    #[error("unknown check id {id:?}{hint} (see `phiscan checks list`)")]
    UnknownCheck { id: String, hint: String },
    #[error("check pattern {pattern:?} matches no check (see `phiscan checks list`)")]
    NoMatch { pattern: String },
    #[error("invalid check pattern {pattern:?}: {message}")]
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
        let glob = Glob::new(p).map_err(|e| SelectError::BadPattern {
            pattern: p.clone(),
            message: e.kind().to_string(),
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

/// " (did you mean \"x\"?)" when a registered id is close to `id`, else empty.
pub fn did_you_mean(id: &str, registry: &[&'static dyn Check]) -> String {
    let best = registry
        .iter()
        .map(|c| (edit_distance(id, c.meta().id), c.meta().id))
        .min();
    match best {
        Some((d, cand)) if d <= 4 => format!(" (did you mean {cand:?}?)"),
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

/// The resource kinds the selected checks read: exactly what collectors must fetch.
/// Two checks reading the same kind share one collection.
pub fn plan(checks: &[&'static dyn Check]) -> BTreeSet<ResourceKind> {
    checks
        .iter()
        .flat_map(|c| c.meta().kinds.iter().copied())
        .collect()
}

/// Evaluate every check over the inventory, in parallel. Findings come back sorted (see
/// [`sort_findings`]), so output is deterministic. Policy (scope, waivers, severity) is
/// applied afterwards, by [`crate::policy::Policy::apply`].
pub fn evaluate(
    checks: &[&'static dyn Check],
    inventory: &Inventory,
    config: &Config,
    now: DateTime<Utc>,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = checks
        .par_iter()
        .flat_map_iter(|check| evaluate_one(*check, inventory, config, now))
        .collect();
    sort_findings(&mut findings);
    findings
}

/// Sort findings by check, provider, account, region and resource id: the order of every
/// report.
pub fn sort_findings(findings: &mut [Finding]) {
    fn key(f: &Finding) -> (&str, Provider, &str, &str, &str) {
        let r = &f.resource;
        (&f.check_id, r.provider, &r.account, &r.region, &r.id)
    }
    findings.sort_by(|a, b| key(a).cmp(&key(b)));
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
    let out = match check.evaluate(&ctx) {
        Ok(found) => found,
        Err(e) => vec![internal_error(meta.id, meta.provider, &e.to_string())],
    };
    collection_errors::apply(meta, inventory, out)
}

/// ERROR of a check whose findings could not be built: its results are withheld.
pub(crate) fn internal_error(check_id: &str, provider: Provider, message: &str) -> Finding {
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

/// A test check (`t-vols`, high: EBS volumes are encrypted) and its resources, also used by
/// the pipeline's tests.
#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::check::{CheckMeta, FindingError, Severity};
    use crate::model::aws::EbsVolume;
    use crate::model::CollectionError;
    use crate::Hipaa;

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
}
