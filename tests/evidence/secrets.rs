//! No secret in any output: canaries planted in every field that observed data reaches
//! (collection-error reasons, the API-call log, scope names, resource names, ids and tags, raw
//! responses, the command line) never appear in any file of any format, in the bundle (directory
//! and .tar.gz, file names included), or in what `report`, `diff` and `merge` print, also when
//! they read a report that an older phiscan wrote without redacting.

use std::path::Path;

use serde_json::{json, Value};

use super::{files_of, support, untar, NOW};
use support::phiscan;

/// Every canary holds this; no other text of the inputs does.
const CANARY: &str = "CANARY";

const FORMATS: [&str; 9] = [
    "table", "json", "csv", "sarif", "junit", "html", "ocsf", "asff", "oscal",
];

fn inventory() -> Value {
    let vol = |region: &str, id: &str, name: &str, tags: Value| {
        json!({
            "resource": {"provider": "aws", "account": "111122223333", "region": region,
                         "kind": "AwsEbsVolume", "id": id, "name": name, "tags": tags},
            "encrypted": false, "state": "in-use", "size_gib": 8
        })
    };
    json!({
        "format": "phiscan-inventory/v1",
        "collection_started_at": "2026-06-01T11:58:00Z",
        "collected_at": NOW,
        "scopes": [{"provider": "aws", "account": "111122223333",
                    "name": "prod password=CANARYscope1 Authorization: Bearer CANARYscope2",
                    "regions": ["us-east-1", "us-west-2"],
                    "identity": {"principal": "arn:aws:sts::111122223333:assumed-role/audit/ci?X-Amz-Security-Token=CANARYident"}}],
        "aws_ebs_volumes": [
            vol("us-east-1",
                "arn:aws:ec2:us-east-1:111122223333:volume/vol-1?token=CANARYid1",
                "phi-export.s3.amazonaws.com/x.pdf?X-Amz-Signature=CANARYname1&X-Amz-Credential=AKIACANARYNAME",
                json!({"db_password": "CANARYtag1", "note": "sv=2022-11-02&sp=r&sig=CANARYtag2", "owner": "ops",
                       "aws_access_key": "AKIACANARYTAG3", "cert": "-----BEGIN RSA PRIVATE KEY-----\nCANARYtag4\n-----END RSA PRIVATE KEY-----"})),
            vol("us-east-1", "arn:aws:ec2:us-east-1:111122223333:volume/vol-2",
                "postgres://app:CANARYname2@db/phi",
                json!({"jwt": "eyJhbGciOiJIUzI1NiJ9.eyJDQU5BUllqd3QiOjF9.CANARYjwtSignaturePart"})),
        ],
        "errors": [{"provider": "aws", "account": "111122223333", "region": "us-west-2",
                    "kind": "AwsEbsVolume",
                    "reason": "AccessDenied: ec2:DescribeVolumes with aws_secret_access_key=CANARYerr1 -----BEGIN PRIVATE KEY-----\nCANARYerr2\n-----END PRIVATE KEY----- via Authorization: AWS4-HMAC-SHA256 Credential=AKIACANARYERR/20260601/us-west-2/ec2/aws4_request, SignedHeaders=host, Signature=CANARYerr3"}],
        "api_calls": [{"provider": "aws", "service": "EC2",
                       "operation": "DescribeVolumes?X-Amz-Signature=CANARYcall1",
                       "account": "111122223333", "region": "us-west-2",
                       "started_at": "2026-06-01T11:59:00Z", "duration_ms": 12, "http_status": 403,
                       "request_id": "req-1 Bearer CANARYcall2",
                       "error_code": "AccessDenied client_secret=CANARYcall3"},
                      {"provider": "aws", "service": "S3",
                       "operation": "GetObject -----BEGIN PRIVATE KEY-----\nCANARYcall4\n-----END PRIVATE KEY-----",
                       "started_at": "2026-06-01T11:59:01Z", "duration_ms": 3,
                       "error_code": "SignatureDoesNotMatch aws_secret_access_key: CANARYcall5"}],
        "raw_responses": [{
            "provider": "aws", "account": "111122223333", "region": "us-east-1",
            "service": "EC2", "operation": "DescribeVolumes", "request_id": "req-2",
            "resource_ids": ["arn:aws:ec2:us-east-1:111122223333:volume/vol-2"],
            "body": {"Volumes": [{"VolumeId": "vol-2", "SecretAccessKey": "CANARYraw1",
                                   "Note": "h.s3.amazonaws.com/k?X-Amz-Signature=CANARYraw2"}]}
        }]
    })
}

/// Panics naming the output and the canary's surroundings when `text` holds a canary.
fn assert_clean(what: &str, text: &[u8]) {
    let text = String::from_utf8_lossy(text);
    if let Some(i) = text.find(CANARY) {
        let from = text[..i].char_indices().rev().nth(80).map_or(0, |(j, _)| j);
        let to = (i + 40).min(text.len());
        panic!(
            "{what} holds a canary: ...{}...",
            text.get(from..to).unwrap_or(&text[i..])
        );
    }
}

fn run_clean(what: &str, cwd: &Path, args: &[&str]) -> String {
    let out = support::run(phiscan().current_dir(cwd).args(args));
    assert!(
        [0, 1, 3].contains(&out.code),
        "{what}: exit {}: {}",
        out.code,
        out.stderr
    );
    assert_clean(&format!("{what} stdout"), out.stdout.as_bytes());
    assert_clean(&format!("{what} stderr"), out.stderr.as_bytes());
    out.stdout
}

