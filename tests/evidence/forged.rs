//! Forged bundles: findings edited, then the bundle re-signed with another key or downgraded
//! to unsigned, so every hash and signature holds. `report` and `diff` with `--public-key`
//! refuse both (exit 2, naming the expected key); without it they still read them, but say
//! on stderr that the signer is unverified.

use std::path::Path;

use base64::Engine as _;
use phiscan_output::evidence::{sign, Manifest, SIGNATURE};
use sha2::Digest;

use super::{demo_bundle, keygen, support, Keys};
use support::phiscan;

/// Turn the first FAIL into a PASS and make the bundle whole again: the manifest's entry,
/// and a signature by `key` (another key than the owner's) or none at all.
fn forge(bundle: &Path, key: Option<&Path>) {
    let findings = bundle.join("findings.json");
    let text = std::fs::read_to_string(&findings)
        .unwrap()
        .replacen("\"FAIL\"", "\"PASS\"", 1);
    std::fs::write(&findings, &text).unwrap();
    let manifest_path = bundle.join("manifest.json");
    let mut m: Manifest = serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    for f in &mut m.files {
        if f.path == "findings.json" {
            f.sha256 = sha2::Sha256::digest(text.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            f.size = text.len() as u64;
        }
    }
    let sig_path = bundle.join(SIGNATURE);
    match key {
        Some(k) => {
            let k = sign::parse_private(&std::fs::read_to_string(k).unwrap()).unwrap();
            let info = m.signature.as_mut().expect("the original was signed");
            info.key_id = sign::key_id(&k.verifying_key());
            info.public_key = sign::public_pem(&k.verifying_key());
            let bytes = m.to_bytes();
            let sig = base64::engine::general_purpose::STANDARD.encode(sign::sign(&k, &bytes));
            std::fs::write(&sig_path, sig + "\n").unwrap();
            std::fs::write(&manifest_path, bytes).unwrap();
        }
        None => {
            m.signed = false;
            m.signature = None;
            m.note = Some("unsigned".into());
            std::fs::remove_file(&sig_path).unwrap();
            std::fs::write(&manifest_path, m.to_bytes()).unwrap();
        }
    }
}

fn run(cwd: &Path, args: &[&str]) -> support::Run {
    support::run(phiscan().current_dir(cwd).args(args))
}

/// Exit 2, nothing on stdout, one line naming the bundle, the pinned key and what was found.
fn assert_refused(out: &support::Run, bundle: &str, owner: &Keys, found: &str) {
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let err = out.stderr.trim();
    assert!(
        err.contains(&format!(
            "{bundle}: not signed by the --public-key key sha256:"
        )) && err.contains(found),
        "{err}"
    );
    let pem = std::fs::read_to_string(&owner.public).unwrap();
    let id = sign::key_id(&sign::parse_public(&pem).unwrap());
    assert!(err.contains(&id), "names the expected key {id}: {err}");
}

#[test]
fn resigned_and_downgraded_bundles_are_refused_with_the_owners_key() {
    let owner = keygen();
    let forger = keygen();
    let work = tempfile::tempdir().unwrap();
    let cwd = work.path();
    demo_bundle(cwd, "clean", Some(&owner.private), &[]);
    let resigned = demo_bundle(cwd, "resigned", Some(&owner.private), &[]);
    let unsigned = demo_bundle(cwd, "unsigned", Some(&owner.private), &[]);
    forge(&resigned, Some(&forger.private));
    forge(&unsigned, None);
    let pk = owner.public.to_str().unwrap();

    // The forgeries are intact bundles: only the signer gives them away.
    for b in ["resigned", "unsigned"] {
        let out = run(cwd, &["evidence", "verify", b]);
        assert_eq!(out.code, 0, "{b}: {}", out.stdout);
    }

    for (b, found) in [
        ("resigned", "signed by sha256:"),
        ("unsigned", "the bundle is unsigned"),
    ] {
        let out = run(cwd, &["report", b, "--public-key", pk, "--format", "json"]);
        assert_refused(&out, b, &owner, found);
        // --no-verify skips the hashes, not the signer the caller pinned.
        let out = run(cwd, &["report", b, "--public-key", pk, "--no-verify"]);
        assert_refused(&out, b, &owner, found);
        let out = run(cwd, &["diff", "clean", b, "--public-key", pk]);
        assert_refused(&out, b, &owner, found);
        let out = run(
            cwd,
            &["diff", b, "clean", "--public-key", pk, "--format", "json"],
        );
        assert_refused(&out, b, &owner, found);

        // Without the key they are read, with a plain word about the signer.
        let out = run(cwd, &["report", b, "--format", "json"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stderr
                .contains(&format!("phiscan: {b}: the signer is unverified: {found}")),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("--public-key"), "{}", out.stderr);
        let out = run(cwd, &["diff", "clean", b]);
        assert!([0, 1].contains(&out.code), "{}", out.stderr);
        assert!(
            out.stderr
                .contains(&format!("{b}: the signer is unverified")),
            "{}",
            out.stderr
        );
    }

    // The owner's own bundle passes quietly with the owner's key.
    let out = run(
        cwd,
        &["report", "clean", "--public-key", pk, "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let out = run(cwd, &["diff", "clean", "clean", "--public-key", pk]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn a_json_report_cannot_satisfy_a_public_key() {
    let keys = keygen();
    let work = tempfile::tempdir().unwrap();
    let cwd = work.path();
    let out = run(cwd, &["scan", "--demo", "--format", "json", "-o", "r.json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let pk = keys.public.to_str().unwrap();
    for args in [
        vec!["report", "r.json", "--public-key", pk],
        vec!["diff", "r.json", "r.json", "--public-key", pk],
    ] {
        let out = run(cwd, &args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("r.json: a JSON report carries no signature"),
            "{}",
            out.stderr
        );
    }
}
