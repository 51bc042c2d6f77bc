//! Registry-wide rules: ids, documentation, the HIPAA catalogue in both directions, and
//! the demo estate exercising every check both ways.

use std::collections::{BTreeMap, BTreeSet};

use phiscan_core::frameworks::hipaa::{Coverage, Hipaa};
use phiscan_core::{engine, Status};
use phiscan_demo as demo;

use crate::registry;

#[test]
fn ids_are_unique_stable_kebab_case_with_provider_prefix() {
    let mut seen = BTreeSet::new();
    for c in registry() {
        let m = c.meta();
        assert!(seen.insert(m.id), "duplicate check id {}", m.id);
        assert!(
            m.id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !m.id.contains("--")
                && !m.id.ends_with('-'),
            "{} is not kebab-case",
            m.id
        );
        assert!(
            m.id.starts_with(&format!("{}-", m.provider)),
            "{} does not start with its provider",
            m.id
        );
        assert!(!m.title.is_empty() && !m.kinds.is_empty() && !m.controls.is_empty());
        for k in m.kinds {
            assert_eq!(
                k.provider(),
                m.provider,
                "{} reads {k:?} of another provider",
                m.id
            );
        }
    }
}

#[test]
fn every_check_documents_every_section() {
    let problems: Vec<String> = registry()
        .iter()
        .flat_map(|c| c.meta().doc_problems())
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_cited_control_is_marked_tested() {
    for c in registry() {
        for ctl in c.meta().controls {
            assert_eq!(
                ctl.coverage(),
                Coverage::Tested,
                "{} cites {} ({}), which the catalogue marks {}",
                c.meta().id,
                ctl.citation(),
                ctl.name(),
                ctl.coverage().label()
            );
        }
    }
}

#[test]
fn every_tested_control_is_covered_by_a_check() {
    let cited: BTreeSet<Hipaa> = registry()
        .iter()
        .flat_map(|c| c.meta().controls.iter().copied())
        .collect();
    let uncovered: Vec<String> = Hipaa::ALL
        .iter()
        .filter(|c| c.coverage() == Coverage::Tested && !cited.contains(c))
        .map(|c| format!("{} {}", c.citation(), c.name()))
        .collect();
    assert!(
        uncovered.is_empty(),
        "controls marked tested that no check cites: {uncovered:?}"
    );
}

/// The demo estate is the first thing a newcomer runs: every check must show both a
/// compliant and a non-compliant resource there, and nothing may be an ERROR.
#[test]
fn demo_estate_exercises_every_check_both_ways() {
    let now = crate::testing::now();
    let inv = demo::estate(now);
    let findings = engine::evaluate(&registry(), &inv, &demo::config::config(), now);
    let mut by_check: BTreeMap<&str, BTreeSet<Status>> = BTreeMap::new();
    for c in registry() {
        by_check.insert(c.meta().id, BTreeSet::new());
    }
    for f in &findings {
        by_check
            .get_mut(f.check_id.as_ref())
            .expect("finding of a registered check")
            .insert(f.status);
    }
    let lacking: Vec<String> = by_check
        .iter()
        .filter(|(_, s)| !(s.contains(&Status::Pass) && s.contains(&Status::Fail)))
        .map(|(id, s)| format!("{id}: {s:?}"))
        .collect();
    assert!(
        lacking.is_empty(),
        "checks without both PASS and FAIL in the demo: {lacking:#?}"
    );
    assert!(findings.iter().all(|f| f.status != Status::Error));
}

/// Every resource in the demo has a kind some registered check reads (no dead data), and
/// the demo inventory survives a save/load round trip.
#[test]
fn demo_inventory_round_trips() {
    let inv = demo::estate(crate::testing::now());
    let back = phiscan_core::Inventory::from_json(&inv.to_json(), "demo").unwrap();
    assert_eq!(inv, back);
}
