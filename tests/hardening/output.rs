//! Outputs and diagnostics: a huge or hostile resource name renders fast and escaped in the
//! table and CSV; a closed stderr never panics; `-q` means errors only; a path in
//! PHISCAN_SIGNING_KEY is explained.

use super::*;

/// A demo inventory whose first EBS volume has `name`.
fn inventory_with_name(dir: &Path, name: &str) -> String {
    let inv = dir.join("inv.json");
    let inv_s = inv.to_str().unwrap().to_string();
    let r = run(dir, &[DEMO_JSON, &["--save-inventory", &inv_s]].concat());
    assert!(r.code == 1 || r.code == 0, "{}", r.stderr);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&inv).unwrap()).unwrap();
    let vols = v["aws_ebs_volumes"].as_array_mut().unwrap();
    for vol in vols.iter_mut() {
        vol["resource"]["name"] = name.into();
        vol["encrypted"] = false.into();
    }
    std::fs::write(&inv, v.to_string()).unwrap();
    inv_s
}

#[test]
fn a_huge_hostile_resource_name_renders_fast_and_escaped_in_table_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("\u{1b}[2Jx\rforged\u{9b}31m{}", "y".repeat(100_000));
    let inv = inventory_with_name(dir.path(), &name);
    let args = |format: &'static str| {
        vec![
            "scan",
            "--from-inventory",
            inv.as_str(),
            "--now",
            NOW,
            "--checks",
            "aws-ebs-volume-encrypted",
            "--format",
            format,
        ]
    };
    let started = Instant::now();
    let table = run(dir.path(), &args("table"));
    assert_eq!(table.code, 1, "{}", table.stderr);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(20), "table took {took:?}");
    assert!(
        table.stdout.contains("\\u{1b}[2Jx\\rforged\\u{9b}31m"),
        "escaped name missing"
    );
    assert!(
        table.stdout.contains('…'),
        "the long name is cut with an ellipsis"
    );
    assert!(table.stdout.len() < 200_000, "{} bytes", table.stdout.len());
    let csv = run(dir.path(), &args("csv"));
    assert_eq!(csv.code, 1, "{}", csv.stderr);
    for out in [&table.stdout, &csv.stdout] {
        assert!(
            !out.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r' || c == '\u{9b}'),
            "a control character reached the output"
        );
    }
    assert!(
        !csv.stdout.replace("\r\n", "").contains('\r'),
        "a bare carriage return in the CSV"
    );
}

#[test]
fn a_closed_stderr_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["scan", "--demo", "--checks", "nope"],
        vec![
            "scan", "--demo", "--now", NOW, "--format", "json", "--output", "r.json",
        ],
    ] {
        // assert_cmd cannot hand the child a pipe of ours; a bare command with an empty
        // environment (the demo needs none) can.
        let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("phiscan"))
            .env_clear()
            .current_dir(dir.path())
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(closed_pipe())
            .status()
            .unwrap();
        assert_ne!(status.code(), Some(101), "{args:?} panicked");
        assert!(matches!(status.code(), Some(0..=3)), "{args:?}: {status}");
    }
}

/// The write end of a pipe whose read end is already closed: writing to it fails (EPIPE).
fn closed_pipe() -> std::process::Stdio {
    let mut child = std::process::Command::new("true")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    child.wait().unwrap();
    stdin.into()
}

#[test]
fn quiet_silences_waiver_warnings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("phiscan.toml"),
        "[[waiver]]\ncheck = \"aws-ebs-volume-encrypted\"\nresource = \"no-such-resource\"\njustification = \"j\"\napprover = \"a\"\nexpires = 2099-01-01\n",
    )
    .unwrap();
    let scan = |quiet: bool| {
        let mut args = DEMO_JSON.to_vec();
        if quiet {
            args.push("-q");
        }
        run(dir.path(), &args)
    };
    assert!(
        scan(false).stderr.contains("warning: "),
        "the unmatched waiver is warned about"
    );
    let quiet = scan(true);
    assert!(quiet.stderr.is_empty(), "-q printed: {}", quiet.stderr);
}

#[test]
fn a_path_in_the_signing_key_variable_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = support::phiscan();
    c.current_dir(dir.path())
        .args(DEMO_JSON)
        .args(["--evidence", "b"])
        .env("PHISCAN_SIGNING_KEY", "/home/me/keys/phiscan.pem");
    let r = support::run(&mut c);
    assert_one_clean_error(&r, 300);
    assert!(
        r.stderr
            .contains("this variable holds the key itself; use --signing-key FILE"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("phiscan.pem"),
        "the value is not repeated: {}",
        r.stderr
    );
}
