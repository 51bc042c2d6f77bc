//! End-to-end tests of `scan --shard I/N` and `phiscan merge`, through the binary: the shards
//! of an estate, merged, are the unsharded scan (same findings, counts, scopes, checks and
//! exit code), on the demo estate and on the GCP replay; bad shards are usage errors; merge
//! refuses what is not one scan, naming the file.

// Shared with tests/aws_moto.rs; this file uses only part of it.
#[allow(dead_code)]
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-06-01T12:00:00Z";

fn phiscan() -> Command {
    let mut c = Command::cargo_bin("phiscan").expect("binary built");
    c.env_remove("PHISCAN_SIGNING_KEY");
    c
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Out {
    let out = phiscan().args(args).output().unwrap();
    Out {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A demo scan (shard or not) written to `dir/name`, returning its path and report.
fn demo(dir: &Path, name: &str, shard: Option<&str>) -> (PathBuf, Value) {
    let path = dir.join(name);
    let mut args = vec!["scan", "--demo", "--format", "json", "--now", NOW, "-o"];
    let p = path.to_str().unwrap().to_string();
    args.push(&p);
    if let Some(s) = shard {
        args.extend(["--shard", s]);
    }
    let out = run(&args);
    assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
    let report = json(&std::fs::read_to_string(&path).unwrap());
    (path, report)
}

/// Findings as a set of canonical JSON strings (order-independent comparison).
fn findings(report: &Value) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.to_string())
        .collect()
}

fn merge(inputs: &[&Path], extra: &[&str]) -> Out {
    let mut cmd = phiscan();
    cmd.arg("merge").args(inputs).args(extra);
    let out = cmd.output().unwrap();
    Out {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

/// The parts of `scan` that must survive sharding + merge unchanged.
fn assert_same_scan(merged: &Value, whole: &Value) {
    assert_eq!(findings(merged), findings(whole));
    for field in [
        "counts",
        "exit_code",
        "scope",
        "checks_run",
        "started_at",
        "finished_at",
    ] {
        assert_eq!(merged["scan"][field], whole["scan"][field], "scan.{field}");
    }
    assert_eq!(merged["controls"], whole["controls"]);
    assert!(merged["scan"].get("shard").is_none());
}

#[test]
fn demo_shards_merged_are_the_unsharded_scan() {
    let dir = tempfile::tempdir().unwrap();
    let (_, whole) = demo(dir.path(), "whole.json", None);
    assert!(whole["scan"].get("shard").is_none());
    for n in [2u32, 3] {
        let mut paths = Vec::new();
        let mut sizes = Vec::new();
        for i in 1..=n {
            let shard = format!("{i}/{n}");
            let (path, part) = demo(dir.path(), &format!("part-{i}-of-{n}.json"), Some(&shard));
            assert_eq!(part["scan"]["shard"]["index"], i);
            assert_eq!(part["scan"]["shard"]["count"], n);
            sizes.push(part["findings"].as_array().unwrap().len());
            paths.push(path);
        }
        // Every shard does part of the work, none all of it.
        let total = whole["findings"].as_array().unwrap().len();
        assert!(
            sizes.iter().all(|&s| s < total),
            "{n}: {sizes:?} of {total}"
        );
        let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        let out = merge(&refs, &["--format", "json"]);
        let merged = json(&out.stdout);
        assert_same_scan(&merged, &whole);
        assert_eq!(
            out.code,
            whole["scan"]["exit_code"].as_i64().unwrap() as i32,
            "merge exits with the merged report's code; stderr: {}",
            out.stderr
        );
        // Input order does not matter.
        let reversed: Vec<&Path> = refs.iter().rev().copied().collect();
        let again = json(&merge(&reversed, &["--format", "json"]).stdout);
        assert_same_scan(&again, &whole);
    }
}

#[test]
fn signed_bundles_merge_and_a_tampered_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut bundles = Vec::new();
    for i in 1..=2 {
        let b = dir.path().join(format!("bundle-{i}"));
        let shard = format!("{i}/2");
        let out = run(&[
            "scan",
            "--demo",
            "--now",
            NOW,
            "--shard",
            &shard,
            "--format",
            "json",
            "-o",
            dir.path().join(format!("r{i}.json")).to_str().unwrap(),
            "--evidence",
            b.to_str().unwrap(),
        ]);
        assert!(matches!(out.code, 0 | 1), "{}", out.stderr);
        bundles.push(b);
    }
    let (_, whole) = demo(dir.path(), "whole.json", None);
    let refs: Vec<&Path> = bundles.iter().map(PathBuf::as_path).collect();
    let out = merge(&refs, &["--format", "json"]);
    let merged = json(&out.stdout);
    assert_same_scan(&merged, &whole);
    // Findings read from bundles lose their bundle-relative evidence paths.
    assert!(merged["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f.get("evidence_ref").is_none()));

    let findings = bundles[1].join("findings.json");
    let text = std::fs::read_to_string(&findings).unwrap();
    std::fs::write(&findings, text.replacen("\"FAIL\"", "\"PASS\"", 1)).unwrap();
    let out = merge(&refs, &["--format", "json"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("bundle-2") && out.stderr.contains("verification"),
        "{}",
        out.stderr
    );
    // --no-verify reads it anyway (then only a finding both shards saw can conflict).
    let out = merge(&refs, &["--format", "json", "--no-verify"]);
    assert!(
        matches!(out.code, 0 | 1) || out.stderr.contains("disagree"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_shards_are_usage_errors() {
    for bad in ["0/4", "5/4", "x", "1/0", "2"] {
        let out = run(&["scan", "--demo", "--shard", bad]);
        assert_eq!(out.code, 2, "{bad}: {}", out.stderr);
        assert!(out.stdout.is_empty());
        assert!(
            out.stderr.contains("--shard") && out.stderr.contains("I/N"),
            "{bad}: {}",
            out.stderr
        );
    }
}

#[test]
fn merge_refuses_what_is_not_one_complete_scan() {
    let dir = tempfile::tempdir().unwrap();
    let (one, _) = demo(dir.path(), "1.json", Some("1/3"));
    let (two, _) = demo(dir.path(), "2.json", Some("2/3"));
    let (whole, whole_report) = demo(dir.path(), "whole.json", None);

    // A missing shard: an incomplete scan, never a smaller one.
    let out = merge(&[&one, &two], &["--format", "json"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("3/3") && out.stderr.contains("missing"),
        "{}",
        out.stderr
    );
    // Twice the same shard.
    let out = merge(&[&one, &one], &[]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("both shard 1/3"), "{}", out.stderr);
    // Shards of different splits.
    let (half, _) = demo(dir.path(), "half.json", Some("1/2"));
    let out = merge(&[&one, &half], &[]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("same N"), "{}", out.stderr);

    // Whole scans merge with themselves (identical duplicates are one finding)...
    let out = merge(&[&whole, &whole], &["--format", "json"]);
    assert_same_scan(&json(&out.stdout), &whole_report);

    // ...but not when they disagree on a finding: both files are named.
    let mut changed = whole_report.clone();
    let f = changed["findings"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|f| f["status"] == "FAIL")
        .unwrap();
    f["status"] = "PASS".into();
    let other = dir.path().join("other.json");
    std::fs::write(&other, changed.to_string()).unwrap();
    let out = merge(&[&whole, &other], &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("whole.json")
            && out.stderr.contains("other.json")
            && out.stderr.contains("disagree"),
        "{}",
        out.stderr
    );

    // Another phiscan version: refused, naming both.
    let mut old = whole_report.clone();
    old["scan"]["version"] = "0.0.1".into();
    let older = dir.path().join("older.json");
    std::fs::write(&older, old.to_string()).unwrap();
    let out = merge(&[&whole, &older], &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("older.json") && out.stderr.contains("phiscan version"),
        "{}",
        out.stderr
    );

    // Corrupt and foreign inputs: one line naming the file.
    let corrupt = dir.path().join("corrupt.json");
    std::fs::write(&corrupt, "{\"scan\": ").unwrap();
    let foreign = dir.path().join("foreign.json");
    std::fs::write(&foreign, "{\"hello\": 1}").unwrap();
    let missing = dir.path().join("missing.json");
    for bad in [&corrupt, &foreign, &missing] {
        let out = merge(&[&whole, bad], &[]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stdout.is_empty());
        let name = bad.file_name().unwrap().to_str().unwrap();
        assert!(out.stderr.contains(name), "{}", out.stderr);
        assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
    }
}

#[test]
fn quiet_prints_nothing_on_stderr_and_stdout_stays_json() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("b");
    let out = run(&[
        "scan",
        "--demo",
        "-q",
        "--format",
        "json",
        "--evidence",
        bundle.to_str().unwrap(),
    ]);
    assert!(matches!(out.code, 0 | 1));
    assert_eq!(out.stderr, "");
    json(&out.stdout);
    // Without -q the bundle is announced, on stderr only.
    let bundle = dir.path().join("c");
    let out = run(&[
        "scan",
        "--demo",
        "--format",
        "json",
        "--evidence",
        bundle.to_str().unwrap(),
    ]);
    assert!(out.stderr.contains("evidence bundle"), "{}", out.stderr);
    json(&out.stdout);
    // -q and -v contradict each other.
    assert_eq!(run(&["scan", "--demo", "-q", "-v"]).code, 2);
}

#[test]
fn an_empty_shard_is_an_empty_report_not_an_error() {
    // 64 shards of a demo with few targets: some shard has none of them.
    let empty = (1..=64)
        .map(|i| format!("{i}/64"))
        .find(|s| {
            let out = run(&["scan", "--demo", "--format", "json", "--shard", s]);
            json(&out.stdout)["scan"]["scope"]
                .as_array()
                .unwrap()
                .is_empty()
        })
        .expect("an empty shard");
    let out = run(&["scan", "--demo", "--format", "json", "--shard", &empty]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("none of the targets"), "{}", out.stderr);
    assert_eq!(json(&out.stdout)["findings"].as_array().unwrap().len(), 0);
}

/// The GCP replay's `estate` scenario (three projects found by search; see tests/gcp_replay.rs).
mod gcp {
    use super::*;
    use phiscan_replay::Replay;

    const TOKEN: &str = "ya29.phiscan-test-token-never-logged";

    fn scan(replay: &Replay, home: &Path, extra: &[&str]) -> Out {
        let mut c = Command::cargo_bin("phiscan").unwrap();
        for var in [
            "GOOGLE_APPLICATION_CREDENTIALS",
            "GOOGLE_CLOUD_PROJECT",
            "PHISCAN_GCP_ENDPOINT",
            "RUST_LOG",
        ] {
            c.env_remove(var);
        }
        let out = c
            .env("GOOGLE_OAUTH_ACCESS_TOKEN", TOKEN)
            .env("GCE_METADATA_HOST", "127.0.0.1:9")
            .env("CLOUDSDK_CONFIG", home)
            .env("HOME", home)
            .args(["scan", "gcp", "--format", "json", "--now", NOW])
            .args(["--gcp-endpoint", replay.base_url()])
            .args(extra)
            .output()
            .unwrap();
        let out = Out {
            code: out.status.code().expect("exit code"),
            stdout: String::from_utf8_lossy(&out.stdout).to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).to_string(),
        };
        assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
        out
    }

    fn replay() -> Replay {
        Replay::start(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/gcp/estate")).unwrap()
    }

    fn projects(report: &Value) -> BTreeSet<String> {
        report["scan"]["scope"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["account"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn gcp_shards_split_the_projects_and_merge_into_the_whole_scan() {
        let dir = tempfile::tempdir().unwrap();
        let replay = replay();
        let whole = scan(&replay, dir.path(), &[]);
        assert_eq!(whole.code, 3, "{}", whole.stderr);
        let whole_report = json(&whole.stdout);
        let mut parts = Vec::new();
        let mut seen = Vec::new();
        for i in 1..=2 {
            let path = dir.path().join(format!("gcp-{i}.json"));
            let shard = format!("{i}/2");
            let out = scan(
                &replay,
                dir.path(),
                &["--shard", &shard, "-o", path.to_str().unwrap()],
            );
            assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
            let report = json(&std::fs::read_to_string(&path).unwrap());
            seen.extend(projects(&report));
            parts.push(path);
        }
        // Every project scanned by exactly one shard.
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert_eq!(
            seen.into_iter().collect::<BTreeSet<_>>(),
            projects(&whole_report)
        );

        let refs: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
        let out = merge(&refs, &["--format", "json"]);
        assert_eq!(out.code, 3, "{}", out.stderr);
        let merged = json(&out.stdout);
        assert_eq!(findings(&merged), findings(&whole_report));
        for field in ["counts", "exit_code", "scope", "checks_run"] {
            assert_eq!(
                merged["scan"][field], whole_report["scan"][field],
                "{field}"
            );
        }
    }

    #[test]
    fn logs_and_progress_go_to_stderr_and_never_into_the_json() {
        let dir = tempfile::tempdir().unwrap();
        let replay = replay();
        // -v: every API call logged on stderr; stdout stays one JSON document.
        let out = scan(&replay, dir.path(), &["-v"]);
        assert_eq!(out.code, 3);
        json(&out.stdout);
        let api_lines: Vec<&str> = out
            .stderr
            .lines()
            .filter(|l| l.contains("phiscan::api"))
            .collect();
        assert!(api_lines.len() > 10, "{}", out.stderr);
        assert!(
            api_lines.iter().any(|l| l.contains("WARN")),
            "failed calls are warnings"
        );
        // Operation names only: no URLs or query strings.
        assert!(
            !out.stderr.contains("http://") && !out.stderr.contains('?'),
            "{}",
            out.stderr
        );
        // -vv adds debug lines.
        let out = scan(&replay, dir.path(), &["-vv"]);
        json(&out.stdout);
        assert!(out.stderr.contains("DEBUG"), "{}", out.stderr);

        // Not a terminal, no -v: one summary line per provider, after collection.
        let out = scan(&replay, dir.path(), &[]);
        json(&out.stdout);
        let summary = out.stderr.trim();
        assert_eq!(summary.lines().count(), 1, "{}", out.stderr);
        assert!(
            summary.starts_with("phiscan: gcp: ")
                && summary.contains("in 3 project(s)")
                && summary.contains("GcpComputeDisk ")
                && summary.contains("error(s)"),
            "{summary}"
        );

        // -q: nothing at all on stderr.
        let out = scan(&replay, dir.path(), &["-q"]);
        assert_eq!(out.code, 3);
        assert_eq!(out.stderr, "");
        json(&out.stdout);
    }
}

/// A live AWS account split by region, against moto (the scenario of tests/aws_moto.rs).
mod aws {
    use super::*;

    use super::support::moto::Moto;

    fn scan(moto: &Moto, dir: &Path, extra: &[&str]) -> Out {
        let empty = dir.join("empty-aws-config");
        std::fs::write(&empty, "").unwrap();
        let mut c = Command::cargo_bin("phiscan").unwrap();
        for var in [
            "AWS_PROFILE",
            "AWS_REGION",
            "AWS_ENDPOINT_URL",
            "AWS_SESSION_TOKEN",
            "AWS_ROLE_ARN",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "RUST_LOG",
        ] {
            c.env_remove(var);
        }
        let out = c
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", &empty)
            .env("AWS_SHARED_CREDENTIALS_FILE", &empty)
            .args(["scan", "aws", "--endpoint-url", &moto.url])
            .args([
                "--regions",
                "us-east-1,eu-west-1",
                "--format",
                "json",
                "--now",
                NOW,
            ])
            .args(extra)
            .output()
            .unwrap();
        Out {
            code: out.status.code().expect("exit code"),
            stdout: String::from_utf8_lossy(&out.stdout).to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).to_string(),
        }
    }

    #[test]
    fn aws_regions_split_over_shards_and_merge_into_the_whole_scan() {
        let Some(moto) = Moto::start() else { return };
        moto.seed("scenario");
        let dir = tempfile::tempdir().unwrap();
        let whole = scan(&moto, dir.path(), &[]);
        // 3: moto does not implement AWS Backup recovery points (expected collection errors).
        assert_eq!(whole.code, 3, "{}", whole.stderr);
        let whole_report = json(&whole.stdout);

        // With 3 shards (pinned by the shard unit tests): us-east-1 in 1, eu-west-1 in 3
        // (with the account-wide data: the first region alphabetically), nothing in 2.
        let mut parts = Vec::new();
        let mut regions = Vec::new();
        for i in 1..=3 {
            let path = dir.path().join(format!("aws-{i}.json"));
            let shard = format!("{i}/3");
            let out = scan(
                &moto,
                dir.path(),
                &["--shard", &shard, "-o", path.to_str().unwrap()],
            );
            assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
            let report = json(&std::fs::read_to_string(&path).unwrap());
            let scope = report["scan"]["scope"].as_array().unwrap();
            regions.push(match scope.first() {
                Some(s) => s["regions"].clone(),
                None => Value::Null,
            });
            parts.push(path);
        }
        assert_eq!(
            regions,
            [
                serde_json::json!(["us-east-1"]),
                Value::Null,
                serde_json::json!(["eu-west-1"])
            ]
        );
        // The account-wide data (the S3 account public access block) is in one shard only.
        let account_wide = |report: &Value| {
            report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["resource"]["kind"] == "AwsS3AccountPublicAccessBlock")
                .count()
        };
        let part = |i: usize| json(&std::fs::read_to_string(&parts[i]).unwrap());
        assert!(account_wide(&whole_report) > 0);
        assert_eq!(account_wide(&part(0)), 0);
        assert_eq!(account_wide(&part(2)), account_wide(&whole_report));

        let refs: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
        let out = merge(&refs, &["--format", "json"]);
        assert_eq!(out.code, 3, "{}", out.stderr);
        let merged = json(&out.stdout);
        assert_eq!(findings(&merged), findings(&whole_report));
        for field in ["counts", "exit_code", "checks_run"] {
            assert_eq!(
                merged["scan"][field], whole_report["scan"][field],
                "{field}"
            );
        }
        // Regions are united in sorted order; the unsharded scope keeps --regions order.
        assert_eq!(
            merged["scan"]["scope"][0]["regions"],
            serde_json::json!(["eu-west-1", "us-east-1"])
        );
    }
}

/// Azure subscriptions split over shards, on the replay's `two-subscriptions` scenario (see
/// tests/azure_replay.rs).
#[cfg(feature = "azure")]
mod azure {
    use super::*;
    use phiscan_replay::Replay;

    const TOKEN: &str = "replay-test-token-e3b0c44298fc1c149afbf4c8996fb924";

    fn scan(replay: &Replay, extra: &[&str]) -> Out {
        let mut c = Command::cargo_bin("phiscan").unwrap();
        for var in [
            "AZURE_TENANT_ID",
            "AZURE_CLIENT_ID",
            "AZURE_CLIENT_SECRET",
            "AZURE_FEDERATED_TOKEN_FILE",
            "PHISCAN_AZURE_ENDPOINT",
            "IDENTITY_ENDPOINT",
            "MSI_ENDPOINT",
        ] {
            c.env_remove(var);
        }
        let out = c
            .env("AZURE_ACCESS_TOKEN", TOKEN)
            .args(["scan", "azure", "--format", "json", "--now", NOW])
            .args(["--azure-endpoint", replay.base_url()])
            .args(extra)
            .output()
            .unwrap();
        let out = Out {
            code: out.status.code().expect("exit code"),
            stdout: String::from_utf8_lossy(&out.stdout).to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).to_string(),
        };
        assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
        out
    }

    #[test]
    fn azure_shards_split_the_subscriptions_and_merge_into_the_whole_scan() {
        let dir = tempfile::tempdir().unwrap();
        let replay = Replay::start(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/azure/two-subscriptions"),
        )
        .unwrap();
        let whole = scan(&replay, &[]);
        let whole_report = json(&whole.stdout);
        let subscriptions = |r: &Value| -> Vec<String> {
            r["scan"]["scope"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["account"].as_str().unwrap().to_string())
                .collect()
        };
        assert!(subscriptions(&whole_report).len() >= 2);
        let mut parts = Vec::new();
        let mut seen = Vec::new();
        for i in 1..=2 {
            let path = dir.path().join(format!("azure-{i}.json"));
            let shard = format!("{i}/2");
            let out = scan(&replay, &["--shard", &shard, "-o", path.to_str().unwrap()]);
            assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
            let report = json(&std::fs::read_to_string(&path).unwrap());
            let mine = subscriptions(&report);
            // The two subscriptions hash into different shards (pinned ids).
            assert_eq!(mine.len(), 1, "{mine:?}");
            seen.extend(mine);
            parts.push(path);
        }
        seen.sort();
        let mut all = subscriptions(&whole_report);
        all.sort();
        assert_eq!(seen, all);

        let refs: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
        let out = merge(&refs, &["--format", "json"]);
        assert_eq!(out.code, whole.code, "{}", out.stderr);
        let merged = json(&out.stdout);
        assert_eq!(findings(&merged), findings(&whole_report));
        for field in ["counts", "exit_code", "scope", "checks_run"] {
            assert_eq!(
                merged["scan"][field], whole_report["scan"][field],
                "{field}"
            );
        }
    }
}

#[test]
fn saved_inventory_shards_merge_into_the_whole_scan() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("inventory.json");
    let inv_arg = inv.to_str().unwrap();
    run(&[
        "scan",
        "--demo",
        "--now",
        NOW,
        "-q",
        "--save-inventory",
        inv_arg,
    ]);
    let whole = run(&["scan", "--from-inventory", inv_arg, "--format", "json"]);
    let whole_report = json(&whole.stdout);
    let mut parts = Vec::new();
    for i in 1..=2 {
        let path = dir.path().join(format!("inv-{i}.json"));
        let shard = format!("{i}/2");
        let out = run(&[
            "scan",
            "--from-inventory",
            inv_arg,
            "--shard",
            &shard,
            "--format",
            "json",
            "-o",
            path.to_str().unwrap(),
        ]);
        assert!(matches!(out.code, 0 | 1), "{}", out.stderr);
        parts.push(path);
    }
    let refs: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
    let out = merge(&refs, &["--format", "json"]);
    assert_eq!(out.code, whole.code, "{}", out.stderr);
    assert_same_scan(&json(&out.stdout), &whole_report);
    // The shard is in the scan configuration the evidence bundle records.
    let bundle = dir.path().join("bundle");
    run(&[
        "scan",
        "--from-inventory",
        inv_arg,
        "--shard",
        "2/2",
        "-q",
        "--evidence",
        bundle.to_str().unwrap(),
    ]);
    let scan_json = json(&std::fs::read_to_string(bundle.join("scan.json")).unwrap());
    assert!(
        scan_json.to_string().contains("\"shard\":\"2/2\""),
        "{scan_json}"
    );
}
