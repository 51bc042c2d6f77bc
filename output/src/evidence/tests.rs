//! Bundles built, tampered with and verified.

use super::*;
use ed25519_dalek::VerifyingKey;

fn bundle(key: Option<&SigningKey>) -> Files {
    let mut files = Files::new();
    files.insert("a.json".into(), b"{}\n".to_vec());
    files.insert("raw/x/y.json".into(), b"[1]\n".to_vec());
    let manifest = Manifest {
        format: MANIFEST_FORMAT.into(),
        tool: "phiscan".into(),
        version: "0".into(),
        created_at: DateTime::<Utc>::UNIX_EPOCH,
        signed: key.is_some(),
        signature: key.map(|k| SignatureInfo {
            algorithm: "Ed25519".into(),
            key_id: sign::key_id(&k.verifying_key()),
            public_key: sign::public_pem(&k.verifying_key()),
            file: SIGNATURE.into(),
        }),
        note: key.is_none().then(|| UNSIGNED_NOTE.into()),
        files: files
            .iter()
            .map(|(p, d)| FileEntry {
                path: p.clone(),
                size: d.len() as u64,
                sha256: text_sha256_hex(d),
            })
            .collect(),
    };
    let bytes = manifest.to_bytes();
    if let Some(k) = key {
        let sig = base64::engine::general_purpose::STANDARD.encode(sign::sign(k, &bytes));
        files.insert(SIGNATURE.into(), sig.into_bytes());
    }
    files.insert(MANIFEST.into(), bytes);
    files
}

fn problems(files: &Files, key: Option<&VerifyingKey>) -> Vec<String> {
    verify(files, "b", key).unwrap().problems
}

#[test]
fn intact_bundles_verify() {
    let k = sign::generate().unwrap();
    let v = verify(&bundle(Some(&k)), "b", Some(&k.verifying_key())).unwrap();
    assert!(v.is_valid(), "{:?}", v.problems);
    assert!(v.pinned && v.signed);
    assert_eq!(v.files, 2);
    let v = verify(&bundle(None), "b", None).unwrap();
    assert!(v.is_valid() && !v.signed && v.signed_by.is_none());
}

#[test]
fn a_reformatted_manifest_is_caught_even_unsigned() {
    let mut files = bundle(None);
    let m: Value = serde_json::from_slice(&files[MANIFEST]).unwrap();
    files.insert(MANIFEST.into(), serde_json::to_vec(&m).unwrap());
    let p = problems(&files, None);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("not in the exact form"), "{p:?}");
}

#[test]
fn signature_and_manifest_must_agree() {
    let k = sign::generate().unwrap();
    // A signature file beside an unsigned manifest.
    let mut files = bundle(None);
    files.insert(SIGNATURE.into(), b"AAAA\n".to_vec());
    assert!(problems(&files, None)[0].contains("manifest.sig: added"));
    // A signed manifest whose signature is garbage.
    let mut files = bundle(Some(&k));
    files.insert(SIGNATURE.into(), b"not base64!\n".to_vec());
    assert!(problems(&files, None)[0].contains("not a base64 Ed25519 signature"));
    // An unparseable manifest is unreadable without a pinned key, invalid with one.
    let mut files = bundle(Some(&k));
    files.insert(MANIFEST.into(), b"{".to_vec());
    assert!(verify(&files, "b", None).is_err());
    let p = problems(&files, Some(&k.verifying_key()));
    assert!(p[0].contains("manifest.json: changed"), "{p:?}");
}

#[test]
fn manifests_cannot_list_themselves_or_escape() {
    let mut files = bundle(None);
    let mut m: Manifest = serde_json::from_slice(&files[MANIFEST]).unwrap();
    m.files.push(FileEntry {
        path: MANIFEST.into(),
        size: 0,
        sha256: String::new(),
    });
    m.files.push(m.files[0].clone());
    files.insert(MANIFEST.into(), m.to_bytes());
    let p = problems(&files, None);
    assert!(p.iter().any(|p| p.contains("lists manifest.json")), "{p:?}");
    assert!(p.iter().any(|p| p.contains("lists a.json twice")), "{p:?}");
}
