//! The `findings` array of a JSON v1 document, serialized on every core and written in
//! order: at a million findings (3 GB of JSON) serialization is most of a scan's CPU.
//!
//! The bytes are those serde_json's pretty printer writes for `JsonFinding`s inside the
//! document. Two things make it cheaper than serializing each `JsonFinding`:
//! - every value is written straight at its depth by serde_json's own serializer, with a
//!   pretty formatter that starts there ([`Deep`]), instead of a finding being printed at
//!   depth 0 and re-indented byte by byte;
//! - what is the same for every finding of a check (its id, title, controls and remediation:
//!   about half the bytes of a finding) is rendered once per check ([`Shared`]) and copied.
//!
//! The field order and the fields left out are `JsonFinding`'s; the tests hold the two
//! writers to the same bytes.

use std::collections::HashMap;
use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use super::pretty::{indent, object, text, Deep, Member};
use crate::report::ReportFinding;

/// Findings one task serializes.
const PIECE: usize = 256;

/// What the document holds in place of its findings before they are spliced in.
const PLACEHOLDER: &[u8] = b"\n  \"findings\": []";

/// Depth of a finding in the document (an item of the root object's `findings` array).
const FINDING: usize = 2;
/// Depth of a finding's fields.
const FIELD: usize = FINDING + 1;

/// Write `head` (the document serialized with no findings) with `findings` in place of its
/// empty `findings` array. Memory beyond the report: the pieces in flight, a few tens of MB.
pub(super) fn splice(
    head: &[u8],
    findings: &[ReportFinding],
    out: &mut impl Write,
) -> io::Result<()> {
    if findings.is_empty() {
        return out.write_all(head);
    }
    // At depth 1 the key is found only where the document put it: strings never hold a raw
    // line break, and deeper keys are indented further.
    let at = head
        .windows(PLACEHOLDER.len())
        .position(|w| w == PLACEHOLDER)
        .ok_or_else(|| io::Error::other("JSON document without a findings array"))?;
    let open = at + PLACEHOLDER.len() - 1;
    out.write_all(&head[..open])?;
    let shared = Shared::of(findings)?;
    let window = PIECE * rayon::current_num_threads() * 2;
    // A window is serialized on every core while the one before it is written here: the
    // write (a copy into the kernel, a tenth of the work at scale) no longer leaves the
    // cores idle. One window waits in the channel at most.
    let (windows, serialized) = std::sync::mpsc::sync_channel::<io::Result<Vec<Vec<u8>>>>(1);
    std::thread::scope(|scope| {
        let shared = &shared;
        scope.spawn(move || {
            for group in findings.chunks(window) {
                let pieces = group
                    .par_chunks(PIECE)
                    .map(|p| piece(p, shared))
                    .collect::<io::Result<_>>();
                // The writer stops at its first error; nothing is left to serialize for.
                if windows.send(pieces).is_err() {
                    return;
                }
            }
        });
        let mut first = true;
        for pieces in serialized {
            for p in &pieces? {
                // Every finding is written after ",\n    "; the first one after "\n    ".
                let bytes = if first { &p[1..] } else { &p[..] };
                first = false;
                out.write_all(bytes)?;
            }
        }
        io::Result::Ok(())
    })?;
    out.write_all(b"\n  ]")?;
    out.write_all(&head[open + 1..])
}

/// The findings of one piece, each after ",\n" and its indentation.
fn piece(findings: &[ReportFinding], shared: &Shared) -> io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(findings.len() * 1600);
    for f in findings {
        buf.extend_from_slice(b",\n");
        indent(&mut buf, FINDING);
        finding(&mut buf, f, shared.of_check(f))?;
    }
    Ok(buf)
}

