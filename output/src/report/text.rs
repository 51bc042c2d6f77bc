//! Small helpers shared by the text formats: escaping, stable ids, labels.

use sha2::{Digest, Sha256};

use super::ReportFinding;
use crate::attested::AttestedFinding;
use crate::check::Status;

/// Escape text for HTML and XML element content and attribute values. `://` is written
/// with an entity so that no external URL appears literally in a self-contained page.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 forbids most control characters even as entities.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out.replace("://", "&#58;//")
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A field
/// starting with `=`, `+`, `-` or `@` gets a leading apostrophe so a spreadsheet never runs it
/// as a formula (CSV injection); resource names are attacker-controlled text, so control
/// characters (line breaks, terminal escape sequences) are escaped too: a CSV is often `cat`.
pub fn csv_field(s: &str) -> String {
    let s = phiscan_core::quote::escape_controls(s);
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub fn csv_line(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// A stable fingerprint of (check, resource): the same finding across scans has the same one.
pub fn fingerprint(f: &ReportFinding) -> String {
    sha256_hex(format!("{}\n{}", f.meta.id, f.resource().id).as_bytes())
}

/// A stable fingerprint of an attested verdict: (rule, platform, resource). Never equal to
/// an observed finding's: the rule ids are not check ids.
pub fn attested_fingerprint(f: &AttestedFinding) -> String {
    sha256_hex(format!("{}\n{}\n{}", f.rule.id, f.platform, f.resource_id).as_bytes())
}

/// The attested values as one line of compact JSON, for cells and messages.
pub fn attested_evidence(f: &AttestedFinding) -> String {
    // Plain JSON values: serialization cannot fail.
    serde_json::to_string(&f.evidence).expect("evidence serializes")
}

pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Error => "error",
        Status::NotApplicable => "not-applicable",
        Status::Waived => "waived",
    }
}
