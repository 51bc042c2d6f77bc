//! End-to-end hardening tests (issue 15): input a user or an attacker controls never makes
//! phiscan panic, hang or print control characters, and every refusal is one short line
//! naming what and where. Unit tests next to the logic cover the bounds themselves; these
//! prove the binary uses them.

#[path = "../support/mod.rs"]
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::Run;

mod config;
mod output;

const NOW: &str = "2026-06-01T12:00:00Z";

/// A demo scan writing its JSON report to r.json.
const DEMO_JSON: &[&str] = &[
    "scan", "--demo", "--now", NOW, "--format", "json", "--output", "r.json",
];

/// `phiscan ARGS` in `dir` (where a phiscan.toml there is found).
fn run(dir: &Path, args: &[&str]) -> Run {
    let mut c = support::phiscan();
    support::run(c.current_dir(dir).args(args))
}

/// A refusal: exit code 2 and one `error:` line without control characters, at most
/// `max` characters long.
fn assert_one_clean_error(r: &Run, max: usize) {
    assert_eq!(r.code, 2, "stderr: {}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {:?}", r.stderr);
    assert!(lines[0].starts_with("error: "), "{}", lines[0]);
    assert!(
        !lines[0].chars().any(|c| c.is_control()),
        "control characters: {:?}",
        lines[0]
    );
    assert!(
        lines[0].chars().count() <= max,
        "{} characters: {}",
        lines[0].chars().count(),
        &lines[0][..300.min(lines[0].len())]
    );
}
