//! The GCP replay's `estate` scenario (three projects found by search; see tests/gcp_replay.rs).

use super::*;
use phiscan_replay::Replay;

const TOKEN: &str = "ya29.phiscan-test-token-never-logged";

fn scan(replay: &Replay, home: &Path, extra: &[&str]) -> Run {
    let out = support::run(
        support::gcp(TOKEN, home)
            .args(["scan", "gcp", "--format", "json", "--now", NOW])
            .args(["--gcp-endpoint", replay.base_url()])
            .args(extra),
    );
    assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
    out
}

fn replay() -> Replay {
    Replay::start(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/gcp/estate")).unwrap()
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
        seen.extend(support::scope_accounts(&report));
        parts.push(path);
    }
    // Every project scanned by exactly one shard.
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(
        seen.into_iter().collect::<BTreeSet<_>>(),
        support::scope_accounts(&whole_report)
            .into_iter()
            .collect::<BTreeSet<_>>()
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
