//! Offline verification of a bundle: every hash of the manifest, nothing added or missing,
//! and the signature over the manifest's exact bytes.

use std::collections::BTreeSet;

use base64::Engine as _;
use ed25519_dalek::VerifyingKey;

use super::{sign, Files, Manifest, ReadError, MANIFEST, MANIFEST_FORMAT, SIGNATURE};
use crate::report::text_sha256_hex;

/// The outcome of [`verify`].
#[derive(Debug, Clone, Default)]
pub struct Verification {
    /// Files the manifest lists.
    pub files: usize,
    /// Every problem found; empty when the bundle is intact.
    pub problems: Vec<String>,
    /// `sha256:...` of the key that signed the manifest, when the signature holds.
    pub signed_by: Option<String>,
    /// The signature was checked against a key the verifier supplied.
    pub pinned: bool,
    pub signed: bool,
}

impl Verification {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Check every hash and the signature of a bundle's files. `Err` when the manifest cannot be
/// read at all (the bundle is not a bundle, or the manifest is corrupt beyond parsing).
pub fn verify(
    files: &Files,
    bundle: &str,
    public_key: Option<&VerifyingKey>,
) -> Result<Verification, ReadError> {
    let mut v = Verification::default();
    let Some(bytes) = files.get(MANIFEST) else {
        return Err(ReadError::new(
            bundle,
            format!("no {MANIFEST}: not a phiscan evidence bundle"),
        ));
    };
    let sig_bytes = files.get(SIGNATURE);
    // With a pinned key the signature is checked on the raw bytes, before parsing: a
    // tampered manifest is then "invalid" (exit 1) even when it no longer parses.
    let decode = |s: &[u8]| {
        std::str::from_utf8(s).ok().and_then(|t| {
            base64::engine::general_purpose::STANDARD
                .decode(t.trim())
                .ok()
        })
    };
    let pinned_ok = match (public_key, sig_bytes) {
        (Some(k), Some(sig)) => Some(decode(sig).is_some_and(|s| sign::verify(k, bytes, &s))),
        _ => None,
    };
    let manifest: Manifest = match serde_json::from_slice(bytes) {
        Ok(m) => m,
        Err(e) if pinned_ok == Some(false) => {
            v.problems.push(format!(
                "{MANIFEST}: changed — the signature does not verify with the given public key, and the manifest no longer parses ({e})"
            ));
            return Ok(v);
        }
        Err(e) => {
            return Err(ReadError::new(
                &format!("{bundle}/{MANIFEST}"),
                format!("corrupt manifest: {e}"),
            ))
        }
    };
    if manifest.format != MANIFEST_FORMAT {
        return Err(ReadError::new(
            &format!("{bundle}/{MANIFEST}"),
            format!(
                "unsupported manifest format {} (this phiscan reads {MANIFEST_FORMAT:?})",
                phiscan_core::quote::quote(&manifest.format)
            ),
        ));
    }
    v.files = manifest.files.len();
    v.signed = manifest.signed;
    if manifest.to_bytes() != *bytes {
        v.problems.push(format!(
            "{MANIFEST}: changed — it is not in the exact form phiscan writes (edited by hand?)"
        ));
    }

    // Signature.
    match (&manifest.signature, manifest.signed, sig_bytes) {
        (None, false, None) => {
            if public_key.is_some() {
                v.problems.push(format!(
                    "{MANIFEST}: the bundle is unsigned, but --public-key expects a signature"
                ));
            }
        }
        (None, false, Some(_)) => v.problems.push(format!(
            "{SIGNATURE}: added — the manifest says the bundle is unsigned"
        )),
        (Some(info), true, sig) => {
            if info.algorithm != "Ed25519" || info.file != SIGNATURE {
                v.problems.push(format!(
                    "{MANIFEST}: unsupported signature {} in {}",
                    phiscan_core::quote::quote(&info.algorithm),
                    phiscan_core::quote::quote(&info.file)
                ));
            }
            let embedded = sign::parse_public(&info.public_key);
            match sig {
                None => v.problems.push(format!(
                    "{SIGNATURE}: missing — the manifest says the bundle is signed"
                )),
                Some(sig) => match decode(sig) {
                    None => v.problems.push(format!(
                        "{SIGNATURE}: changed — not a base64 Ed25519 signature"
                    )),
                    Some(sig) => {
                        let key = match (public_key, &embedded) {
                            (Some(k), _) => Some(*k),
                            (None, Ok(k)) => Some(*k),
                            (None, Err(e)) => {
                                v.problems.push(format!(
                                    "{MANIFEST}: changed — public key unreadable: {e}"
                                ));
                                None
                            }
                        };
                        if let Some(k) = key {
                            if sign::verify(&k, bytes, &sig) {
                                v.signed_by = Some(sign::key_id(&k));
                                v.pinned = public_key.is_some();
                            } else if public_key.is_some() {
                                v.problems.push(format!(
                                    "{MANIFEST} / {SIGNATURE}: the signature does not verify with the given public key {} (the manifest or signature changed, or another key signed it: the manifest names {})",
                                    sign::key_id(&k),
                                    info.key_id
                                ));
                            } else {
                                v.problems.push(format!(
                                    "{MANIFEST} / {SIGNATURE}: the signature does not verify: the manifest or the signature changed"
                                ));
                            }
                        }
                    }
                },
            }
            if let (Some(k), Ok(e)) = (public_key, &embedded) {
                if k != e {
                    v.problems.push(format!(
                        "{MANIFEST}: names signing key {}, not the expected {}",
                        info.key_id,
                        sign::key_id(k)
                    ));
                }
            }
            if embedded
                .as_ref()
                .is_ok_and(|e| sign::key_id(e) != info.key_id)
            {
                v.problems.push(format!(
                    "{MANIFEST}: key_id {} does not match its public key",
                    info.key_id
                ));
            }
        }
        _ => v.problems.push(format!(
            "{MANIFEST}: changed — `signed` and `signature` disagree"
        )),
    }

    // Files.
    let mut listed = BTreeSet::new();
    for e in &manifest.files {
        if !listed.insert(e.path.as_str()) {
            v.problems
                .push(format!("{MANIFEST}: lists {} twice", e.path));
        }
        if e.path == MANIFEST || e.path == SIGNATURE {
            v.problems
                .push(format!("{MANIFEST}: lists {} (it may not)", e.path));
            continue;
        }
        match files.get(&e.path) {
            None => v.problems.push(format!("{}: missing", e.path)),
            Some(data) => {
                let sha = text_sha256_hex(data);
                if sha != e.sha256 || data.len() as u64 != e.size {
                    v.problems.push(format!(
                        "{}: changed — sha256 {} (size {}), the manifest says {} (size {})",
                        e.path,
                        sha,
                        data.len(),
                        e.sha256,
                        e.size
                    ));
                }
            }
        }
    }
    for path in files.keys() {
        if path != MANIFEST && path != SIGNATURE && !listed.contains(path.as_str()) {
            v.problems
                .push(format!("{path}: added — not in the manifest"));
        }
    }
    Ok(v)
}
