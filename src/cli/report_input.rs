//! Reading a report back for `report`, `diff` and `merge`: a JSON v1 file, or an evidence
//! bundle verified and its signer checked before its findings are trusted.

use std::path::Path;

use anyhow::{bail, Context};
use phiscan_output::evidence::{self, redact::outputs};

/// A bundle or JSON v1 file, read and (for bundles, unless `no_verify`) verified; returns the
/// JSON v1 text. Errors are one line naming the file.
pub fn load_report_text(
    path: &Path,
    no_verify: bool,
    public_key: Option<&phiscan_output::evidence::sign::VerifyingKey>,
) -> anyhow::Result<Result<String, String>> {
    let shown = path.display().to_string();
    let is_bundle = path.is_dir() || evidence::archive::is_archive(path);
    if !is_bundle {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {shown}"))?;
        if public_key.is_some() {
            bail!("{shown}: a JSON report carries no signature; --public-key needs an evidence bundle");
        }
        return Ok(Ok(outputs::redact_json_report(&text)));
    }
    let files = evidence::archive::read(path)?;
    let v = match evidence::verify(&files, &shown, public_key) {
        Ok(v) => Some(v),
        // An unreadable manifest may still be rendered with --no-verify, signer unknown.
        Err(_) if no_verify && public_key.is_none() => None,
        Err(e) => return Err(e.into()),
    };
    // Who signed it by its own account, to name the other key in a refusal.
    let unpinned = match (public_key, &v) {
        (Some(_), Some(v)) if !v.pinned && v.signed => evidence::verify(&files, &shown, None).ok(),
        _ => None,
    };
    signer_check(&shown, unpinned.as_ref().or(v.as_ref()), public_key)?;
    if let Some(v) = v.filter(|v| !no_verify && !v.is_valid()) {
        return Ok(Err(format!(
            "{shown}: the evidence bundle fails verification ({} problem(s), first: {}); run `phiscan evidence verify {shown}` for all, or pass --no-verify",
            v.problems.len(),
            v.problems[0]
        )));
    }
    let data = files
        .get(evidence::FINDINGS)
        .with_context(|| format!("{shown}: the bundle has no {}", evidence::FINDINGS))?;
    let text = String::from_utf8(data.clone())
        .with_context(|| format!("{shown}/{}: not UTF-8", evidence::FINDINGS))?;
    Ok(Ok(outputs::redact_json_report(&text)))
}

/// Who signed a bundle read by `report`, `diff` or `merge`. With `--public-key` anything but
/// a signature by that key is refused (exit 2), even with --no-verify: a pinned key is a
/// promise about who made the bundle. Without it, say plainly that the signer is unverified,
/// as `evidence verify` does: a bundle re-signed with another key, or downgraded to unsigned,
/// is otherwise indistinguishable from the real one.
fn signer_check(
    shown: &str,
    v: Option<&evidence::Verification>,
    public_key: Option<&phiscan_output::evidence::sign::VerifyingKey>,
) -> anyhow::Result<()> {
    let state = match v {
        Some(v) if v.pinned => return Ok(()),
        Some(v) => match (&v.signed_by, v.signed) {
            (Some(id), _) => format!("signed by {id}, the key the bundle itself names"),
            (None, true) => "its signature does not verify".to_string(),
            (None, false) => "the bundle is unsigned, so anyone could have written it".to_string(),
        },
        None => "the manifest is unreadable".to_string(),
    };
    match public_key {
        Some(key) => bail!(
            "{shown}: not signed by the --public-key key {}: {state}; refusing to read it",
            evidence::sign::key_id(key)
        ),
        None => {
            super::progress::note(&format!(
                "{shown}: the signer is unverified: {state} (pass --public-key FILE to prove who signed)"
            ));
            Ok(())
        }
    }
}
