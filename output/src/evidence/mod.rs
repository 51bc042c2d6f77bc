//! The evidence bundle: what an auditor takes away from a scan and can verify offline.
//!
//! ```text
//! findings.json   JSON v1 report; each finding's `evidence_ref` names its file in raw/
//! controls.csv    the HIPAA Security Rule matrix: every specification, status, reason, links
//! controls.html   the same matrix as a page
//! scan.json       tool version, command line, config, who scanned, scopes, times, API calls
//! raw/...         the observed data behind every finding, redacted (see raw.rs, redact.rs)
//! manifest.json   every other file with its size and SHA-256, and the signature's key
//! manifest.sig    base64 Ed25519 signature over the exact bytes of manifest.json (signed
//!                 bundles only)
//! ```
//!
//! Deterministic: no wall-clock time goes in. Times come from the inventory and the scan
//! clock, files are written in path order, archives have fixed metadata; the same inventory,
//! clock and key give byte-identical bundles (Ed25519 signatures are deterministic too).
//!
//! The signature covers manifest.json, which covers every other file, so one signature
//! proves the whole bundle. It is kept beside the manifest rather than inside it so the signed
//! bytes are exactly a file: `openssl pkeyutl -verify -rawin` checks it without phiscan.

pub mod archive;
pub mod raw;
pub mod redact;
pub mod sign;
mod verify;

pub use verify::{verify, Verification};

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::model::Inventory;
use crate::report::{controls, json as json_v1, text_sha256_hex, Report};
use redact::Redactor;

pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.sig";
pub const MANIFEST_FORMAT: &str = "phiscan-evidence-manifest/v1";
pub const SCAN_FORMAT: &str = "phiscan-scan/v1";
pub const FINDINGS: &str = "findings.json";

/// A bundle's files by bundle-relative `/`-separated path, in path order.
pub type Files = BTreeMap<String, Vec<u8>>;

/// A bundle that cannot be read at all (exit 2): which file, and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ReadError {
    pub path: String,
    pub message: String,
}

