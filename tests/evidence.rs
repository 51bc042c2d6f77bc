//! The evidence bundle end to end: `scan --evidence` writes it, `evidence verify` accepts it
//! and rejects any single-byte change naming the file (directory and .tar.gz forms, every
//! kind of file, a tampered manifest, a wrong public key), bundles are byte-for-byte
//! reproducible, secrets are redacted, `report` re-renders a bundle and `diff` compares scans.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-06-01T12:00:00Z";

fn phiscan() -> Command {
    let mut c = Command::cargo_bin("phiscan").expect("binary built");
    c.env_remove("RUST_LOG").env_remove("PHISCAN_SIGNING_KEY");
    c
}

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

fn retar(path: &Path, entries: &[(String, Vec<u8>)]) {
    let f = std::fs::File::create(path).unwrap();
    let gz = flate2::write::GzEncoder::new(f, flate2::Compression::default());
    let mut b = tar::Builder::new(gz);
    for (name, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, data.as_slice()).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap();
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

fn flip(data: &mut [u8], at: usize) {
    // Flip the low bit of a byte that stays printable ASCII, so JSON stays JSON where it can.
    let i = (at..data.len())
        .chain(0..at)
        .find(|&i| data[i].is_ascii_alphanumeric())
        .unwrap_or(at);
    data[i] ^= 0x01;
}

#[test]
fn a_signed_bundle_verifies_and_rejects_any_single_byte_change_dir_form() {
    let keys = keygen();
    let work = tempfile::tempdir().unwrap();
    let bundle = demo_bundle(work.path(), "bundle", Some(&keys.private), &[]);
    let (code, out, _) = verify(&bundle, Some(&keys.public));
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("VALID"), "{out}");
    let files = files_of(&bundle);
    for kind in file_kinds(&files) {
        let copy = work.path().join(format!("t-{}", kind.replace('/', "_")));
        for (rel, data) in &files {
            let p = copy.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            let mut data = data.clone();
            if *rel == kind {
                let mid = data.len() / 2;
                flip(&mut data, mid);
            }
            std::fs::write(p, data).unwrap();
        }
        let (code, out, err) = verify(&copy, Some(&keys.public));
        assert_eq!(code, 1, "{kind}: {out}{err}");
        assert!(out.starts_with("INVALID"), "{kind}: {out}");
        assert!(out.contains(&kind), "{kind} is not named: {out}");
        // Without the pinned key the embedded one still catches it.
        let (code, out, err) = verify(&copy, None);
        assert_eq!(code, 1, "{kind} unpinned: {out}{err}");
        assert!(out.contains(&kind), "{kind} unpinned: {out}");
    }
}

#[test]
fn missing_added_and_wrong_key_are_named() {
    let keys = keygen();
    let other = keygen();
    let work = tempfile::tempdir().unwrap();
    let bundle = demo_bundle(work.path(), "b", Some(&keys.private), &[]);
    let (code, out, _) = verify(&bundle, Some(&other.public));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("does not verify with the given public key"),
        "{out}"
    );
    assert!(out.contains("not the expected"), "{out}");

    std::fs::write(bundle.join("raw/extra.json"), "{}").unwrap();
    std::fs::remove_file(bundle.join("controls.csv")).unwrap();
    let (code, out, _) = verify(&bundle, Some(&keys.public));
    assert_eq!(code, 1);
    assert!(out.contains("raw/extra.json: added"), "{out}");
    assert!(out.contains("controls.csv: missing"), "{out}");
    assert!(
        out.contains("2 problem(s)"),
        "every problem is listed: {out}"
    );

    std::fs::remove_file(bundle.join("manifest.sig")).unwrap();
    let (code, out, _) = verify(&bundle, None);
    assert_eq!(code, 1);
    assert!(out.contains("manifest.sig: missing"), "{out}");
}

