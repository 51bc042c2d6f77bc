//! AWS Organizations end to end against moto: `phiscan scan aws --org-role ROLE` lists the
//! organization's accounts, assumes the role in each member account, scans every account
//! (a bounded number at a time) and reports each volume under its own account. An account
//! whose role cannot be assumed is ERROR for its scope, never PASS, and does not stop the
//! others; the scan exits 3.

mod support;

use std::collections::BTreeMap;

use assert_cmd::Command;
use phiscan_replay::fault::{Fault, FaultProxy, Rule};
use serde_json::Value;
use support::moto::Moto;

const ROLE: &str = "OrganizationAccountAccessRole";

fn phiscan(endpoint: &str) -> Command {
    let mut c = support::aws("AKIAORGSEEDMANAGER01", "org-seed-secret");
    c.args(["scan", "aws", "--format", "json", "--regions", "us-east-1"])
        .args(["--checks", "aws-ebs-volume-encrypted", "--org-role", ROLE])
        .args(["--endpoint-url", endpoint]);
    c
}

fn run(cmd: &mut Command) -> (Value, i32, String) {
    let out = support::run(cmd);
    (out.report(), out.code, out.stderr)
}

/// resource id -> (account, status)
fn by_resource(report: &Value) -> BTreeMap<String, (String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["resource"]["id"].as_str().unwrap().to_string(),
                (
                    f["account"].as_str().unwrap().to_string(),
                    f["status"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect()
}

fn accounts(truth: &Value) -> (String, String, String) {
    (
        truth["management"].as_str().unwrap().to_string(),
        truth["members"]["ehr-prod"].as_str().unwrap().to_string(),
        truth["members"]["analytics"].as_str().unwrap().to_string(),
    )
}

#[test]
fn every_account_of_the_organization_is_scanned_under_its_own_id() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed_org();
    let (management, prod, analytics) = accounts(&truth);
    let (report, code, stderr) = run(&mut phiscan(&moto.url));
    assert_eq!(code, 1, "volumes fail, nothing is missing: {stderr}");

    let scopes: Vec<(&str, Option<&str>)> = report["scan"]["scope"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["account"].as_str().unwrap(), s["name"].as_str()))
        .collect();
    let mut want = vec![management.as_str(), prod.as_str(), analytics.as_str()];
    want.sort();
    assert_eq!(scopes.iter().map(|s| s.0).collect::<Vec<_>>(), want);
    assert!(
        scopes.contains(&(prod.as_str(), Some("ehr-prod"))),
        "{scopes:?}"
    );

    let got = by_resource(&report);
    for v in truth["verdicts"].as_array().unwrap() {
        let id = v["volume"].as_str().unwrap();
        assert_eq!(
            got.get(id),
            Some(&(
                v["account"].as_str().unwrap().to_string(),
                v["status"].as_str().unwrap().to_string()
            )),
            "{id}"
        );
    }
    assert_eq!(
        got.len(),
        truth["verdicts"].as_array().unwrap().len(),
        "{got:?}"
    );

    // The organization calls are logged: one ListAccounts, one AssumeRole per member.
    let ops: Vec<&str> = report["scan"]["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        ops.iter().filter(|o| **o == "ListAccounts").count(),
        1,
        "{ops:?}"
    );
    assert_eq!(
        ops.iter().filter(|o| **o == "AssumeRole").count(),
        2,
        "{ops:?}"
    );
}

#[test]
fn an_account_whose_role_cannot_be_assumed_is_error_and_the_others_are_judged() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed_org();
    let (management, prod, analytics) = accounts(&truth);
    let denied = FaultProxy::start(
        &moto.url,
        vec![Rule::always(
            &format!("iam%3A%3A{analytics}%3Arole"),
            Fault::Respond {
                status: 403,
                headers: vec![("Content-Type".into(), "text/xml".into())],
                body: "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform sts:AssumeRole</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>".into(),
            },
        )],
    )
    .unwrap();
    let (report, code, stderr) = run(&mut phiscan(&denied.base_url()));
    assert!(denied.faults_applied() >= 1, "{:#?}", denied.log());
    assert_eq!(code, 3, "an account could not be scanned: {stderr}");

    let findings = report["findings"].as_array().unwrap();
    let of =
        |acct: &str| -> Vec<&Value> { findings.iter().filter(|f| f["account"] == acct).collect() };
    let lost = of(&analytics);
    assert!(!lost.is_empty());
    for f in lost {
        assert_eq!(f["status"], "ERROR", "{f}");
        let reason = f["reason"].as_str().unwrap();
        assert!(
            reason.contains("AssumeRole") && reason.contains(ROLE),
            "{reason}"
        );
    }
    // The other accounts keep their verdicts.
    assert!(of(&management).iter().all(|f| f["status"] == "FAIL"));
    let prod_statuses: Vec<&str> = of(&prod)
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(prod_statuses.len(), 2);
    assert!(prod_statuses.contains(&"PASS") && prod_statuses.contains(&"FAIL"));
}