impl ReadError {
    pub fn new(path: &str, message: String) -> Self {
        ReadError {
            path: path.to_string(),
            message,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureInfo {
    /// Always `Ed25519`.
    pub algorithm: String,
    /// `sha256:<hex>` of the raw 32-byte public key.
    pub key_id: String,
    /// The public key (SubjectPublicKeyInfo PEM). Verifying against it proves the bundle is
    /// intact; pinning the expected key (`--public-key`) proves who signed it.
    pub public_key: String,
    /// The file holding the base64 signature over the bytes of manifest.json.
    pub file: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub tool: String,
    pub version: String,
    /// The scan clock (not the wall clock: bundles are reproducible).
    pub created_at: DateTime<Utc>,
    pub signed: bool,
    /// Present when `signed`.
    pub signature: Option<SignatureInfo>,
    /// Present when unsigned: what that means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Every file of the bundle except manifest.json and manifest.sig, in path order.
    pub files: Vec<FileEntry>,
}

impl Manifest {
    pub fn to_bytes(&self) -> Vec<u8> {
        // Plain data: serialization cannot fail.
        (serde_json::to_string_pretty(self).expect("manifest serializes") + "\n").into_bytes()
    }
}

const UNSIGNED_NOTE: &str = "This bundle is unsigned. The hashes detect accidental damage, but anyone who can write the bundle can rewrite a file and its hash together. Sign bundles (`phiscan keygen`, then `--signing-key` or PHISCAN_SIGNING_KEY) and verify with `--public-key` to prove who made them.";

/// What the scan was run with, for scan.json.
pub struct ScanContext<'a> {
    /// The command line, `argv[0]` replaced by `phiscan`.
    pub command_line: Vec<String>,
    /// The effective configuration (selection, threshold, check parameters). No secrets:
    /// the signing key is never part of it.
    pub config: Value,
    pub inventory: &'a Inventory,
}

fn command_line(args: &[String], redactor: &mut Redactor) -> Vec<String> {
    let mut out = Vec::new();
    let mut secret_next = false;
    for a in args {
        if secret_next {
            out.push("[REDACTED:secret-key-name]".to_string());
            *redactor.counts.entry("secret-key-name").or_default() += 1;
            secret_next = false;
            continue;
        }
        if let Some(flag) = a.strip_prefix("--") {
            if let Some((name, _)) = flag.split_once('=') {
                if redact::is_secret_key(name) {
                    out.push(format!("--{name}=[REDACTED:secret-key-name]"));
                    *redactor.counts.entry("secret-key-name").or_default() += 1;
                    continue;
                }
            } else {
                secret_next = redact::is_secret_key(flag);
            }
        }
        out.push(redactor.string(a).unwrap_or_else(|| a.clone()));
    }
    out
}

fn scan_json(
    report: &Report,
    ctx: &ScanContext,
    layout: &raw::Layout,
    redactor: &mut Redactor,
) -> Vec<u8> {
    let s = &report.scan;
    let inv = ctx.inventory;
    let mut config = ctx.config.clone();
    redactor.value(&mut config);
    let command_line = command_line(&ctx.command_line, redactor);
    let scanned_by: Vec<Value> = s
        .scope
        .iter()
        .map(|sc| {
            let mut v = json!({
                "provider": sc.provider,
                "account": sc.account,
                "identity": sc.identity,
            });
            if sc.identity.is_none() {
                v["identity_note"] = json!("the collector did not record who it scanned as");
            }
            v
        })
        .collect();
    let providers: BTreeSet<_> = s.scope.iter().map(|sc| sc.provider).collect();
    let errors: Vec<_> = inv
        .errors
        .iter()
        .filter(|e| providers.contains(&e.provider))
        .collect();
    let mut doc = json!({
        "format": SCAN_FORMAT,
        "tool": {"name": s.tool, "version": s.version},
        "command_line": command_line,
        "config": config,
        "source": s.source,
        "started_at": s.started_at,
        "finished_at": s.finished_at,
        "evaluated_at": s.evaluated_at,
        "scanned_by": scanned_by,
        "scopes": s.scope.iter().map(|sc| json!({
            "provider": sc.provider,
            "account": sc.account,
            "name": sc.name,
            "regions": sc.regions,
        })).collect::<Vec<_>>(),
        "checks_run": s.checks_run,
        "fail_on": s.fail_on,
        "counts": report.counts,
        "exit_code": report.exit_code,
        "resources": layout.resource_count(),
        "collection_errors": errors,
        "raw_responses": inv.raw_responses.iter().filter(|r| providers.contains(&r.provider)).count(),
    });
    // Read generically: the API-call log is whatever the collectors recorded.
    let inv_json = serde_json::to_value(inv).expect("inventory serializes");
    if let Some(calls) = inv_json.get("api_calls").filter(|c| !c.is_null()) {
        let mut calls = calls.clone();
        redactor.value(&mut calls);
        doc["api_calls"] = calls;
    }
    doc["redactions"] = json!(redactor.counts);
    (serde_json::to_string_pretty(&doc).expect("scan.json serializes") + "\n").into_bytes()
}

/// Assemble the bundle for `report` (whose findings' `evidence_ref`s were set by
/// `layout.attach` and which went through [`redact::outputs::redact_outputs`] with `inventory`,
/// giving `redactor`).
pub fn build(
    report: &Report,
    ctx: &ScanContext,
    layout: &raw::Layout,
    redactor: &mut Redactor,
    key: Option<&SigningKey>,
) -> Files {
    let mut files = Files::new();
    for (path, data) in layout.render(redactor) {
        files.insert(path, data);
    }
    files.insert(FINDINGS.into(), json_v1::render(report).into_bytes());
    files.insert("controls.csv".into(), controls::csv(report).into_bytes());
    files.insert("controls.html".into(), controls::html(report).into_bytes());
    files.insert("scan.json".into(), scan_json(report, ctx, layout, redactor));

    let entries = files
        .iter()
        .map(|(path, data)| FileEntry {
            path: path.clone(),
            size: data.len() as u64,
            sha256: text_sha256_hex(data),
        })
        .collect();
    let manifest = Manifest {
        format: MANIFEST_FORMAT.into(),
        tool: "phiscan".into(),
        version: report.scan.version.clone(),
        created_at: report.scan.evaluated_at,
        signed: key.is_some(),
        signature: key.map(|k| SignatureInfo {
            algorithm: "Ed25519".into(),
            key_id: sign::key_id(&k.verifying_key()),
            public_key: sign::public_pem(&k.verifying_key()),
            file: SIGNATURE.into(),
        }),
        note: key.is_none().then(|| UNSIGNED_NOTE.to_string()),
        files: entries,
    };
    let bytes = manifest.to_bytes();
    if let Some(k) = key {
        let sig = sign::sign(k, &bytes);
        files.insert(
            SIGNATURE.into(),
            (base64::engine::general_purpose::STANDARD.encode(sig) + "\n").into_bytes(),
        );
    }
    files.insert(MANIFEST.into(), bytes);
    files
}

/// Write a bundle: a `.tar.gz`/`.tgz` archive or a fresh directory.
pub fn write(path: &Path, files: &Files, clock: DateTime<Utc>) -> std::io::Result<()> {
    if archive::is_archive(path) {
        archive::write_archive(path, files, clock.timestamp().max(0) as u64)
    } else {
        archive::write_dir(path, files)
    }
}

#[cfg(test)]
mod tests;
