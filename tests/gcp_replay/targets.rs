//! Targets and selection: named projects, selected checks, the endpoint from the environment,
//! phiscan.toml, organizations and folders.

use super::*;

#[test]
fn named_projects_are_scanned_without_searching() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let run = scan(&replay, &["--project", A]);
    assert_verdicts(&verdicts(&run.report), &as_map(expected_prod()));
    assert_eq!(
        run.code, 1,
        "failures, nothing missing; stderr: {}",
        run.stderr
    );
    assert!(replay
        .requests()
        .iter()
        .all(|r| r.path != "/v3/projects:search" && !r.path.contains(B) && !r.path.contains(C)));
}

#[test]
fn only_the_selected_checks_data_is_collected() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let run = scan(&replay, &["--project", A, "--checks", "gcp-sql-*"]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let paths: Vec<String> = replay.requests().into_iter().map(|r| r.path).collect();
    assert!(!paths.is_empty());
    assert!(
        paths
            .iter()
            .all(|p| p.starts_with(&format!("/v1/projects/{A}/instances"))),
        "{paths:?}"
    );
}

#[test]
fn the_endpoint_can_come_from_the_environment() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = support::run(
        phiscan(dir.path())
            .env("PHISCAN_GCP_ENDPOINT", replay.base_url())
            .args([
                "scan",
                "gcp",
                "--project",
                A,
                "--checks",
                "gcp-kms-*",
                "--format",
                "json",
            ]),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(replay
        .requests()
        .iter()
        .any(|r| r.path.ends_with(":getIamPolicy")));
}

/// phiscan.toml on a live-collected scan: the targets (project, endpoint) come from the file,
/// and a waiver turns a FAIL of a collected resource into WAIVED.
#[test]
fn phiscan_toml_targets_and_waivers_apply_to_a_live_scan() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let disk = compute(A, "zones/us-east1-b", "disks", "imaging-scratch");
    let config = dir.path().join("phiscan.toml");
    std::fs::write(
        &config,
        format!(
            "[gcp]\nprojects = [\"{A}\"]\nendpoint = \"{}\"\n\n[checks]\ninclude = [\"{DISK}\"]\n\n[[waiver]]\ncheck = \"{DISK}\"\nresource = \"imaging-*\"\njustification = \"Scratch disk, no ePHI at rest after 24h; RISK-7\"\napprover = \"ciso@example.org\"\nexpires = 2026-12-31\n",
            replay.base_url()
        ),
    )
    .unwrap();
    let out = phiscan(dir.path())
        .current_dir(dir.path())
        .args(["scan", "gcp", "--format", "json", "--now", NOW])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the one failure is waived; {stderr}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = verdicts(&report);
    assert_eq!(v[&(DISK.to_string(), disk)], "WAIVED");
    assert_eq!(v.values().filter(|s| *s == "PASS").count(), 3);
    assert_eq!(report["waivers"][0]["state"], "applied");
    // Only the file's project was read.
    assert!(replay
        .requests()
        .iter()
        .all(|r| !r.path.starts_with("/v3/") && !r.path.contains(B) && !r.path.contains(C)));
}

#[test]
fn an_organization_is_scanned_through_its_nested_folders() {
    // organizations/100000000001 holds janus-ehr-prod and the folder Clinical (the second
    // page of its folders is a folder being deleted); Clinical holds janus-analytics (and a
    // project being deleted) and the nested folder Partners, whose projects come over two
    // pages: janus-partner-sandbox.
    let replay = Replay::start(scenario("estate")).unwrap();
    let run = scan(&replay, &["--organization", "100000000001"]);
    assert_eq!(run.code, 3, "stderr: {}", run.stderr);
    assert_eq!(scope_accounts(&run.report), [B, A, C]);
    // The same verdicts as the scan of every project the credentials can see.
    let mut want = as_map(expected_prod());
    want.extend(as_map(expected_degraded()));
    assert_verdicts(&verdicts(&run.report), &want);
    let requests = replay.requests();
    assert!(requests
        .iter()
        .all(|r| r.matched && r.path != "/v3/projects:search"));
    assert!(!requests
        .iter()
        .any(|r| r.path.contains("janus-legacy-intake")));
    assert!(!requests
        .iter()
        .any(|r| r.query.iter().any(|(_, v)| v == "folders/200000000003")));
    let calls = run.report["scan"]["api_calls"].as_array().unwrap();
    let count = |op: &str| calls.iter().filter(|c| c["operation"] == op).count();
    assert_eq!(
        count("folders.list"),
        4,
        "org (2 pages), Clinical, Partners"
    );
    assert_eq!(
        count("projects.list"),
        4,
        "org, Clinical, Partners (2 pages)"
    );
    assert_eq!(calls.len(), requests.len());
}

#[test]
fn a_folder_and_named_projects_are_a_union() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let run = scan(&replay, &["--folder", "300000000004", "--project", A]);
    assert_eq!(run.code, 3, "stderr: {}", run.stderr);
    assert_eq!(scope_accounts(&run.report), [A, C]);
    let got = verdicts(&run.report);
    assert!(got.keys().all(|(_, id)| !id.contains(B)));
    assert_verdicts(
        &got.into_iter()
            .filter(|((_, id), _)| !id.contains(C))
            .collect(),
        &as_map(expected_prod()),
    );
    // The same project under the folder and named: scanned once.
    let replay = Replay::start(scenario("estate")).unwrap();
    let run = scan(
        &replay,
        &[
            "--folder",
            "folders/300000000004",
            "--project",
            C,
            "--checks",
            "gcp-sql-*",
        ],
    );
    assert_eq!(scope_accounts(&run.report), [C]);

    // From phiscan.toml: `gcp.folders` with `gcp.projects`.
    let replay = Replay::start(scenario("estate")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("phiscan.toml"),
        format!(
            "[gcp]\nprojects = [\"{A}\"]\nfolders = [\"300000000004\"]\nendpoint = \"{}\"\n",
            replay.base_url()
        ),
    )
    .unwrap();
    let out = phiscan(dir.path())
        .current_dir(dir.path())
        .args(["scan", "gcp", "--format", "json", "--checks", "gcp-sql-*"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(scope_accounts(&report), [A, C]);
}
