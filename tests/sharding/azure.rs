//! Azure subscriptions split over shards, on the replay's `two-subscriptions` scenario (see
//! tests/azure_replay.rs).

use super::*;
use phiscan_replay::Replay;

const TOKEN: &str = "replay-test-token-e3b0c44298fc1c149afbf4c8996fb924";

fn scan(replay: &Replay, extra: &[&str]) -> Run {
    let out = support::run(
        support::azure(TOKEN)
            .args(["scan", "azure", "--format", "json", "--now", NOW])
            .args(["--azure-endpoint", replay.base_url()])
            .args(extra),
    );
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
    assert!(support::scope_accounts(&whole_report).len() >= 2);
    let mut parts = Vec::new();
    let mut seen = Vec::new();
    for i in 1..=2 {
        let path = dir.path().join(format!("azure-{i}.json"));
        let shard = format!("{i}/2");
        let out = scan(&replay, &["--shard", &shard, "-o", path.to_str().unwrap()]);
        assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
        let report = json(&std::fs::read_to_string(&path).unwrap());
        let mine = support::scope_accounts(&report);
        // The two subscriptions hash into different shards (pinned ids).
        assert_eq!(mine.len(), 1, "{mine:?}");
        seen.extend(mine);
        parts.push(path);
    }
    seen.sort();
    let mut all = support::scope_accounts(&whole_report);
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
