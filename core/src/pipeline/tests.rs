//! The pipeline over a hand-built estate: two AWS checks (the engine's `t-vols` and
//! `t-default`) and one GCP check, a recording collector.

use std::cell::RefCell;

use chrono::{NaiveDate, TimeZone};

use super::*;
use crate::check::{CheckMeta, Ctx, Finding, FindingError, Severity, Status};
use crate::engine::tests::Vols;
use crate::model::aws::{EbsEncryptionDefault, EbsVolume};
use crate::model::{ResourceRef, Scope};
use crate::policy::{EXIT_FAILURES, EXIT_INCOMPLETE, EXIT_OK};
use crate::scope::{ScopeFilter, Untagged, UNTAGGED_CHECK_ID};
use crate::waiver::{Waiver, WaiverState};
use crate::Hipaa;

mod offline;

macro_rules! test_check {
    ($name:ident, $id:literal, $severity:ident, $provider:ident, $kind:ident) => {
        struct $name;
        impl $name {
            const META: CheckMeta = CheckMeta {
                id: $id,
                title: "t",
                severity: Severity::$severity,
                provider: Provider::$provider,
                kinds: &[ResourceKind::$kind],
                controls: &[Hipaa::EncryptionDecryption],
                doc: "",
            };
        }
    };
}
test_check!(Default, "t-default", Low, Aws, AwsEbsEncryptionDefault);
test_check!(Disks, "t-disks", High, Gcp, GcpComputeDisk);

impl Check for Default {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }
    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<EbsEncryptionDefault>()
            .iter()
            .map(|d| {
                ctx.verdict(d.enabled, &d.resource)
                    .evidence("enabled", d.enabled)
                    .reason("r")
                    .build()
            })
            .collect()
    }
}

impl Check for Disks {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }
    fn evaluate(&self, _: &Ctx) -> Result<Vec<Finding>, FindingError> {
        Ok(Vec::new())
    }
}

static REGISTRY: [&'static dyn Check; 3] = [&Vols, &Default, &Disks];

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, day, 12, 0, 0).unwrap()
}

fn vol(id: &str, encrypted: bool, class: Option<&str>) -> EbsVolume {
    let mut v = engine::tests::vol("us-east-1", id, encrypted);
    if let Some(c) = class {
        v.resource = v.resource.with_tag("data-classification", c);
    }
    v
}

/// One AWS account: volumes a (encrypted, protected), b (protected), c (untagged) and
/// d (public), the latter three unencrypted; the encryption default is off.
fn estate() -> Inventory {
    let mut inv = Inventory::new();
    inv.scopes = vec![Scope {
        provider: Provider::Aws,
        account: "111".into(),
        name: None,
        regions: vec!["us-east-1".into()],
        identity: None,
    }];
    inv.aws_ebs_volumes = vec![
        vol("a", true, Some("protected")),
        vol("b", false, Some("Protected")),
        vol("c", false, None),
        vol("d", false, Some("public")),
    ];
    inv.aws_ebs_encryption_defaults = vec![EbsEncryptionDefault {
        resource: ResourceRef::new(
            ResourceKind::AwsEbsEncryptionDefault,
            "111",
            "us-east-1",
            "default",
            "default",
        ),
        enabled: false,
        kms_key_id: None,
    }];
    inv.collected_at = Some(at(2));
    inv
}

/// A collector that records every set of kinds it is asked for, and finds [`estate`].
struct Recorder {
    asked: RefCell<Vec<BTreeSet<ResourceKind>>>,
}

impl Recorder {
    fn new() -> Recorder {
        Recorder {
            asked: RefCell::new(Vec::new()),
        }
    }
}

impl Collect for Recorder {
    type Error = String;
    fn collect(&self, kinds: &BTreeSet<ResourceKind>) -> Result<Inventory, String> {
        self.asked.borrow_mut().push(kinds.clone());
        Ok(estate())
    }
}

