//! Every output format, end to end, in two complementary ways:
//!
//! - `estate`: byte snapshots of each format over a small fixed estate
//!   (fixtures/snapshot-estate) and an explicit list of checks, small enough to review and
//!   unchanged when a check or a demo resource is added elsewhere.
//! - `demo`, `browser`: the full demo validated structurally, never byte-snapshotted: each
//!   format against its official schema (vendored in tests/schemas/, no network): SARIF 2.1.0
//!   (JSON Schema draft-04), OSCAL 1.2.1 assessment results (draft-07), JUnit XML (windyroad
//!   XSD, via xmllint), OCSF 1.8.0 Compliance Finding (`ocsf`, a small validator over the
//!   vendored source definitions), ASFF (`asff`, a validator of the Security Hub API's
//!   rules, and an import into moto's Security Hub); the HTML report rendered in headless Chromium; the
//!   findings per status equal in every format; every registered check with a PASS and a
//!   FAIL.
//! - `attested`: the verdicts on attested assets (`--attested`) in CSV, SARIF, JUnit, OCSF,
//!   ASFF and OSCAL: valid, labelled ATTESTED with the attester, never in observed counts.
//! - `ids`: the identifiers of a finding do not move when another check is selected.

#[path = "../support/mod.rs"]
mod support;
use support::phiscan;

mod asff;
mod attested;
mod browser;
mod demo;
mod estate;
mod ids;
mod ocsf;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use serde_json::Value;

const NOW: &str = "2026-06-01T12:00:00Z";

/// Run the binary, expect `code`, return stdout (a JSON report validated against the JSON v1
/// schema).
fn run(args: &[&str], code: i32) -> String {
    let out = phiscan()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    if args.windows(2).any(|w| w == ["--format", "json"]) {
        support::json(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"));
    }
    String::from_utf8(out.stdout).unwrap()
}

fn demo(format: &str) -> String {
    run(&["scan", "--demo", "--now", NOW, "--format", format], 1)
}

fn demo_json() -> Value {
    serde_json::from_str(&demo("json")).unwrap()
}

fn schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas")
}

fn load_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A tool the test needs: skipped with a note locally, a hard failure in CI (CI=true), where
/// ci/test installs it.
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{name} is not installed; ci/test installs it (apt-get)");
        }
        eprintln!("SKIPPED: {name} is not installed (ci/test installs it)");
    }
    found
}

/// Violations of the vendored SARIF 2.1.0 schema, one line each.
fn sarif_errors(doc: &Value) -> Vec<String> {
    let schema = load_json(&schemas().join("sarif-schema-2.1.0.json"));
    let validator = jsonschema::draft4::new(&schema).expect("schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

/// Violations of the vendored OSCAL 1.2.1 assessment-results schema, one line each.
fn oscal_errors(doc: &Value) -> Vec<String> {
    let schema = load_json(&schemas().join("oscal_assessment-results_schema.json"));
    let validator = jsonschema::draft7::new(&schema).expect("schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

/// Validate JUnit XML against the vendored XSD with xmllint (skipped without xmllint, see
/// [`tool`]).
fn assert_junit_valid(text: &str) {
    let Some(xmllint) = tool("xmllint") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.junit.xml");
    std::fs::write(&file, text).unwrap();
    let out = Process::new(xmllint)
        .arg("--noout")
        .arg("--schema")
        .arg(schemas().join("junit.xsd"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "JUnit XML invalid: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