#[test]
fn a_tampered_manifest_fails_even_when_hashes_are_rewritten() {
    let keys = keygen();
    let work = tempfile::tempdir().unwrap();
    let bundle = demo_bundle(work.path(), "b", Some(&keys.private), &[]);
    // An attacker edits a finding and rewrites its hash in the manifest.
    let findings = bundle.join("findings.json");
    let text = std::fs::read_to_string(&findings)
        .unwrap()
        .replacen("\"FAIL\"", "\"PASS\"", 1);
    std::fs::write(&findings, &text).unwrap();
    let manifest_path = bundle.join("manifest.json");
    let mut manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    for f in manifest["files"].as_array_mut().unwrap() {
        if f["path"] == "findings.json" {
            use sha2::Digest;
            let d = sha2::Sha256::digest(text.as_bytes());
            f["sha256"] = d
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
                .into();
            f["size"] = text.len().into();
        }
    }
    std::fs::write(
        &manifest_path,
        serde_json::to_string_pretty(&manifest).unwrap() + "\n",
    )
    .unwrap();
    let (code, out, _) = verify(&bundle, None);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("manifest.json / manifest.sig: the signature does not verify"),
        "{out}"
    );
}

#[test]
fn archive_form_verifies_and_names_changed_members() {
    let keys = keygen();
    let work = tempfile::tempdir().unwrap();
    let bundle = demo_bundle(work.path(), "b.tar.gz", Some(&keys.private), &[]);
    let (code, out, _) = verify(&bundle, Some(&keys.public));
    assert_eq!(code, 0, "{out}");
    let entries = untar(&bundle);
    let map: BTreeMap<String, Vec<u8>> = entries.iter().cloned().collect();
    for kind in file_kinds(&map) {
        let tampered: Vec<(String, Vec<u8>)> = entries
            .iter()
            .map(|(n, d)| {
                let mut d = d.clone();
                if *n == kind {
                    let mid = d.len() / 3;
                    flip(&mut d, mid);
                }
                (n.clone(), d)
            })
            .collect();
        let path = work.path().join("t.tar.gz");
        retar(&path, &tampered);
        let (code, out, err) = verify(&path, Some(&keys.public));
        assert_eq!(code, 1, "{kind}: {out}{err}");
        assert!(out.contains(&kind), "{kind} is not named: {out}");
    }
    // A byte changed in the compressed archive itself: the gzip check fails, naming the file.
    let mut raw = std::fs::read(&bundle).unwrap();
    let mid = raw.len() / 2;
    raw[mid] ^= 0x55;
    let broken = work.path().join("broken.tar.gz");
    std::fs::write(&broken, raw).unwrap();
    let (code, out, err) = verify(&broken, Some(&keys.public));
    assert_ne!(code, 0, "{out}");
    if code == 2 {
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains("broken.tar.gz"), "{err}");
    }
}

#[test]
fn unreadable_input_exits_2_with_one_line() {
    let work = tempfile::tempdir().unwrap();
    let empty = work.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let junk = work.path().join("junk.tar.gz");
    std::fs::write(&junk, "not a tarball").unwrap();
    let corrupt = work.path().join("corrupt");
    std::fs::create_dir(&corrupt).unwrap();
    std::fs::write(corrupt.join("manifest.json"), "{ nope").unwrap();
    for (p, expect) in [
        (work.path().join("nope"), "nope"),
        (empty.clone(), "not a phiscan evidence bundle"),
        (junk.clone(), "junk.tar.gz"),
        (corrupt.clone(), "manifest.json"),
    ] {
        let (code, out, err) = verify(&p, None);
        assert_eq!(code, 2, "{}: {out}{err}", p.display());
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(expect), "{err}");
    }
}

