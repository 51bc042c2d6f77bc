//! An estate of two accounts judged whole (a saved inventory) and handed over one account at
//! a time (an organization scan): the same report, with or without the resources kept.

use std::collections::{BTreeMap, BTreeSet};

use chrono::TimeZone;

use super::super::{run, Clock, Collect, Outcome, Request, Selection, Target};
use crate::check::{Check, CheckMeta, Ctx, Finding, FindingError, Severity};
use crate::config::{Organization, Params};
use crate::engine::tests::{vol, Vols};
use crate::frameworks::nprm2025::Framework;
use crate::model::{ApiCall, CollectionError, Inventory, Provider, ResourceKind, Scope};
use crate::policy::Policy;
use crate::report::Source;
use crate::scope::{ScopeFilter, Untagged};
use crate::waiver::Waiver;
use crate::Hipaa;

/// A check with a bug: it panics on every inventory, so it is one ERROR of its own.
struct Boom;
static BOOM_META: CheckMeta = CheckMeta {
    id: "t-boom",
    title: "t",
    severity: Severity::Low,
    provider: Provider::Aws,
    kinds: &[ResourceKind::AwsEbsVolume],
    controls: &[Hipaa::EncryptionDecryption],
    doc: "",
};
impl Check for Boom {
    fn meta(&self) -> &'static CheckMeta {
        &BOOM_META
    }
    fn evaluate(&self, _: &Ctx) -> Result<Vec<Finding>, FindingError> {
        panic!("a bug in t-boom")
    }
}

static REGISTRY: [&'static dyn Check; 2] = [&Vols, &Boom];

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

/// Account `id`: an encrypted protected volume, an unencrypted protected one, an untagged
/// one, a failed list in eu-west-1, one API call.
fn account(id: &str, second: u32) -> Inventory {
    let mut inv = Inventory::new();
    inv.scopes.push(Scope {
        provider: Provider::Aws,
        account: id.into(),
        name: Some(format!("acct-{id}")),
        regions: vec!["us-east-1".into(), "eu-west-1".into()],
        identity: None,
    });
    for (name, encrypted, tagged) in [("a", true, true), ("b", false, true), ("c", false, false)] {
        let mut v = vol("us-east-1", &format!("{id}-{name}"), encrypted);
        v.resource.account = id.into();
        if tagged {
            v.resource = v.resource.with_tag("data-classification", "phi");
        }
        inv.aws_ebs_volumes.push(v);
    }
    inv.errors.push(CollectionError {
        provider: Provider::Aws,
        account: id.into(),
        region: Some("eu-west-1".into()),
        kind: ResourceKind::AwsEbsVolume,
        resource: None,
        operation: Some("DescribeVolumes".into()),
        reason: "AccessDenied".into(),
    });
    let at = chrono::Utc
        .with_ymd_and_hms(2026, 6, 1, 11, 0, second)
        .unwrap();
    inv.api_calls.push(ApiCall {
        provider: Provider::Aws,
        service: "EC2".into(),
        operation: "DescribeVolumes".into(),
        account: Some(id.into()),
        region: Some("us-east-1".into()),
        started_at: at,
        duration_ms: 5,
        http_status: Some(200),
        request_id: None,
        error_code: None,
    });
    inv.collection_started_at = Some(at);
    inv.collected_at = Some(at + chrono::Duration::seconds(30));
    inv
}

/// The accounts in the order an organization scan may finish them: not sorted.
fn parts() -> Vec<Inventory> {
    vec![account("333", 7), account("111", 9), account("222", 3)]
}

/// Hands over each account as its own part.
struct ByAccount;
impl Collect for ByAccount {
    type Error = String;
    fn collect(&self, _: &BTreeSet<ResourceKind>) -> Result<Inventory, String> {
        unreachable!("the pipeline asks for parts")
    }
    fn collect_parts(
        &self,
        _: &BTreeSet<ResourceKind>,
        part: &mut dyn FnMut(Inventory),
    ) -> Result<(), String> {
        parts().into_iter().for_each(part);
        Ok(())
    }
}

fn scan(target: Target<'_, String>) -> Outcome {
    let expires = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let waiver = Waiver::new("t-vols", "222-*", "accepted", "ciso@example.org", expires).unwrap();
    run(Request {
        target,
        selection: Selection {
            registry: &REGISTRY,
            cloud: Some(Provider::Aws),
            include: Vec::new(),
            exclude: Vec::new(),
            profile: None,
        },
        params: Params::default(),
        check_params: BTreeMap::new(),
        segmentation: None,
        third_parties: Vec::new(),
        organization: Organization::default(),
        policy: Policy {
            scope: Some(ScopeFilter {
                key: "data-classification".into(),
                values: vec!["phi".into()],
                untagged: Untagged::Report,
            }),
            waivers: vec![waiver],
            ..Policy::default()
        },
        framework: Framework::Hipaa,
        clock: Clock {
            fixed: Some(now()),
            started_at: now(),
        },
        shard: None,
    })
    .unwrap()
}

#[test]
fn an_organization_judged_account_by_account_reports_as_judged_whole() {
    let mut whole = Inventory::new();
    parts().into_iter().for_each(|p| whole.absorb(p));
    // As the organization collector put them together before.
    whole.scopes.sort_by(|a, b| a.account.cmp(&b.account));
    whole.api_calls.sort_by_key(|c| c.started_at);
    whole.sort();
    let want = scan(Target::Inventory {
        inventory: Box::new(whole.clone()),
        source: Source::Demo,
        keep_resources: true,
    });
    let r = &want.report;
    // The estate exercises what is judged per part and what once.
    let own_error =
        |f: &&crate::report::ReportFinding| f.meta.id == "t-boom" && f.resource().account == "-";
    assert_eq!(r.findings.iter().filter(own_error).count(), 1);
    assert!(r
        .findings
        .iter()
        .any(|f| f.meta.id == "phiscan-untagged-resource"));
    assert_eq!(r.waivers[0].findings, 1, "{:?}", r.waivers);
    assert!(r
        .findings
        .iter()
        .all(|f| !f.resource().id.ends_with("-c") || f.meta.id != "t-vols"));

    for keep_resources in [false, true] {
        let got = scan(Target::Live {
            provider: Provider::Aws,
            collector: &ByAccount,
            collect_all: false,
            keep_resources,
        });
        let g = &got.report;
        assert_eq!(format!("{:?}", g.findings), format!("{:?}", r.findings));
        assert_eq!(format!("{:?}", g.waivers), format!("{:?}", r.waivers));
        assert_eq!(g.counts, r.counts);
        assert_eq!(g.exit_code, r.exit_code);
        assert_eq!(g.scan.scope, r.scan.scope);
        assert_eq!(g.scan.api_calls, r.scan.api_calls);
        assert_eq!(
            (g.scan.started_at, g.scan.finished_at),
            (r.scan.started_at, r.scan.finished_at)
        );
        if keep_resources {
            assert_eq!(got.inventory, whole);
        } else {
            // Every resource dropped once judged; what the report is made of kept.
            assert!(got.inventory.aws_ebs_volumes.is_empty());
            assert_eq!(got.inventory.scopes, whole.scopes);
            assert_eq!(got.inventory.errors, whole.errors);
            assert_eq!(got.inventory.api_calls, whole.api_calls);
        }
    }
}
