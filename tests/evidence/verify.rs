//! `phiscan verify`: a signed bundle verifies, in directory and archive form, and any change
//! to it (a byte, a missing or added file, a rewritten manifest, another key) is named.

use super::*;

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

fn flip(data: &mut [u8], at: usize) {
    // Flip the low bit of a byte that stays printable ASCII, so JSON stays JSON where it can:
    // preferably inside a run of hex digits (a hash or an id, never a key the manifest's
    // schema knows: where `at` falls depends on how big the demo estate is), else any letter
    // or digit.
    let hex = |i: usize| data.get(i).is_some_and(u8::is_ascii_hexdigit);
    let order = || (at..data.len()).chain(0..at);
    let i = order()
        .find(|&i| i > 0 && hex(i - 1) && hex(i) && hex(i + 1))
        .or_else(|| order().find(|&i| data[i].is_ascii_alphanumeric()))
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
