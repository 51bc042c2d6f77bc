//! phiscan.toml and profiles: numbers out of range, long and hostile text, encodings.

use super::*;

fn with(file: &str, text: impl AsRef<[u8]>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), text).unwrap();
    dir
}

#[test]
fn out_of_range_numbers_are_refused_by_config_check_and_scan_with_line_and_key() {
    for (text, line, key) in [
        (
            "[params]\nmax_backup_age_hours = 9223372036854775807\n",
            2,
            "params.max_backup_age_hours",
        ),
        (
            "[check_params.aws-acm-cert-not-expiring]\ncert_expiry_days = 1000000000000\n",
            2,
            "check_params.aws-acm-cert-not-expiring.cert_expiry_days",
        ),
        (
            "fail_on = \"low\"\n[params]\nmin_password_length = 0\n",
            3,
            "params.min_password_length",
        ),
    ] {
        let dir = with("phiscan.toml", text);
        for args in [
            &["config", "check"][..],
            &["scan", "--demo", "--now", NOW][..],
        ] {
            let r = run(dir.path(), args);
            assert_one_clean_error(&r, 300);
            let want = format!("error: phiscan.toml:{line}:");
            assert!(r.stderr.starts_with(&want), "{want}: {}", r.stderr);
            assert!(
                r.stderr.contains(&format!("key `{key}`")) && r.stderr.contains("out of range"),
                "{}",
                r.stderr
            );
        }
    }
}

#[test]
fn a_profile_with_a_number_out_of_range_is_refused_before_the_scan() {
    let shipped = include_str!("../../profiles/healthtensor.toml");
    let text = shipped.replacen(
        "{ id = \"aws-ebs-volume-encrypted\" }",
        "{ id = \"aws-ebs-volume-encrypted\", params = { max_backup_age_hours = 9223372036854775807 } }",
        1,
    );
    assert_ne!(text, shipped);
    let dir = with("p.toml", text);
    let r = run(
        dir.path(),
        &["scan", "--demo", "--now", NOW, "--profile", "p.toml"],
    );
    assert_one_clean_error(&r, 1200);
    assert!(
        r.stderr.contains("p.toml")
            && r.stderr
                .contains("max_backup_age_hours = 9223372036854775807 is out of range"),
        "{}",
        r.stderr
    );
}

#[test]
fn hostile_text_in_errors_is_escaped_and_shortened() {
    let dir = tempfile::tempdir().unwrap();
    let forged = format!("x\nerror: forged\u{1b}[2J{}", "a".repeat(100_000));
    for args in [
        vec!["scan", "--demo", "--checks", forged.as_str()],
        vec!["scan", "--demo", "--exclude-checks", forged.as_str()],
        vec!["scan", "--demo", "--profile", forged.as_str()],
    ] {
        let started = Instant::now();
        let r = run(dir.path(), &args);
        assert_one_clean_error(&r, 600);
        assert!(started.elapsed() < Duration::from_secs(10));
    }
    // A waiver's resource glob that globset cannot compile, and a long unknown check id.
    let waiver = format!(
        "[[waiver]]\ncheck = \"aws-ebs-volume-encrypted\"\nresource = \"{}\"\njustification = \"j\"\napprover = \"a\"\nexpires = 2099-01-01\n",
        "*a".repeat(50_000)
    );
    let dir = with("phiscan.toml", &waiver);
    let r = run(dir.path(), &["config", "check"]);
    assert_one_clean_error(&r, 600);
    assert!(
        r.stderr.contains("key `waiver.resource`: bad glob") && r.stderr.contains("at most 1024"),
        "{}",
        r.stderr
    );
    let severity = format!(
        "[severity]\n\"{}\\u001b[2J\" = \"high\"\n",
        "b".repeat(100_000)
    );
    let dir = with("phiscan.toml", &severity);
    let started = Instant::now();
    let r = run(dir.path(), &["config", "check"]);
    assert_one_clean_error(&r, 600);
    assert!(r.stderr.contains("unknown check id"), "{}", r.stderr);
    assert!(started.elapsed() < Duration::from_secs(10));
    // `--checks` splits at commas, so the nesting is of one-branch groups.
    let nested = format!("{}a{}", "{".repeat(300), "}".repeat(300));
    let r = run(
        tempfile::tempdir().unwrap().path(),
        &["scan", "--demo", "--checks", &nested],
    );
    assert_one_clean_error(&r, 600);
    assert!(r.stderr.contains("nested"), "{}", r.stderr);
}

#[test]
fn a_bom_is_accepted_and_bad_utf8_is_located() {
    let dir = with("phiscan.toml", b"\xEF\xBB\xBFfail_on = \"high\"\n");
    let r = run(dir.path(), &["config", "check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dir = with("phiscan.toml", b"fail_on = \"high\"\n# caf\xE9\n");
    let r = run(dir.path(), &["config", "check"]);
    assert_one_clean_error(&r, 300);
    assert!(
        r.stderr.starts_with("error: phiscan.toml:2:6: ") && r.stderr.contains("not valid UTF-8"),
        "{}",
        r.stderr
    );

    let shipped = include_str!("../../profiles/qolty.toml");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(shipped.as_bytes());
    let dir = with("p.toml", bom);
    let r = run(dir.path(), &["profiles", "show", "p.toml"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let mut latin1 = shipped.as_bytes().to_vec();
    latin1.extend_from_slice(b"# caf\xE9\n");
    let dir = with("p.toml", latin1);
    let r = run(dir.path(), &["profiles", "show", "p.toml"]);
    assert_one_clean_error(&r, 300);
    assert!(
        r.stderr.contains("p.toml: line ") && r.stderr.contains("not valid UTF-8"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("unknown profile"), "{}", r.stderr);
}