/// One finding, as serde_json's pretty printer writes its `JsonFinding` at depth 2.
fn finding(buf: &mut Vec<u8>, f: &ReportFinding, check: &CheckText) -> io::Result<()> {
    let r = f.resource();
    // `{`, check_id, title, and the key of `status`.
    buf.extend_from_slice(&check.head);
    value(buf, &f.status())?;
    key(buf, "severity");
    value(buf, &f.severity)?;
    key(buf, "provider");
    value(buf, &r.provider)?;
    key(buf, "account");
    text(buf, &r.account);
    key(buf, "region");
    text(buf, &r.region);
    key(buf, "resource");
    // `JsonResource`'s fields.
    let resource = [
        ("id", Member::Text(&r.id)),
        ("kind", Member::Text(r.kind.as_str())),
        ("name", Member::Text(&r.name)),
        ("tags", Member::Tags(&r.tags)),
    ];
    object(buf, FIELD, resource)?;
    buf.extend_from_slice(&check.controls);
    key(buf, "evidence");
    object(
        buf,
        FIELD,
        f.finding
            .evidence
            .iter()
            .map(|(k, v)| (k, Member::Observed(v))),
    )?;
    key(buf, "reason");
    text(buf, &f.finding.reason);
    buf.extend_from_slice(&check.remediation);
    if let Some(path) = &f.evidence_ref {
        key(buf, "evidence_ref");
        text(buf, path);
    }
    if let Some(waiver) = &f.finding.waiver {
        key(buf, "waiver");
        value(buf, waiver.as_ref())?;
    }
    buf.push(b'\n');
    indent(buf, FINDING);
    buf.push(b'}');
    Ok(())
}

/// The text of a finding that depends on its check alone.
struct CheckText {
    /// `{`, `check_id` and `title` with their values, and the key of `status`.
    head: Vec<u8>,
    /// `controls` with its value, after the comma that ends `resource`.
    controls: Vec<u8>,
    /// `remediation` with its value, after the comma that ends `reason`.
    remediation: Vec<u8>,
}

impl CheckText {
    fn of(f: &ReportFinding) -> io::Result<CheckText> {
        let mut head = b"{\n".to_vec();
        indent(&mut head, FIELD);
        head.extend_from_slice(b"\"check_id\": ");
        value(&mut head, &f.meta.id)?;
        key(&mut head, "title");
        value(&mut head, &f.meta.title)?;
        key(&mut head, "status");
        let mut controls = Vec::new();
        key(&mut controls, "controls");
        value(&mut controls, &f.controls())?;
        let mut remediation = Vec::new();
        key(&mut remediation, "remediation");
        value(&mut remediation, &f.remediation())?;
        Ok(CheckText {
            head,
            controls,
            remediation,
        })
    }
}

/// Each check's [`CheckText`], rendered once for a report.
struct Shared(HashMap<(usize, usize), CheckText>);

impl Shared {
    fn of(findings: &[ReportFinding]) -> io::Result<Shared> {
        let mut texts = HashMap::new();
        for f in findings {
            if let std::collections::hash_map::Entry::Vacant(e) = texts.entry(Shared::key(f)) {
                e.insert(CheckText::of(f)?);
            }
        }
        Ok(Shared(texts))
    }

    /// A check's metadata and its parts are each shared by all its findings.
    fn key(f: &ReportFinding) -> (usize, usize) {
        (
            std::ptr::from_ref(f.meta) as usize,
            std::sync::Arc::as_ptr(&f.parts) as usize,
        )
    }

    fn of_check(&self, f: &ReportFinding) -> &CheckText {
        &self.0[&Shared::key(f)]
    }
}

/// `,` and a line break, the indentation of a finding's field and its key.
fn key(buf: &mut Vec<u8>, name: &str) {
    buf.extend_from_slice(b",\n");
    indent(buf, FIELD);
    buf.push(b'"');
    buf.extend_from_slice(name.as_bytes());
    buf.extend_from_slice(b"\": ");
}

/// A finding field's value, pretty-printed at the field's depth.
fn value(buf: &mut Vec<u8>, v: &(impl Serialize + ?Sized)) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(buf, Deep::at(FIELD));
    v.serialize(&mut ser).map_err(io::Error::other)
}

#[cfg(test)]
#[path = "findings_tests.rs"]
mod tests;
