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
/// report. Stable, and on every core: at a million findings the sort is a tenth of a scan.
pub fn sort_findings(findings: &mut [Finding]) {
    fn key(f: &Finding) -> (&str, Provider, &str, &str, &str) {
        let r = &f.resource;
        (&f.check_id, r.provider, &r.account, &r.region, &r.id)
    }
    findings.par_sort_by(|a, b| key(a).cmp(&key(b)));
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
