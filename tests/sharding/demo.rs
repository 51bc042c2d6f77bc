//! The demo estate and saved inventories: shards merged are the whole scan; bad shards and
//! inputs that are not one scan are refused.

use super::*;

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
