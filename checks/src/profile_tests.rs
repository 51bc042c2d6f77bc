//! Shipped policy profiles against the registered checks and the demo estate.

use std::collections::BTreeMap;

use phiscan_core::profiles::{self, Profile, PromiseVerdict};
use phiscan_core::{engine, CheckMeta};
use phiscan_demo as demo;

use crate::registry;

fn metas() -> Vec<&'static CheckMeta> {
    registry().iter().map(|c| c.meta()).collect()
}

#[test]
fn every_shipped_profile_parses_and_validates() {
    assert_eq!(profiles::builtin().len(), profiles::BUILTIN.len());
    for (name, text) in profiles::BUILTIN {
        let p = Profile::parse(text, name).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.name, name);
        p.validate(&metas(), name).unwrap_or_else(|e| panic!("{e}"));
    }
}

fn with_extra(promise: &str) -> String {
    format!("{}\n{promise}", profiles::BUILTIN[2].1)
}

#[test]
fn unknown_checks_and_controls_are_refused_with_their_names() {
    let bad = with_extra(
        r#"
[[promise]]
id = "bogus"
section = "9.9"
quote = "Everything is fine."
references = [{ framework = "hipaa", cited = "164.312(z)" }]
checks = [{ id = "aws-ebs-volume-encrypted" }, { id = "aws-nope" }, { id = "gcp-kms-key-rotation" }]
"#,
    );
    let p = Profile::parse(&bad, "bad.toml").unwrap();
    let err = p.validate(&metas(), "bad.toml").unwrap_err().to_string();
    assert!(err.starts_with("bad.toml: "), "{err}");
    assert!(
        err.contains(r#"promise "bogus": unknown check "aws-nope""#),
        "{err}"
    );
    assert!(
        err.contains(r#"unknown HIPAA Security Rule control "164.312(z)""#),
        "{err}"
    );
    assert!(
        err.contains(r#"check "gcp-kms-key-rotation" is for gcp"#),
        "{err}"
    );
}

#[test]
fn promises_need_checks_or_a_manual_reason_not_both() {
    let p = Profile::parse(
        &with_extra("[[promise]]\nid = \"empty\"\nsection = \"1\"\nquote = \"q\"\n"),
        "x",
    )
    .unwrap();
    let err = p.validate(&metas(), "x").unwrap_err().to_string();
    assert!(
        err.contains("lists no check and gives no `manual` reason"),
        "{err}"
    );
    let dup = with_extra("[[promise]]\nid = \"data-at-rest-encrypted\"\nsection = \"1\"\nquote = \"q\"\nmanual = \"m\"\n");
    let err = Profile::parse(&dup, "x")
        .unwrap()
        .validate(&metas(), "x")
        .unwrap_err();
    assert!(err.to_string().contains("duplicate promise id"), "{err}");
}

#[test]
fn malformed_toml_names_the_file_and_line() {
    let err = Profile::parse("format = \"phiscan-profile/v1\"\nname = \n", "p.toml").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("p.toml: ") && msg.contains("line 2"),
        "{msg}"
    );
    let err = Profile::parse("format = \"phiscan-profile/v1\"\nbogus = 1\n", "p.toml").unwrap_err();
    assert!(err.to_string().contains("bogus"), "{err}");
}

/// The demo estate has a failing resource for every check, so each checked promise of each
/// shipped profile is broken there, and the manual ones stay manual.
#[test]
fn demo_estate_verdicts_per_promise() {
    let now = crate::testing::now();
    let inv = demo::estate(now);
    for profile in profiles::builtin() {
        let ids = profile.check_ids();
        let checks: Vec<_> = registry()
            .into_iter()
            .filter(|c| ids.contains(&c.meta().id))
            .collect();
        assert_eq!(
            checks.len(),
            ids.len(),
            "{}: a check id is not registered",
            profile.name
        );
        let findings = engine::evaluate(&checks, &inv, &demo::config::config(), now);
        let verdicts: BTreeMap<String, PromiseVerdict> = profiles::evaluate(&profile, &findings)
            .into_iter()
            .map(|r| (r.promise.id.clone(), r.verdict))
            .collect();
        for p in &profile.promises {
            let want = if p.manual.is_some() {
                PromiseVerdict::Manual
            } else {
                PromiseVerdict::Broken
            };
            assert_eq!(verdicts[&p.id], want, "{} / {}", profile.name, p.id);
        }
    }
}

/// A promise holds only on PASS without FAIL or ERROR; untested is not kept.
#[test]
fn holds_needs_evidence_and_no_failure() {
    let now = crate::testing::now();
    let inv = demo::estate(now);
    let profile = Profile::load("qolty").unwrap();
    let only = |id: &str| -> Vec<_> {
        let checks: Vec<_> = registry()
            .into_iter()
            .filter(|c| c.meta().id == id)
            .collect();
        engine::evaluate(&checks, &inv, &demo::config::config(), now)
    };
    // Keep only the passing findings of one check: the promise citing it holds.
    let passing: Vec<_> = only("azure-sql-tde-enabled")
        .into_iter()
        .filter(|f| f.status == phiscan_core::Status::Pass)
        .collect();
    assert!(!passing.is_empty());
    let results = profiles::evaluate(&profile, &passing);
    let at_rest = results
        .iter()
        .find(|r| r.promise.id == "data-at-rest-encrypted")
        .unwrap();
    assert_eq!(at_rest.verdict, PromiseVerdict::Holds);
    let in_transit = results
        .iter()
        .find(|r| r.promise.id == "data-in-transit-encrypted")
        .unwrap();
    assert_eq!(
        in_transit.verdict,
        PromiseVerdict::NotVerified,
        "no finding at all"
    );
}

/// Every promise quotes its policy verbatim (the policies are vendored in profiles/sources/).
#[test]
fn quotes_are_verbatim() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../profiles/sources");
    for profile in profiles::builtin() {
        let text: String = profile
            .document
            .split("; ")
            .map(|doc| {
                std::fs::read_to_string(dir.join(doc)).unwrap_or_else(|e| panic!("{doc}: {e}"))
            })
            .collect::<Vec<_>>()
            .join("\n");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for p in &profile.promises {
            let quote = p.quote.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                flat.contains(&quote),
                "{} / {}: not verbatim: {quote}",
                profile.name,
                p.id
            );
        }
    }
}