#[test]
fn bundles_are_reproducible_byte_for_byte() {
    let keys = keygen();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for name in ["bundle", "bundle.tar.gz"] {
        let x = demo_bundle(a.path(), name, Some(&keys.private), &[]);
        let y = demo_bundle(b.path(), name, Some(&keys.private), &[]);
        if x.is_dir() {
            assert_eq!(files_of(&x), files_of(&y), "{name}");
        } else {
            assert_eq!(
                std::fs::read(&x).unwrap(),
                std::fs::read(&y).unwrap(),
                "{name}"
            );
        }
    }
    // The archive holds exactly the directory's files.
    let dir = files_of(&a.path().join("bundle"));
    let tar: BTreeMap<String, Vec<u8>> =
        untar(&a.path().join("bundle.tar.gz")).into_iter().collect();
    let strip = |m: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        // scan.json records the --evidence argument, which differs between the two forms.
        m.iter()
            .filter(|(k, _)| !matches!(k.as_str(), "scan.json" | "manifest.json" | "manifest.sig"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    assert_eq!(strip(&dir), strip(&tar));
}

#[test]
fn signing_key_from_the_environment_and_unsigned_bundles() {
    let keys = keygen();
    let work = tempfile::tempdir().unwrap();
    let out = phiscan()
        .current_dir(work.path())
        .env(
            "PHISCAN_SIGNING_KEY",
            std::fs::read_to_string(&keys.private).unwrap(),
        )
        .args(["scan", "--demo", "--now", NOW, "--evidence", "env"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (code, text, _) = verify(&work.path().join("env"), Some(&keys.public));
    assert_eq!(code, 0, "{text}");

    let unsigned = demo_bundle(work.path(), "unsigned", None, &[]);
    let (code, text, _) = verify(&unsigned, None);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("UNSIGNED"), "{text}");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(unsigned.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["signed"], false);
    assert!(manifest["note"].as_str().unwrap().contains("unsigned"));
    assert!(!unsigned.join("manifest.sig").exists());
    // An unsigned bundle cannot satisfy a pinned key.
    let (code, text, _) = verify(&unsigned, Some(&keys.public));
    assert_eq!(code, 1, "{text}");
    // Still, every data file is covered by its hash.
    let mut csv = std::fs::read(unsigned.join("controls.csv")).unwrap();
    csv[10] ^= 1;
    std::fs::write(unsigned.join("controls.csv"), csv).unwrap();
    let (code, text, _) = verify(&unsigned, None);
    assert_eq!(code, 1);
    assert!(text.contains("controls.csv: changed"), "{text}");
}

#[test]
fn keys_are_private_and_never_overwritten_or_recorded() {
    let keys = keygen();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&keys.private)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let out = phiscan()
        .args([
            "keygen",
            "--out",
            keys.private.parent().unwrap().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never overwrites"));

    let work = tempfile::tempdir().unwrap();
    let bundle = demo_bundle(work.path(), "b", Some(&keys.private), &[]);
    let private = std::fs::read_to_string(&keys.private).unwrap();
    let body = private.lines().nth(1).unwrap();
    for (name, data) in files_of(&bundle) {
        let text = String::from_utf8_lossy(&data);
        assert!(
            !text.contains("PRIVATE KEY") && !text.contains(body),
            "{name} holds the private key"
        );
    }
    // A second scan to the same place is refused before scanning: evidence is never overwritten.
    let out = phiscan()
        .current_dir(work.path())
        .args(["scan", "--demo", "--evidence", "b"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never overwritten"));
}

#[test]
fn every_finding_points_at_its_raw_evidence() {
    let work = tempfile::tempdir().unwrap();
    let bundle = demo_bundle(work.path(), "b", None, &[]);
    let findings: Value =
        serde_json::from_slice(&std::fs::read(bundle.join("findings.json")).unwrap()).unwrap();
    for f in findings["findings"].as_array().unwrap() {
        let r = f["evidence_ref"]
            .as_str()
            .unwrap_or_else(|| panic!("no evidence_ref: {f}"));
        assert!(
            r.starts_with(&format!("raw/{}/", f["provider"].as_str().unwrap())),
            "{r}"
        );
        let raw: Value = serde_json::from_slice(&std::fs::read(bundle.join(r)).unwrap()).unwrap();
        assert_eq!(raw["id"], f["resource"]["id"], "{r}");
        match raw["format"].as_str().unwrap() {
            "phiscan-raw-record/v1" => {
                assert_eq!(raw["record"]["resource"]["id"], f["resource"]["id"], "{r}")
            }
            // A verdict over several records (e.g. region coverage) names the records it read.
            "phiscan-raw-derived/v1" => {
                let from = raw["derived_from"].as_array().unwrap();
                assert!(!from.is_empty(), "{r}");
                for p in from {
                    assert!(bundle.join(p.as_str().unwrap()).is_file(), "{r} -> {p}");
                }
                assert!(
                    raw["checks"].as_array().unwrap().contains(&f["check_id"]),
                    "{r}"
                );
            }
            other => panic!("{r}: unexpected format {other}"),
        }
    }
    let scan: Value =
        serde_json::from_slice(&std::fs::read(bundle.join("scan.json")).unwrap()).unwrap();
    assert_eq!(scan["format"], "phiscan-scan/v1");
    assert_eq!(scan["tool"]["name"], "phiscan");
    assert_eq!(scan["command_line"][0], "phiscan");
    assert_eq!(scan["started_at"], NOW);
    let who: Vec<&str> = scan["scanned_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["identity"]["principal"].as_str().unwrap())
        .collect();
    assert!(
        who.iter()
            .any(|p| p.starts_with("arn:aws:sts::111122223333:")),
        "{who:?}"
    );
    assert_eq!(scan["scopes"].as_array().unwrap().len(), 6);
    // The control matrix: every specification of the Security Rule, one row each.
    let csv = String::from_utf8(std::fs::read(bundle.join("controls.csv")).unwrap()).unwrap();
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        rows.len() - 1,
        findings["controls"].as_array().unwrap().len()
    );
    assert!(rows
        .iter()
        .any(|r| r.starts_with("164.312(a)(2)(iv),") && r.contains("findings.json#/findings/")));
    assert!(rows
        .iter()
        .any(|r| r.starts_with("164.310(a)(1),") && r.contains(",inherited,")));
    assert!(rows
        .iter()
        .any(|r| r.starts_with("164.308(b)(1),") && r.contains(",organizational,")));
    let html = String::from_utf8(std::fs::read(bundle.join("controls.html")).unwrap()).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "controls.html is self-contained"
    );
    assert!(html.contains("href=\"findings.json#/findings/") && html.contains("href=\"raw/"));
}

#[test]
fn secrets_in_the_inventory_never_reach_the_bundle() {
    let work = tempfile::tempdir().unwrap();
    let inv = serde_json::json!({
        "format": "phiscan-inventory/v1",
        "collection_started_at": "2026-06-01T11:58:00Z",
        "collected_at": NOW,
        "scopes": [{"provider": "aws", "account": "111122223333", "regions": ["us-east-1"],
                    "identity": {"principal": "arn:aws:sts::111122223333:assumed-role/audit/ci"}}],
        "aws_ebs_volumes": [{
            "resource": {"provider": "aws", "account": "111122223333", "region": "us-east-1",
                         "kind": "AwsEbsVolume", "id": "arn:aws:ec2:us-east-1:111122223333:volume/vol-1",
                         "name": "vol/1 with spaces", "tags": {"db_password": "hunter2", "owner": "ops"}},
            "encrypted": true, "state": "in-use", "size_gib": 8
        }],
        "raw_responses": [{
            "provider": "aws", "account": "111122223333", "region": "us-east-1",
            "service": "EC2", "operation": "DescribeVolumes", "request_id": "req-1",
            "resource_ids": ["arn:aws:ec2:us-east-1:111122223333:volume/vol-1"],
            "body": {"Volumes": [{"VolumeId": "vol-1", "Note": "https://b.s3.amazonaws.com/k?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA",
                                   "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG", "Conn": "postgres://app:pa55word@db/phi"}]}
        }]
    });
    let path = work.path().join("inv.json");
    std::fs::write(&path, inv.to_string()).unwrap();
    let out = phiscan()
        .current_dir(work.path())
        .args([
            "scan",
            "--from-inventory",
            "inv.json",
            "--checks",
            "aws-ebs-volume-encrypted",
            "--evidence",
            "b",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let bundle = work.path().join("b");
    let files = files_of(&bundle);
    for secret in ["hunter2", "deadbeef", "wJalrXUtnFEMI", "pa55word", "AKIA"] {
        assert!(!stdout.contains(secret), "stdout holds {secret}");
        for (name, data) in &files {
            assert!(
                !String::from_utf8_lossy(data).contains(secret),
                "{name} holds {secret}"
            );
        }
    }
    let scan: Value = serde_json::from_slice(&files["scan.json"]).unwrap();
    assert_eq!(scan["started_at"], "2026-06-01T11:58:00Z");
    assert_eq!(scan["raw_responses"], 1);
    assert!(
        scan["redactions"]["secret-key-name"].as_u64().unwrap() >= 2,
        "{}",
        scan["redactions"]
    );
    assert!(scan["redactions"]["signed-url"].as_u64().unwrap() >= 1);
    assert!(scan["redactions"]["url-password"].as_u64().unwrap() >= 1);
    // The odd resource name gets a safe, unique file that links to its raw response.
    let record = files.keys().find(|k| k.contains("/AwsEbsVolume/")).unwrap();
    assert!(
        record.starts_with("raw/aws/111122223333/us-east-1/AwsEbsVolume/vol_1_with_spaces-"),
        "{record}"
    );
    let raw: Value = serde_json::from_slice(&files[record]).unwrap();
    let response = raw["raw_responses"][0].as_str().unwrap();
    assert_eq!(
        response,
        "raw/aws/111122223333/us-east-1/_responses/EC2-DescribeVolumes-0000.json"
    );
    assert!(files.contains_key(response));
    assert_eq!(verify(&bundle, None).0, 0);
}

#[test]
fn report_renders_any_format_from_a_bundle() {
    let work = tempfile::tempdir().unwrap();
    let bundle = demo_bundle(work.path(), "b.tar.gz", None, &[]);
    let out = phiscan()
        .args(["report", bundle.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let entries: BTreeMap<String, Vec<u8>> = untar(&bundle).into_iter().collect();
    assert_eq!(
        out.stdout, entries["findings.json"],
        "re-rendered JSON equals the bundle's"
    );
    // Formats without evidence references render exactly as the scan did.
    let table = phiscan()
        .args(["report", bundle.to_str().unwrap()])
        .output()
        .unwrap();
    let direct = phiscan()
        .args(["scan", "--demo", "--now", NOW])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(table.stdout).unwrap(),
        String::from_utf8(direct.stdout).unwrap()
    );
    for format in ["table", "csv", "sarif", "junit", "html", "ocsf", "oscal"] {
        let out = phiscan()
            .args(["report", bundle.to_str().unwrap(), "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(!out.stdout.is_empty(), "{format}");
    }
    // A tampered bundle is refused unless --no-verify.
    let dir = demo_bundle(work.path(), "d", None, &[]);
    let f = dir.join("findings.json");
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replacen("\"FAIL\"", "\"PASS\"", 1);
    std::fs::write(&f, text).unwrap();
    let out = phiscan()
        .args(["report", dir.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("findings.json: changed"));
    phiscan()
        .args([
            "report",
            dir.to_str().unwrap(),
            "--format",
            "json",
            "--no-verify",
        ])
        .assert()
        .code(0);
}

/// The demo inventory, saved, then changed: one volume decrypted (newly failing), one
/// unencrypted volume encrypted (fixed), one resource removed, one added.
fn diff_inputs(work: &Path) -> (PathBuf, PathBuf) {
    let old_inv = work.join("old-inv.json");
    phiscan()
        .args([
            "scan",
            "--demo",
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
