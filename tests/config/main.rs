//! End-to-end tests of phiscan.toml through the binary, on the demo estate: waivers (applied,
//! expired, unmatched, the exit code after waivers, every format showing them), the
//! data-classification scope (include, exclude, report), severity overrides and fail_on,
//! `phiscan config check`, and bad files refused with file, line, column and key.

#[path = "../support/mod.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

mod files;
mod scope;
mod untaggable;
mod waivers;

const NOW: &str = "2026-06-01T12:00:00Z";

/// The binary in `dir`, where it finds that directory's phiscan.toml.
fn phiscan(dir: &Path) -> Command {
    let mut c = support::phiscan();
    c.current_dir(dir);
    c
}

struct Run {
    json: Value,
    code: i32,
    stderr: String,
}

/// `scan --demo` in `dir` (where its phiscan.toml is found), JSON on stdout.
fn demo(dir: &Path, extra: &[&str]) -> Run {
    let out = support::run(
        phiscan(dir)
            .args(["scan", "--demo", "--format", "json", "--now", NOW])
            .args(extra),
    );
    Run {
        json: out.report(),
        code: out.code,
        stderr: out.stderr,
    }
}

fn with_config(toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("phiscan.toml"), toml).unwrap();
    dir
}

fn findings(v: &Value) -> &Vec<Value> {
    v["findings"].as_array().expect("findings")
}

/// (check id, resource id) of every FAIL of the plain demo.
fn demo_failures() -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let run = demo(dir.path(), &[]);
    assert_eq!(run.code, 1);
    findings(&run.json)
        .iter()
        .filter(|f| f["status"] == "FAIL")
        .map(|f| {
            (
                f["check_id"].as_str().unwrap().to_string(),
                f["resource"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn waiver(check: &str, resource: &str, expires: &str) -> String {
    format!(
        "[[waiver]]\ncheck = \"{check}\"\nresource = \"{resource}\"\njustification = \"RISK-1 compensating control\"\napprover = \"ciso@example.org\"\nexpires = {expires}\n\n"
    )
}