#[test]
fn org_flags_are_checked() {
    let out = support::phiscan()
        .args(["scan", "--demo", "--org-role", ROLE])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = support::phiscan()
        .args(["scan", "aws", "--org-accounts", "111111111111"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "--org-accounts needs --org-role"
    );
}

/// `--shard I/N` splits the organization's (account, region) targets: the shards merged give
/// the unsharded organization scan.
#[test]
fn organization_shards_merge_into_the_whole_scan() {
    let Some(moto) = Moto::start() else { return };
    moto.seed_org();
    let dir = tempfile::tempdir().unwrap();
    let two = [
        "--regions",
        "us-east-1,eu-west-1",
        "--now",
        "2026-06-01T12:00:00Z",
    ];
    let (whole, code, stderr) = run(phiscan(&moto.url).args(two));
    assert_eq!(code, 1, "{stderr}");
    let mut parts = Vec::new();
    for i in 1..=2 {
        let path = dir.path().join(format!("shard-{i}.json"));
        let out = phiscan(&moto.url)
            .args(two)
            .args(["--shard", &format!("{i}/2"), "-o"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
        parts.push(path);
    }
    let out = support::run(
        support::phiscan()
            .arg("merge")
            .args(&parts)
            .args(["--format", "json"]),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let merged = out.report();
    assert_eq!(by_resource(&merged), by_resource(&whole));
    assert_eq!(merged["scan"]["counts"], whole["scan"]["counts"]);
    assert_eq!(
        support::scope_accounts(&merged),
        support::scope_accounts(&whole)
    );
    assert_eq!(support::scope_accounts(&whole).len(), 3);
}

/// Each account is evaluated as soon as it is collected and its resources dropped (issue
/// 21): the findings are those of the whole organization's inventory evaluated at once
/// (`--from-inventory` of the same scan's saved inventory), for every AWS check, and the
/// same whether the scan keeps the resources (`--save-inventory`) or not.
#[test]
fn accounts_judged_as_they_finish_report_what_the_whole_organization_does() {
    let Some(moto) = Moto::start() else { return };
    moto.seed_org();
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("org.json");
    let now = ["--now", "2026-06-01T12:00:00Z", "--format", "json"];
    let org = |extra: &[&str]| {
        let mut c = support::aws("AKIAORGSEEDMANAGER01", "org-seed-secret");
        c.args(["scan", "aws", "--regions", "us-east-1", "--org-role", ROLE])
            .args(["--endpoint-url", &moto.url])
            .args(now)
            .args(extra);
        run(&mut c)
    };
    let (dropped, code, stderr) = org(&[]);
    assert!(matches!(code, 1 | 3), "{stderr}");
    let (kept, _, stderr) = org(&["--save-inventory", saved.to_str().unwrap()]);
    let out = support::run(
        support::phiscan()
            .args(["scan", "--from-inventory"])
            .arg(&saved)
            .args(now),
    );
    let whole = out.report();

    assert_eq!(kept["findings"], whole["findings"], "{stderr}");
    assert_eq!(kept["scan"]["counts"], whole["scan"]["counts"]);
    assert_eq!(kept["scan"]["scope"], whole["scan"]["scope"]);
    // Two scans of the same emulator: every verdict the same.
    let verdicts = |r: &Value| -> Vec<(String, String, String)> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let s = |v: &Value| v.as_str().unwrap().to_string();
                (s(&f["check_id"]), s(&f["resource"]["id"]), s(&f["status"]))
            })
            .collect()
    };
    assert_eq!(verdicts(&dropped), verdicts(&whole));
    assert_eq!(support::scope_accounts(&dropped).len(), 3);
    assert!(verdicts(&whole).len() > 50, "{:?}", verdicts(&whole).len());
}
