//! `checks list` and `controls`: the full output checked against the registry and the
//! catalogue (every registered check, every control, the checks citing each), and snapshots
//! only of what does not depend on the registry's size (a fixed subset of checks, the
//! controls no check tests), so adding a check changes none of these files.

use phiscan_core::frameworks::hipaa::{Coverage, Hipaa, Requirement};
use phiscan_core::Provider;

use super::table::{rows, unwrap};
use super::{phiscan, snapshot};

fn stdout(args: &[&str]) -> String {
    let out = phiscan().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Checks whose `checks list` rows are snapshotted: one per provider, one with a wrapped
/// title and one citing three controls (wrapped too).
const LISTED: [&str; 5] = [
    "aws-ebs-volume-encrypted",
    "aws-ec2-sg-no-public-admin-ports",
    "aws-s3-bucket-versioning",
    "gcp-compute-disk-cmek",
    "azure-storage-secure-transfer",
];

#[test]
fn checks_list_shows_every_registered_check() {
    let text = stdout(&["checks", "list"]);
    let listed = rows(&text, 0);
    let registry = phiscan_checks::registry();
    let ids: Vec<&str> = listed.iter().map(|r| r[0].as_str()).collect();
    let want: Vec<&str> = registry.iter().map(|c| c.meta().id).collect();
    assert_eq!(ids, want, "every registered check, in registry order");
    for (row, check) in listed.iter().zip(&registry) {
        let m = check.meta();
        let citations: Vec<&str> = m.controls.iter().map(|c| c.citation()).collect();
        assert_eq!(
            [row[1].clone(), unwrap(&row[2]), unwrap(&row[3])],
            [
                m.severity.as_str().to_string(),
                m.title.to_string(),
                citations.join(", ")
            ],
            "{}",
            m.id
        );
    }
    assert!(text.ends_with(&format!("\n{} checks\n", registry.len())));
    let subset: Vec<String> = listed
        .iter()
        .filter(|r| LISTED.contains(&r[0].as_str()))
        .map(|r| r.iter().map(|c| unwrap(c)).collect::<Vec<_>>().join(" | "))
        .collect();
    assert_eq!(subset.len(), LISTED.len());
    snapshot("checks-list-subset", subset.join("\n") + "\n");
}

#[test]
fn checks_list_filters_match_the_registry() {
    let registry = phiscan_checks::registry();
    for provider in [Provider::Aws, Provider::Gcp, Provider::Azure] {
        let text = stdout(&["checks", "list", "--provider", provider.as_str()]);
        let ids: Vec<String> = rows(&text, 0).into_iter().map(|r| r[0].clone()).collect();
        let want: Vec<&str> = registry
            .iter()
            .map(|c| c.meta())
            .filter(|m| m.provider == provider)
            .map(|m| m.id)
            .collect();
        assert_eq!(ids, want, "{provider:?}");
    }
    // A standard also matches the checks citing its implementation specifications.
    let standard = Hipaa::from_citation("164.312(a)(1)").unwrap();
    let text = stdout(&["checks", "list", "--control", standard.citation()]);
    let ids: Vec<String> = rows(&text, 0).into_iter().map(|r| r[0].clone()).collect();
    let want: Vec<&str> = registry
        .iter()
        .map(|c| c.meta())
        .filter(|m| {
            m.controls
                .iter()
                .any(|c| *c == standard || c.parent() == Some(standard))
        })
        .map(|m| m.id)
        .collect();
    assert!(want.len() > 1);
    assert_eq!(ids, want);
}

#[test]
fn controls_shows_every_control_with_the_checks_citing_it() {
    let text = stdout(&["controls"]);
    let registry = phiscan_checks::registry();
    let shown = rows(&text, 0);
    assert_eq!(shown.len(), Hipaa::ALL.len());
    for (row, &c) in shown.iter().zip(Hipaa::ALL) {
        let ra = match c.requirement() {
            Some(Requirement::Required) => "R",
            Some(Requirement::Addressable) => "A",
            None => "",
        };
        assert_eq!(
            [row[0].as_str(), &unwrap(&row[1]), &row[2], &row[3]],
            [c.citation(), c.name(), ra, c.coverage().label()],
        );
        match c.coverage() {
            Coverage::Tested => {
                let citing: Vec<&str> = registry
                    .iter()
                    .map(|ch| ch.meta())
                    .filter(|m| m.controls.contains(&c))
                    .map(|m| m.id)
                    .collect();
                assert!(!citing.is_empty(), "{} is tested by no check", c.citation());
                assert_eq!(row[4].lines().collect::<Vec<_>>(), citing);
            }
            Coverage::Inherited(r) | Coverage::Organizational(r) => assert_eq!(unwrap(&row[4]), r),
        }
    }
    let tested = Hipaa::ALL
        .iter()
        .filter(|c| c.coverage() == Coverage::Tested)
        .count();
    assert!(text.starts_with(&format!(
        "HIPAA Security Rule, 45 CFR Part 164 Subpart C: {} standards and implementation specifications\n",
        Hipaa::ALL.len()
    )));
    assert!(text.ends_with(&format!(
        "\n{} shown; {tested} tested by checks, the rest inherited from the cloud provider or organizational (R = required, A = addressable).\n",
        Hipaa::ALL.len()
    )));
    // Every check cites a control of the catalogue that is tested.
    for check in &registry {
        let m = check.meta();
        assert!(
            m.controls.iter().any(|c| c.coverage() == Coverage::Tested),
            "{} cites no tested control",
            m.id
        );
    }
}

/// The controls no check tests: their rows say why, and no check can change them.
#[test]
fn controls_not_tested_by_checks_snapshots() {
    for coverage in ["inherited", "organizational"] {
        let text = stdout(&["controls", "--coverage", coverage]);
        assert!(!rows(&text, 0).is_empty(), "no {coverage} control");
        snapshot(&format!("controls-{coverage}"), text);
    }
}
