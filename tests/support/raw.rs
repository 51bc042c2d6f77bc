//! Raw evidence in a signed bundle, followed as an auditor would: from a finding's
//! `evidence_ref` to its resource record, and from there to the provider's answers.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// Run `scan` (a configured `phiscan scan ...`) writing a bundle signed with a fresh key to
/// `dir/bundle`; returns the run, the bundle and the public key.
pub fn signed_scan(scan: &mut Command, dir: &Path) -> (super::Run, PathBuf, PathBuf) {
    let keys = dir.join("keys");
    let out = super::run(super::phiscan().arg("keygen").arg("--out").arg(&keys));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let bundle = dir.join("bundle");
    let run = super::run(
        scan.arg("--evidence")
            .arg(&bundle)
            .arg("--signing-key")
            .arg(keys.join("phiscan-signing-key.pem")),
    );
    (run, bundle, keys.join("phiscan-signing-key.pub.pem"))
}

fn read(bundle: &Path, file: &str) -> Value {
    let text = std::fs::read_to_string(bundle.join(file))
        .unwrap_or_else(|e| panic!("{file} is not in the bundle: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The raw responses behind `check`'s finding on `resource` (bundle path, parsed file),
/// asserting the finding has `status`.
pub fn raw_behind(
    bundle: &Path,
    check: &str,
    resource: &str,
    status: &str,
) -> Vec<(String, Value)> {
    let findings = read(bundle, "findings.json");
    let f = findings["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["check_id"] == check && f["resource"]["id"] == resource)
        .unwrap_or_else(|| panic!("no finding of {check} on {resource}"));
    assert_eq!(f["status"], status, "{f}");
    let record_path = f["evidence_ref"]
        .as_str()
        .expect("the finding has an evidence_ref");
    let record = read(bundle, record_path);
    let responses = record["raw_responses"].as_array().expect("raw_responses");
    assert!(!responses.is_empty(), "{record_path} lists no raw response");
    responses
        .iter()
        .map(|p| {
            let p = p.as_str().expect("a path");
            let v = read(bundle, p);
            assert_eq!(v["format"], "phiscan-raw-response/v1", "{p}");
            assert!(
                v["resource_ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|id| id == resource),
                "{p} does not say it describes {resource}"
            );
            (p.to_string(), v)
        })
        .collect()
}

/// The one response among `raw` whose body holds `needle` (compact JSON text); panics
/// listing them when none does.
pub fn holding<'a>(raw: &'a [(String, Value)], needle: &str) -> &'a (String, Value) {
    raw.iter()
        .find(|(_, v)| v["body"].to_string().contains(needle))
        .unwrap_or_else(|| {
            panic!(
                "no raw response holds {needle}: {:#?}",
                raw.iter()
                    .map(|(p, v)| (p, v["body"].to_string()))
                    .collect::<Vec<_>>()
            )
        })
}

fn verify(bundle: &Path, public: &Path) -> super::Run {
    super::run(
        super::phiscan()
            .args(["evidence", "verify"])
            .arg(bundle)
            .arg("--public-key")
            .arg(public),
    )
}

/// The bundle verifies; one byte changed in `file` makes `evidence verify` fail naming it.
pub fn assert_tamper_detected(bundle: &Path, public: &Path, file: &str) {
    let ok = verify(bundle, public);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    let path = bundle.join(file);
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    std::fs::write(&path, bytes).unwrap();
    let bad = verify(bundle, public);
    assert_eq!(bad.code, 1, "{}{}", bad.stdout, bad.stderr);
    assert!(
        bad.stdout.contains(file) && bad.stdout.contains("changed"),
        "{}",
        bad.stdout
    );
}