#[test]
fn canaries_in_every_field_reach_no_output() {
    let work = tempfile::tempdir().unwrap();
    let cwd = work.path();
    // The inventory's file name carries a signed query: it reaches the recorded command line
    // and the report's source.
    let inv = "inv.json?X-Amz-Signature=CANARYcmd";
    std::fs::write(cwd.join(inv), inventory().to_string()).unwrap();
    let scan = [
        "scan",
        "--from-inventory",
        inv,
        "--now",
        NOW,
        "--checks",
        "aws-ebs-volume-encrypted",
    ];
    // Every format to files, with the bundle as a directory.
    let mut args = scan.to_vec();
    args.extend(["--output-dir", "out", "--evidence", "b"]);
    run_clean("scan --output-dir --evidence DIR", cwd, &args);
    for (name, data) in files_of(&cwd.join("out")) {
        assert_clean(&format!("out/{name}"), &data);
    }
    assert_eq!(files_of(&cwd.join("out")).len(), FORMATS.len());
    for (name, data) in files_of(&cwd.join("b")) {
        assert_clean(&format!("bundle file name {name}"), name.as_bytes());
        assert_clean(&format!("b/{name}"), &data);
    }
    let findings = std::fs::read_to_string(cwd.join("b/findings.json")).unwrap();
    // Redacted, not dropped: the fields are there, with markers where the canaries were.
    let report: Value = serde_json::from_str(&findings).unwrap();
    let calls = &report["scan"]["api_calls"];
    assert_eq!(
        calls[0]["operation"],
        "DescribeVolumes?[REDACTED:signed-url]"
    );
    assert_eq!(calls[1]["operation"], "[REDACTED:private-key]");
    assert_eq!(
        report["scan"]["scope"][0]["name"],
        "prod password=[REDACTED:secret-assignment] Authorization: Bearer [REDACTED:bearer-token]"
    );
    let scan_json: Value =
        serde_json::from_slice(&std::fs::read(cwd.join("b/scan.json")).unwrap()).unwrap();
    assert_eq!(
        scan_json["collection_errors"][0]["reason"],
        "[REDACTED:private-key]"
    );
    // Each format to stdout, and the bundle as an archive.
    for f in FORMATS {
        let mut args = scan.to_vec();
        args.extend(["--format", f]);
        run_clean(&format!("scan --format {f}"), cwd, &args);
    }
    let mut args = scan.to_vec();
    args.extend(["--evidence", "b.tar.gz", "--format", "json"]);
    run_clean("scan --evidence .tar.gz", cwd, &args);
    for (name, data) in untar(&cwd.join("b.tar.gz")) {
        assert_clean(&format!("archive member name {name}"), name.as_bytes());
        assert_clean(&format!("b.tar.gz/{name}"), &data);
    }

    // A JSON v1 report as an older phiscan wrote it: canaries put back into every field.
    let mut old: Value = serde_json::from_str(&findings).unwrap();
    old["scan"]["scope"][0]["name"] = json!("prod password=CANARYold1");
    old["scan"]["api_calls"] = inventory()["api_calls"].clone();
    for f in old["findings"].as_array_mut().unwrap() {
        f["resource"]["name"] = json!("x.s3.amazonaws.com/k?X-Amz-Signature=CANARYold2");
        f["resource"]["tags"] = json!({"api_key": "CANARYold3"});
        f["reason"] = json!("AccessDenied Authorization: Bearer CANARYold4");
        f["evidence"]["observed"] = json!("pwd=CANARYold5");
    }
    std::fs::write(cwd.join("old.json"), old.to_string()).unwrap();
    for input in ["b", "b.tar.gz", "old.json"] {
        for f in FORMATS {
            run_clean(
                &format!("report {input} --format {f}"),
                cwd,
                &["report", input, "--format", f],
            );
        }
        run_clean(
            &format!("merge {input}"),
            cwd,
            &["merge", input, "--format", "json"],
        );
    }
    run_clean(
        "merge old.json --format html",
        cwd,
        &["merge", "old.json", "--format", "html"],
    );
    for fmt in ["table", "json"] {
        run_clean(
            &format!("diff --format {fmt}"),
            cwd,
            &["diff", "old.json", "b.tar.gz", "--format", fmt],
        );
        run_clean(
            &format!("diff (reversed) --format {fmt}"),
            cwd,
            &["diff", "b", "old.json", "--format", fmt],
        );
    }
}

/// Error lines repeat what they could not use (a path, a URL); stderr goes through the same
/// redaction as every output, so a signed query or a password in them is withheld there too.
#[test]
fn error_lines_on_stderr_are_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        format!("missing/inventory.json?X-Amz-Signature={CANARY}sig&token={CANARY}tok"),
        format!("missing/inventory.json?password={CANARY}pw"),
    ];
    for path in cases {
        let out = support::run(phiscan().current_dir(dir.path()).args([
            "scan",
            "--from-inventory",
            &path,
        ]));
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        assert!(
            out.stderr.contains("missing/inventory.json"),
            "{}",
            out.stderr
        );
        assert_clean("error line", out.stderr.as_bytes());
    }
}
