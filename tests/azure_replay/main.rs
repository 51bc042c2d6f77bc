//! End-to-end: the real `phiscan` binary scans Azure through the replay server, which serves
//! recorded ARM responses (`fixtures/azure/<scenario>/`, shaped like the official ARM examples)
//! on 127.0.0.1. Every resource's verdict is asserted, as are the ERROR findings of the scopes
//! that could not be read, the exit code, the ApiCall log and the read-only request log.
#![cfg(feature = "azure")]

#[path = "../support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use phiscan_replay::Replay;
use serde_json::Value;
use support::{scope_accounts, verdicts};

mod details;
mod doctor;
mod raw;
mod segmentation;
mod subscriptions;
mod targets;
mod truth;
mod truth_services;

use truth::prod_truth;

const PROD: &str = "7f3e2a10-5c4b-4d2e-9a61-0c8b3e5f1a01";
const DEV: &str = "2b8d4c6e-1f3a-4e5b-8c7d-9e0f1a2b3c02";
const DENIED: &str = "5d6e7f80-9a0b-4c1d-8e2f-3a4b5c6d7e03";
const TOKEN: &str = "replay-test-token-e3b0c44298fc1c149afbf4c8996fb924";

fn scenario(name: &str) -> Replay {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/azure")
        .join(name);
    Replay::start(dir).expect("replay server starts")
}

/// `phiscan scan azure` against the replay server.
fn phiscan(replay: &Replay) -> Command {
    let mut cmd = phiscan_bare();
    cmd.args(["--azure-endpoint", replay.base_url()]);
    cmd
}

/// `phiscan scan azure` with a static token and nothing else from the environment that
/// could pick another credential or endpoint.
fn phiscan_bare() -> Command {
    let mut cmd = support::azure(TOKEN);
    cmd.args([
        "scan",
        "azure",
        "--format",
        "json",
        "--now",
        "2026-11-23T09:00:00Z",
    ]);
    cmd
}

fn rid(sub: &str, rg: &str, typ: &str, name: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/{typ}/{name}")
}

fn error_id(sub: &str, kind: &str) -> String {
    format!("azure/{sub}/all-regions/{kind}")
}
