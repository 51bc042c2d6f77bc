//! The evidence bundle end to end: `scan --evidence` writes it, `evidence verify` accepts it
//! and rejects any single-byte change naming the file (directory and .tar.gz forms, every
//! kind of file, a tampered manifest, a wrong public key), bundles are byte-for-byte
//! reproducible, secrets are redacted, `report` re-renders a bundle and `diff` compares scans.

#[path = "../support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::phiscan;

mod bundle;
mod forged;
mod secrets;
mod verify;

const NOW: &str = "2026-06-01T12:00:00Z";

struct Keys {
    _dir: tempfile::TempDir,
    private: PathBuf,
    public: PathBuf,
}

fn keygen() -> Keys {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("keys");
    phiscan()
        .args(["keygen", "--out", out.to_str().unwrap()])
        .assert()
        .code(0);
    Keys {
        private: out.join("phiscan-signing-key.pem"),
        public: out.join("phiscan-signing-key.pub.pem"),
        _dir: dir,
    }
}

/// `phiscan scan --demo --evidence <name>` run inside `cwd`; returns the bundle path.
fn demo_bundle(cwd: &Path, name: &str, key: Option<&Path>, extra: &[&str]) -> PathBuf {
    let mut cmd = phiscan();
    cmd.current_dir(cwd)
        .args(["scan", "--demo", "--now", NOW, "--evidence", name])
        .args(extra);
    if let Some(k) = key {
        cmd.arg("--signing-key").arg(k);
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    cwd.join(name)
}

fn verify(bundle: &Path, public: Option<&Path>) -> (i32, String, String) {
    let mut cmd = phiscan();
    cmd.args(["evidence", "verify", bundle.to_str().unwrap()]);
    if let Some(p) = public {
        cmd.arg("--public-key").arg(p);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn files_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(root: &Path, d: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

fn untar(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut gz = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut gz)
        .unwrap();
    let mut a = tar::Archive::new(gz.as_slice());
    a.entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let name = e.path().unwrap().to_str().unwrap().to_string();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (name, data)
        })
        .collect()
}

/// One representative file of every kind the bundle holds.
fn file_kinds(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut kinds: Vec<String> = [
        "findings.json",
        "controls.csv",
        "controls.html",
        "scan.json",
        "manifest.json",
        "manifest.sig",
    ]
    .map(String::from)
    .to_vec();
    for prefix in ["raw/aws/", "raw/gcp/", "raw/azure/"] {
        kinds.push(
            files
                .keys()
                .find(|k| k.starts_with(prefix))
                .expect(prefix)
                .clone(),
        );
    }
    for k in &kinds {
        assert!(files.contains_key(k), "bundle lacks {k}");
    }
    kinds
}

/// The checks of the diff tests: fixed, so that a check added elsewhere (reading the same
/// volumes) does not change what these tests count.
const DIFF_CHECKS: &str =
    "aws-ebs-volume-encrypted,aws-ec2-sg-no-public-admin-ports,gcp-compute-disk-cmek";

/// The demo inventory, saved, then changed: one volume decrypted (newly failing), one
/// unencrypted volume encrypted (fixed), one resource removed, one added.
fn diff_inputs(work: &Path) -> (PathBuf, PathBuf) {
    let old_inv = work.join("old-inv.json");
    phiscan()
        .args([
            "scan",
            "--demo",
            "--checks",
            DIFF_CHECKS,
            "--now",
            NOW,
            "--format",
            "json",
            "--save-inventory",
            old_inv.to_str().unwrap(),
            "--output",
            work.join("old.json").to_str().unwrap(),
        ])
        .assert()
        .code(1);
    let mut inv: Value = serde_json::from_str(&std::fs::read_to_string(&old_inv).unwrap()).unwrap();
    let vols = inv["aws_ebs_volumes"].as_array_mut().unwrap();
    let enc = vols.iter().position(|v| v["encrypted"] == true).unwrap();
    let plain = vols.iter().position(|v| v["encrypted"] == false).unwrap();
    vols[enc]["encrypted"] = false.into();
    vols[plain]["encrypted"] = true.into();
    let mut added = vols[enc].clone();
    added["resource"]["id"] = "arn:aws:ec2:us-east-1:111122223333:volume/vol-0new".into();
    added["resource"]["name"] = "new-volume".into();
    added["encrypted"] = true.into();
    vols.push(added);
    inv["gcp_compute_disks"].as_array_mut().unwrap().remove(0);
    let new_inv = work.join("new-inv.json");
    std::fs::write(&new_inv, inv.to_string()).unwrap();
    let new = work.join("new-bundle");
    phiscan()
        .current_dir(work)
        .args([
            "scan",
            "--from-inventory",
            new_inv.to_str().unwrap(),
            "--checks",
            DIFF_CHECKS,
            "--evidence",
            "new-bundle",
        ])
        .assert()
        .code(1);
    (work.join("old.json"), new)
}

#[test]
fn diff_reports_changes_and_gates_on_new_failures() {
    let work = tempfile::tempdir().unwrap();
    let (old, new) = diff_inputs(work.path());
    let out = phiscan()
        .args([
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["format"], "phiscan-diff/v1");
    let ids = |k: &str| -> Vec<String> {
        d[k].as_array()
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "{} {}",
                    c["check_id"].as_str().unwrap(),
                    c["resource_id"].as_str().or(c["id"].as_str()).unwrap()
                )
            })
            .collect()
    };
    let newly = ids("newly_failing");
    assert!(
        newly
            .iter()
            .all(|c| c.starts_with("aws-ebs-volume-encrypted ")),
        "{newly:?}"
    );
    assert_eq!(newly.len(), 1, "{newly:?}");
    assert_eq!(ids("fixed").len(), 1, "{:?}", ids("fixed"));
    assert!(!ids("still_failing").is_empty());
    let added: Vec<&str> = d["new_resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        added,
        ["arn:aws:ec2:us-east-1:111122223333:volume/vol-0new"]
    );
    assert_eq!(d["removed_resources"].as_array().unwrap().len(), 1);
    assert!(d["controls"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "164.312(a)(2)(iv)" && c["newly_failing"] == 1 && c["fixed"] == 1));

    // The other way round the fix and the regression swap places. Table output for people.
    let out = phiscan()
        .args(["diff", new.to_str().unwrap(), old.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Fixed (1)") && text.contains("Newly failing (1)"),
        "{text}"
    );
    assert!(
        text.contains("Removed resources (1)") && text.contains("vol-0new"),
        "{text}"
    );
    assert!(text.contains("Exit code 1"), "{text}");
    // A threshold above the new failure's severity lets it pass.
    phiscan()
        .args([
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--fail-on",
            "critical",
        ])
        .assert()
        .code(0);
    // Same scan against itself: nothing changes, every failure is still failing.
    let out = phiscan()
        .args(["diff", old.to_str().unwrap(), old.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&old).unwrap()).unwrap();
    let fails = report["scan"]["counts"]["FAIL"].as_u64().unwrap();
    assert!(fails > 0);
    assert!(
        text.contains(&format!("\nStill failing ({fails})\n")),
        "{text}"
    );
    assert!(
        text.ends_with(&format!("\n0 newly failing (0 resources), 0 fixed, {fails} still failing, 0 newly unverifiable, 0 new and 0 removed resources.\nExit code 0: nothing newly fails at or above severity low.\n")),
        "{text}"
    );
    // The table itself is pinned on the small fixed estate, which a new check leaves alone
    // (a snapshot of the demo's diff would list every check's failures).
    let estate = work.path().join("estate.json");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checks = std::fs::read_to_string(repo.join("fixtures/snapshot-estate/checks.txt"))
        .unwrap()
        .lines()
        .collect::<Vec<_>>()
        .join(",");
    phiscan()
        .current_dir(repo)
        .args([
            "scan",
            "--from-inventory",
            "fixtures/snapshot-estate/inventory.json",
            "--checks",
            &checks,
            "--now",
            NOW,
            "--format",
            "json",
            "--output",
        ])
        .arg(&estate)
        .assert()
        .code(3);
    let out = phiscan()
        .arg("diff")
        .arg(&estate)
        .arg(&estate)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(
        "diff-self",
        String::from_utf8(out.stdout)
            .unwrap()
            .replace(estate.to_str().unwrap(), "OLD")
    );
}

#[test]
fn diff_rejects_bad_input_with_exit_2() {
    let work = tempfile::tempdir().unwrap();
    let bad = work.path().join("bad.json");
    std::fs::write(&bad, "{\"scan\": {}}").unwrap();
    let (old, new) = diff_inputs(work.path());
    for args in [
        vec![bad.to_str().unwrap(), new.to_str().unwrap()],
        vec![old.to_str().unwrap(), "/nonexistent/x.json"],
    ] {
        let out = phiscan().arg("diff").args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
    // A tampered bundle is bad input for a comparison.
    let f = new.join("controls.csv");
    let mut data = std::fs::read(&f).unwrap();
    data[5] ^= 1;
    std::fs::write(&f, data).unwrap();
    let out = phiscan()
        .args(["diff", old.to_str().unwrap(), new.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("controls.csv: changed"));
}
