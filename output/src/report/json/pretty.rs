//! serde_json's pretty format (two spaces a level), written at any depth: a formatter that
//! starts there ([`Deep`]) for values serde writes, and a walk of its own ([`Member`],
//! [`object`]) for the strings, tags and evidence of findings, whose strings [`text`] copies
//! as they are when no byte needs an escape. The findings writer (`findings.rs`) builds on
//! it; its tests hold the two to serde_json's own output.

use std::io::{self, Write};

use phiscan_core::check::Observed;
use serde_json::ser::Formatter;

/// A member of an object the writer walks itself, so that its strings take [`text`].
pub(super) enum Member<'a> {
    Text(&'a str),
    Observed(&'a Observed),
    Tags(&'a crate::model::Tags),
}

impl Member<'_> {
    fn write(self, buf: &mut Vec<u8>, depth: usize) -> io::Result<()> {
        match self {
            Member::Text(s) => {
                text(buf, s);
                Ok(())
            }
            Member::Observed(Observed::String(s)) => {
                text(buf, s);
                Ok(())
            }
            Member::Observed(Observed::Array(items)) => {
                let mut first = true;
                for item in items.iter() {
                    buf.extend_from_slice(if first { b"[\n" } else { b",\n" });
                    first = false;
                    indent(buf, depth + 1);
                    Member::Observed(item).write(buf, depth + 1)?;
                }
                close(buf, depth, first, b"[]", b']');
                Ok(())
            }
            Member::Observed(Observed::Object(members)) => object(
                buf,
                depth,
                members.iter().map(|(k, v)| (&**k, Member::Observed(v))),
            ),
            // Numbers, booleans and null: no string, no depth.
            Member::Observed(scalar) => {
                serde_json::to_writer(&mut *buf, scalar).map_err(io::Error::other)
            }
            Member::Tags(tags) => object(
                buf,
                depth,
                tags.iter().map(|(k, v)| (k.as_str(), Member::Text(v))),
            ),
        }
    }
}

/// An object at `depth`, as serde_json's pretty printer writes it there.
pub(super) fn object<'a>(
    buf: &mut Vec<u8>,
    depth: usize,
    members: impl IntoIterator<Item = (&'a str, Member<'a>)>,
) -> io::Result<()> {
    let mut first = true;
    for (k, v) in members {
        buf.extend_from_slice(if first { b"{\n" } else { b",\n" });
        first = false;
        indent(buf, depth + 1);
        text(buf, k);
        buf.extend_from_slice(b": ");
        v.write(buf, depth + 1)?;
    }
    close(buf, depth, first, b"{}", b'}');
    Ok(())
}

/// The end of an array or object: `empty` when it had no item, else the bracket on a line
/// of its own.
fn close(buf: &mut Vec<u8>, depth: usize, none: bool, empty: &[u8], bracket: u8) {
    if none {
        buf.extend_from_slice(empty);
    } else {
        buf.push(b'\n');
        indent(buf, depth);
        buf.push(bracket);
    }
}

/// A JSON string, as serde_json writes it. Most strings need no escape, and are checked for
/// one 16 bytes at a time (serde_json looks each byte up in its table).
pub(super) fn text(buf: &mut Vec<u8>, s: &str) {
    fn special(chunk: &[u8; 16]) -> bool {
        chunk.iter().fold(false, |any, &c| {
            any | (c < 0x20) | (c == b'"') | (c == b'\\')
        })
    }
    let bytes = s.as_bytes();
    let mut chunks = bytes.as_chunks::<16>().0.iter();
    let rest = &bytes[bytes.len() / 16 * 16..];
    let escape = chunks.any(special) || {
        // The last bytes, padded with spaces, are checked the same way.
        let mut last = [b' '; 16];
        last[..rest.len()].copy_from_slice(rest);
        special(&last)
    };
    if escape {
        serde_json::to_writer(buf, s).expect("a string serializes into memory");
    } else {
        buf.reserve(bytes.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(bytes);
        buf.push(b'"');
    }
}

/// Two spaces a level, as serde_json's pretty printer indents.
pub(super) fn indent(buf: &mut Vec<u8>, depth: usize) {
    buf.extend(std::iter::repeat_n(b' ', depth * 2));
}

/// [`indent`] for the formatter, which writes to any writer.
fn indent_to<W: ?Sized + Write>(w: &mut W, depth: usize) -> io::Result<()> {
    const SPACES: &[u8; 32] = b"                                ";
    let mut n = depth * 2;
    while n > 0 {
        let k = n.min(SPACES.len());
        w.write_all(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

/// serde_json's `PrettyFormatter` (two spaces a level), starting at a depth other than 0:
/// what it writes for a value at depth `d` is what the document holds there.
pub(super) struct Deep {
    depth: usize,
    has_value: bool,
}

impl Deep {
    pub(super) fn at(depth: usize) -> Deep {
        Deep {
            depth,
            has_value: false,
        }
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            indent_to(w, self.depth)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent_to(w, self.depth)
    }
}

impl Formatter for Deep {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}