fn request<'a>(
    target: Target<'a, String>,
    include: &[&str],
    policy: Policy,
) -> Request<'a, String> {
    Request {
        target,
        selection: Selection {
            registry: &REGISTRY,
            cloud: None,
            include: include.iter().map(|s| s.to_string()).collect(),
            exclude: Vec::new(),
            profile: None,
        },
        params: Params::default(),
        check_params: BTreeMap::new(),
        segmentation: None,
        third_parties: Vec::new(),
        organization: Organization::default(),
        policy,
        framework: Framework::Hipaa,
        clock: Clock {
            fixed: None,
            started_at: at(3),
        },
        shard: None,
    }
}

fn offline(include: &[&str], policy: Policy) -> Outcome {
    let target = Target::Inventory {
        inventory: Box::new(estate()),
        source: Source::Demo,
        keep_resources: true,
    };
    run(request(target, include, policy)).unwrap()
}

/// (check id, resource id, status) of every finding, in report order.
fn verdicts(r: &Report) -> Vec<(&str, &str, Status)> {
    r.findings
        .iter()
        .map(|f| (f.meta.id, f.resource().id.as_str(), f.status()))
        .collect()
}

#[test]
fn planning_asks_exactly_the_kinds_the_selected_checks_read_once() {
    let live = |include: &[&str], collect_all: bool| {
        let rec = Recorder::new();
        let target = Target::Live {
            provider: Provider::Aws,
            collector: &rec,
            collect_all,
            keep_resources: true,
        };
        let out = run(request(target, include, Policy::default())).unwrap();
        (rec.asked.into_inner(), out)
    };
    let (asked, out) = live(&["t-vols"], false);
    assert_eq!(asked, [BTreeSet::from([ResourceKind::AwsEbsVolume])]);
    // The checks evaluated are the checks that planned: one selection.
    assert_eq!(out.report.scan.checks_run, ["t-vols"]);
    assert_eq!(out.report.scan.source, Source::Live(Provider::Aws));
    // A live scan is evaluated at the scan's start, not at the collectors' timestamps.
    assert_eq!(out.report.scan.evaluated_at, at(3));

    // Every AWS check, never the GCP one.
    let (asked, out) = live(&[], false);
    assert_eq!(
        asked,
        [BTreeSet::from([
            ResourceKind::AwsEbsVolume,
            ResourceKind::AwsEbsEncryptionDefault
        ])]
    );
    assert_eq!(out.report.scan.checks_run, ["t-vols", "t-default"]);

    // collect_all: every AWS kind, for a saved inventory; still only the selection runs.
    let (asked, out) = live(&["t-vols"], true);
    let aws = ResourceKind::ALL
        .iter()
        .copied()
        .filter(|k| k.provider() == Provider::Aws);
    assert_eq!(asked, [aws.collect::<BTreeSet<_>>()]);
    assert_eq!(out.report.scan.checks_run, ["t-vols"]);
}

#[test]
fn a_failed_collection_returns_the_collectors_error_and_a_bad_selection_collects_nothing() {
    let target = |collector| Target::Live {
        provider: Provider::Aws,
        collector,
        collect_all: false,
        keep_resources: true,
    };
    // A closure is a collector too.
    let denied = |_: &BTreeSet<ResourceKind>| Err::<Inventory, _>("no credentials".to_string());
    let err = run(request(target(&denied), &[], Policy::default())).unwrap_err();
    assert!(matches!(err, Error::Collect(e) if e == "no credentials"));
    let rec = Recorder::new();
    let err = run(request(target(&rec), &["t-volz"], Policy::default())).unwrap_err();
    assert!(err.to_string().contains("did you mean \"t-vols\""), "{err}");
    let mut req = request(target(&rec), &[], Policy::default());
    req.selection.cloud = Some(Provider::Gcp);
    assert!(matches!(
        run(req),
        Err(Error::CloudMismatch {
            target: Provider::Aws,
            cloud: Provider::Gcp
        })
    ));
    assert!(rec.asked.into_inner().is_empty());
}

