//! The `findings` array of a JSON v1 document, serialized on every core and written in
//! order: at a million findings (5 GB of JSON) serialization is most of a scan's CPU.
//!
//! The bytes are those serde_json's pretty printer writes for the array inside the document.
//! A finding serialized alone is the same text at depth 0; inside the array it sits at depth
//! 2, so each of its line breaks is followed by two more levels of indentation. A JSON
//! string never holds a raw line break (serde_json escapes it), so every line break in the
//! text is the printer's own and the indentation can be added byte by byte.

use std::io::Write;

use rayon::prelude::*;

use super::{JsonFinding, JsonResource};
use crate::report::ReportFinding;

/// Findings one task serializes.
const PIECE: usize = 1024;

/// What the document holds in place of its findings before they are spliced in.
const PLACEHOLDER: &[u8] = b"\n  \"findings\": []";

/// Indentation of a finding inside the array (depth 2, two spaces a level).
const INDENT: &[u8] = b"    ";

/// Write `head` (the document serialized with no findings) with `findings` in place of its
/// empty `findings` array. Memory beyond the report: the pieces in flight, a few tens of MB.
pub(super) fn splice(
    head: &[u8],
    findings: &[ReportFinding],
    out: &mut impl Write,
) -> std::io::Result<()> {
    if findings.is_empty() {
        return out.write_all(head);
    }
    // At depth 1 the key is found only where the document put it: strings never hold a raw
    // line break, and deeper keys are indented further.
    let at = head
        .windows(PLACEHOLDER.len())
        .position(|w| w == PLACEHOLDER)
        .ok_or_else(|| std::io::Error::other("JSON document without a findings array"))?;
    let open = at + PLACEHOLDER.len() - 1;
    out.write_all(&head[..open])?;
    let window = PIECE * rayon::current_num_threads() * 2;
    let mut first = true;
    for group in findings.chunks(window) {
        let pieces: Vec<Vec<u8>> = group
            .par_chunks(PIECE)
            .map(piece)
            .collect::<std::io::Result<_>>()?;
        for p in &pieces {
            // Every finding is written after ",\n    "; the first one after "\n    ".
            let bytes = if first { &p[1..] } else { &p[..] };
            first = false;
            out.write_all(bytes)?;
        }
    }
    out.write_all(b"\n  ]")?;
    out.write_all(&head[open + 1..])
}

/// The findings of one piece, each after ",\n" and its indentation.
fn piece(findings: &[ReportFinding]) -> std::io::Result<Vec<u8>> {
    let mut buf = Indented(Vec::with_capacity(findings.len() * 1600));
    for f in findings {
        buf.0.extend_from_slice(b",\n");
        buf.0.extend_from_slice(INDENT);
        serde_json::to_writer_pretty(&mut buf, &json_finding(f))?;
    }
    Ok(buf.0)
}

/// A buffer that indents every line after the first by [`INDENT`].
struct Indented(Vec<u8>);

impl Write for Indented {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        // The printer writes a token at a time, its line breaks on their own.
        if bytes == b"\n" {
            self.0.push(b'\n');
            self.0.extend_from_slice(INDENT);
            return Ok(1);
        }
        if !bytes.contains(&b'\n') {
            self.0.extend_from_slice(bytes);
            return Ok(bytes.len());
        }
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            self.0.extend_from_slice(line);
            if line.ends_with(b"\n") {
                self.0.extend_from_slice(INDENT);
            }
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn json_finding(f: &ReportFinding) -> JsonFinding<'_> {
    let r = f.resource();
    JsonFinding {
        check_id: f.meta.id,
        title: f.meta.title,
        status: f.status(),
        severity: f.severity,
        provider: r.provider,
        account: &r.account,
        region: &r.region,
        resource: JsonResource {
            id: &r.id,
            kind: r.kind.as_str(),
            name: &r.name,
            tags: &r.tags,
        },
        controls: f.controls(),
        evidence: &f.finding.evidence,
        reason: &f.finding.reason,
        remediation: f.remediation(),
        evidence_ref: f.evidence_ref.as_deref(),
        waiver: f.finding.waiver.as_deref(),
    }
}
