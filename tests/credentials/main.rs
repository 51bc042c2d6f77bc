//! Credential chains, end to end: each test runs an SDK's real credential provider against a
//! loopback stand-in of the identity provider's documented token exchange (moto's own STS for
//! AWS roles; replay/src/standin for the others), then proves that the scan which followed
//! reached moto or the replay server with exactly the credential that exchange minted (never
//! a fallback to static keys), and that no output shows a secret.
//!
//! Every endpoint is on 127.0.0.1; instance metadata is disabled (AWS) or a closed port
//! (GCP), and the machine's own credentials are removed (tests/support `phiscan()`).

#[path = "../support/mod.rs"]
mod support;

mod aws;
mod azure;
mod gcp;

/// Neither stdout nor stderr of `run` shows any of `secrets` (tokens, keys).
fn assert_never_printed(run: &support::Run, secrets: &[&str]) {
    for secret in secrets {
        assert!(!secret.is_empty());
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "a secret reached the output (exit {}): {}…",
            run.code,
            &secret[..secret.len().min(6)]
        );
    }
}

/// A run whose credential was refused decided nothing: no report (a setup error), or one
/// whose findings are all ERROR, never a PASS or FAIL built on data it could not read.
fn assert_no_verdict(run: &support::Run) {
    if run.stdout.trim().is_empty() {
        return;
    }
    let verdicts = support::verdicts(&run.report());
    assert!(verdicts.values().all(|s| s == "ERROR"), "{verdicts:?}");
}

/// Write `text` to `dir/name`; its path.
fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// The fenced block after `<!-- phiscan-recipe: NAME -->` in README.md: the tests run the
/// README's recipes as written, so the two cannot drift apart.
fn recipe(name: &str) -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let marker = format!("<!-- phiscan-recipe: {name} -->");
    let after = readme
        .split_once(&marker)
        .unwrap_or_else(|| panic!("README.md has no {marker}"))
        .1;
    let fence = after.find("```").expect("a fenced block after the marker");
    let body = after[fence..].split_once('\n').expect("fence line").1;
    body.split_once("```")
        .expect("the block is closed")
        .0
        .to_string()
}

/// `key = value` of an ini text (the first one).
fn ini_value<'a>(ini: &'a str, key: &str) -> &'a str {
    ini.lines()
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
        .unwrap_or_else(|| panic!("no {key} in {ini}"))
}