#[test]
fn severity_override_reaches_the_findings_the_checks_and_the_exit_code() {
    let fail_on_critical = Policy {
        fail_on: Severity::Critical,
        ..Policy::default()
    };
    let plain = offline(&["t-vols"], fail_on_critical.clone()).report;
    assert_eq!(plain.exit_code, EXIT_OK, "high failures below critical");
    assert!(plain.findings.iter().all(|f| f.severity == Severity::High));

    let overridden = Policy {
        severity: BTreeMap::from([("t-vols".to_string(), Severity::Critical)]),
        ..fail_on_critical
    };
    let r = offline(&["t-vols"], overridden).report;
    assert_eq!(r.exit_code, EXIT_FAILURES);
    assert!(r.findings.iter().all(|f| f.severity == Severity::Critical));
    assert_eq!(r.checks[0].severity, Severity::Critical);
    // The check's own metadata is untouched.
    assert_eq!(r.checks[0].meta.severity, Severity::High);
    assert_eq!(r.scan.fail_on, Severity::Critical);
}

#[test]
fn the_scope_stage_drops_out_of_scope_findings_and_reports_untagged_resources() {
    let scoped = |untagged| Policy {
        scope: Some(ScopeFilter {
            key: "data-classification".into(),
            values: vec!["protected".into()],
            untagged,
        }),
        ..Policy::default()
    };
    use Status::*;
    let r = offline(&[], scoped(Untagged::Report)).report;
    assert_eq!(
        verdicts(&r),
        [
            (UNTAGGED_CHECK_ID, "c", Fail),
            ("t-default", "default", Fail),
            ("t-vols", "a", Pass),
            ("t-vols", "b", Fail),
        ]
    );
    let untagged = &r.findings[0];
    assert_eq!(untagged.finding.evidence["tag_key"], "data-classification");
    assert_eq!(untagged.meta.provider, Provider::Aws);
    assert_eq!(
        r.scan.checks_run,
        ["t-vols", "t-default", UNTAGGED_CHECK_ID]
    );
    assert_eq!(r.scope.as_deref(), Some("data-classification=protected"));

    let r = offline(&["t-vols"], scoped(Untagged::Exclude)).report;
    assert_eq!(verdicts(&r), [("t-vols", "a", Pass), ("t-vols", "b", Fail)]);
    assert_eq!(r.scan.checks_run, ["t-vols"]);
    let r = offline(&["t-vols"], scoped(Untagged::Include)).report;
    assert_eq!(
        verdicts(&r),
        [
            ("t-vols", "a", Pass),
            ("t-vols", "b", Fail),
            ("t-vols", "c", Fail)
        ]
    );
}

#[test]
fn waivers_turn_failures_waived_and_the_exit_code_follows() {
    let day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let waiver = |glob| Waiver::new("t-vols", glob, "accepted", "ciso@example.org", day).unwrap();
    let r = offline(
        &["t-vols"],
        Policy {
            waivers: vec![waiver("b"), waiver("[cd]"), waiver("gone")],
            ..Policy::default()
        },
    )
    .report;
    use Status::*;
    assert_eq!(
        verdicts(&r),
        [
            ("t-vols", "a", Pass),
            ("t-vols", "b", Waived),
            ("t-vols", "c", Waived),
            ("t-vols", "d", Waived)
        ]
    );
    assert_eq!(r.exit_code, EXIT_OK);
    let states: Vec<WaiverState> = r.waivers.iter().map(|w| w.state).collect();
    assert_eq!(
        states,
        [
            WaiverState::Applied,
            WaiverState::Applied,
            WaiverState::Unmatched
        ]
    );
    assert_eq!(
        offline(&["t-vols"], Policy::default()).report.exit_code,
        EXIT_FAILURES
    );
}
