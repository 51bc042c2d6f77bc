//! Scans that cannot start: one line on stderr and exit code 2.

use super::*;

/// Exit 2 and one line on stderr.
fn assert_one_line_error(out: Output, expected: &[&str]) {
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{stderr:?} lacks {e:?}");
    }
    assert!(out.stdout.is_empty());
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn unreachable_endpoint_is_a_usage_error() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let out = support::aws("testing", SECRET)
        .args([
            "scan",
            "aws",
            "--endpoint-url",
            &url,
            "--regions",
            "us-east-1",
        ])
        .output()
        .unwrap();
    assert_one_line_error(
        out,
        &["cannot identify the AWS account", "sts:GetCallerIdentity"],
    );
}

#[test]
fn missing_credentials_is_a_usage_error() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let out = support::aws("unused", "unused")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args([
            "scan",
            "aws",
            "--endpoint-url",
            &url,
            "--regions",
            "us-east-1",
        ])
        .output()
        .unwrap();
    assert_one_line_error(out, &["cannot identify the AWS account", "credentials"]);
}

#[test]
fn aws_flags_need_a_live_aws_scan() {
    let out = support::aws("testing", SECRET)
        .args(["scan", "--demo", "--regions", "us-east-1"])
        .output()
        .unwrap();
    assert_one_line_error(out, &["live AWS scans only"]);
}
