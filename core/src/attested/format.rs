//! The attested file (`docs/attested.md`): TOML, one array of tables per kind. Parsing
//! collects every problem with its line (unknown fields, missing attester/date/document, a
//! date after today, a bad port or address range) and never panics.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

use super::{Attestation, AttestedEntry, AttestedKind, AttestedValues};
use crate::config_file::{text_line_col, utf8_text};
use crate::network::Cidr;
use crate::quote::shorten;

/// Version of the attested format this phiscan reads.
pub const ATTESTED_FORMAT: &str = "phiscan-attested/v1";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{}: {}", shorten(.origin), problems.join("; "))]
pub struct AttestedError {
    pub origin: String,
    /// Each problem, prefixed with `line N:` where the file says where.
    pub problems: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    format: Spanned<String>,
    #[serde(default)]
    host: Vec<Spanned<RawEntry>>,
    #[serde(default)]
    disk: Vec<Spanned<RawEntry>>,
    #[serde(default)]
    firewall_rule: Vec<Spanned<RawEntry>>,
    #[serde(default)]
    backup: Vec<Spanned<RawEntry>>,
}

/// Every field any kind takes; which ones a kind requires or refuses is checked after
/// parsing, so that one message names the kind.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    platform: Option<String>,
    id: Option<String>,
    name: Option<String>,
    encrypted: Option<bool>,
    encryption: Option<String>,
    ports: Option<Vec<Spanned<PortSpec>>>,
    sources: Option<Vec<Spanned<String>>>,
    last_backup: Option<Spanned<Datetime>>,
    attester: Option<String>,
    attested_on: Option<Spanned<Datetime>>,
    document: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum PortSpec {
    Number(i64),
    Text(String),
}

/// The validated file.
#[derive(Debug, Clone, PartialEq)]
pub struct AttestedFile {
    pub entries: Vec<AttestedEntry>,
}

impl AttestedFile {
    /// Read and parse `path`; `today` is the date attestations may not be later than.
    pub fn load(path: &std::path::Path, today: NaiveDate) -> Result<AttestedFile, AttestedError> {
        let origin = path.display().to_string();
        let fail = |p: String| AttestedError {
            origin: origin.clone(),
            problems: vec![p],
        };
        let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read: {e}")))?;
        let text = utf8_text(&bytes).map_err(|(line, column)| {
            fail(format!(
                "line {line}, column {column}: the file is not valid UTF-8 here (save it as UTF-8)"
            ))
        })?;
        AttestedFile::parse(text, &origin, today)
    }

    /// Parse TOML; `origin` names the source in errors.
    pub fn parse(
        text: &str,
        origin: &str,
        today: NaiveDate,
    ) -> Result<AttestedFile, AttestedError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| AttestedError {
            origin: origin.to_string(),
            problems: vec![crate::quote::shorten_to(
                &e.to_string()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                1000,
            )],
        })?;
        let mut problems = Vec::new();
        let line = |span: std::ops::Range<usize>| text_line_col(text, span.start).0;
        if raw.format.get_ref() != ATTESTED_FORMAT {
            problems.push(format!(
                "line {}: unsupported format {:?} (this phiscan reads {ATTESTED_FORMAT:?})",
                line(raw.format.span()),
                raw.format.get_ref()
            ));
        }
        let mut entries = Vec::new();
        let kinds = [
            (AttestedKind::Host, raw.host),
            (AttestedKind::Disk, raw.disk),
            (AttestedKind::FirewallRule, raw.firewall_rule),
            (AttestedKind::Backup, raw.backup),
        ];
        for (kind, list) in kinds {
            for e in list {
                let at = line(e.span());
                let mut say = |l: usize, m: String| {
                    problems.push(format!("line {l}: [[{}]] {m}", kind.table()))
                };
                if let Some(entry) = entry(kind, e.into_inner(), at, today, &line, &mut say) {
                    entries.push(entry);
                }
            }
        }
        if problems.is_empty() {
            Ok(AttestedFile { entries })
        } else {
            Err(AttestedError {
                origin: origin.to_string(),
                problems,
            })
        }
    }
}

/// One entry validated; `None` after reporting its problems through `say`.
fn entry(
    kind: AttestedKind,
    e: RawEntry,
    at: usize,
    today: NaiveDate,
    line: &dyn Fn(std::ops::Range<usize>) -> usize,
    say: &mut dyn FnMut(usize, String),
) -> Option<AttestedEntry> {
    let before = std::cell::Cell::new(0usize);
    let mut problem = |l: usize, m: String| {
        before.set(before.get() + 1);
        say(l, m)
    };
    let mut required = |v: Option<String>, field: &str| match v {
        Some(s) if !s.trim().is_empty() => Some(s),
        Some(_) => {
            problem(at, format!("`{field}` must not be empty"));
            None
        }
        None => {
            problem(at, format!("`{field}` is missing"));
            None
        }
    };
    let platform = required(e.platform, "platform");
    let id = required(e.id, "id");
    let attester = required(e.attester, "attester");
    let document = required(e.document, "document");
    let attested_on = match &e.attested_on {
        None => {
            problem(
                at,
                "`attested_on` is missing (the date of the attestation)".into(),
            );
            None
        }
        Some(d) => match date(d.get_ref()) {
            None => {
                problem(
                    line(d.span()),
                    format!(
                        "attested_on = {} is not a date (write 2026-11-20)",
                        d.get_ref()
                    ),
                );
                None
            }
            Some(day) if day > today => {
                problem(
                    line(d.span()),
                    format!("attested_on = {day} is in the future (today is {today})"),
                );
                None
            }
            Some(day) => Some(day),
        },
    };
    let refuse = |present: bool, field: &str, problem: &mut dyn FnMut(usize, String)| {
        if present {
            problem(
                at,
                format!("`{field}` does not apply to a {}", kind.table()),
            );
        }
    };
    let values = match kind {
        AttestedKind::Host | AttestedKind::Disk => {
            refuse(e.ports.is_some(), "ports", &mut problem);
            refuse(e.sources.is_some(), "sources", &mut problem);
            refuse(e.last_backup.is_some(), "last_backup", &mut problem);
            match (e.encrypted, e.encryption) {
                (None, _) => {
                    problem(at, "`encrypted` is missing (true or false)".into());
                    None
                }
                (Some(true), None) => {
                    problem(at, "`encryption` is missing: say what encrypts it (e.g. \"LUKS2 aes-xts-plain64\")".into());
                    None
                }
                (Some(encrypted), encryption) => Some(AttestedValues::Encryption {
                    encrypted,
                    encryption,
                }),
            }
        }
        AttestedKind::FirewallRule => {
            refuse(e.encrypted.is_some(), "encrypted", &mut problem);
            refuse(e.encryption.is_some(), "encryption", &mut problem);
            refuse(e.last_backup.is_some(), "last_backup", &mut problem);
            let ports = match e.ports {
                None => {
                    problem(
                        at,
                        "`ports` is missing (e.g. [22, \"8000-8080\"], \"*\" for all)".into(),
                    );
                    Vec::new()
                }
                Some(list) => list
                    .iter()
                    .filter_map(|p| {
                        let r = port_range(p.get_ref());
                        if r.is_none() {
                            problem(
                                line(p.span()),
                                "a port is a number 0-65535, \"FROM-TO\" or \"*\"".into(),
                            );
                        }
                        r
                    })
                    .collect(),
            };
            let sources = match e.sources {
                None => {
                    problem(
                        at,
                        "`sources` is missing (address ranges, e.g. [\"0.0.0.0/0\"])".into(),
                    );
                    Vec::new()
                }
                Some(list) => list
                    .iter()
                    .filter_map(|s| match Cidr::parse(s.get_ref()) {
                        Ok(_) => Some(s.get_ref().trim().to_string()),
                        Err(err) => {
                            problem(line(s.span()), format!("source {:?}: {err}", s.get_ref()));
                            None
                        }
                    })
                    .collect(),
            };
            Some(AttestedValues::Firewall { ports, sources })
        }
        AttestedKind::Backup => {
            refuse(e.encrypted.is_some(), "encrypted", &mut problem);
            refuse(e.encryption.is_some(), "encryption", &mut problem);
            refuse(e.ports.is_some(), "ports", &mut problem);
            refuse(e.sources.is_some(), "sources", &mut problem);
            match &e.last_backup {
                None => {
                    problem(
                        at,
                        "`last_backup` is missing (e.g. 2026-11-30T02:00:00Z)".into(),
                    );
                    None
                }
                Some(t) => match instant(t.get_ref()) {
                    None => {
                        problem(line(t.span()), format!("last_backup = {} is not a time with its offset (write 2026-11-30T02:00:00Z)", t.get_ref()));
                        None
                    }
                    Some(time) if time.date_naive() > today => {
                        problem(
                            line(t.span()),
                            format!(
                                "last_backup = {} is in the future (today is {today})",
                                t.get_ref()
                            ),
                        );
                        None
                    }
                    Some(last_backup) => Some(AttestedValues::Backup { last_backup }),
                },
            }
        }
    };
    if before.get() > 0 {
        return None;
    }
    let id = id?;
    Some(AttestedEntry {
        kind,
        platform: platform?,
        name: e
            .name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| id.clone()),
        id,
        values: values?,
        attestation: Attestation {
            attester: attester?,
            attested_on: attested_on?,
            document: document?,
        },
    })
}

/// A TOML local date (no time, no offset).
fn date(v: &Datetime) -> Option<NaiveDate> {
    if v.time.is_some() || v.offset.is_some() {
        return None;
    }
    let d = v.date.as_ref()?;
    NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
}

/// A TOML offset date-time.
fn instant(v: &Datetime) -> Option<DateTime<Utc>> {
    v.offset?;
    DateTime::parse_from_rfc3339(&v.to_string())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `22`, `"8000-8080"`, `"22"` or `"*"` (every port), as an inclusive range.
fn port_range(p: &PortSpec) -> Option<(u16, u16)> {
    match p {
        PortSpec::Number(n) => u16::try_from(*n).ok().map(|n| (n, n)),
        PortSpec::Text(s) => {
            let s = s.trim();
            if s == "*" {
                return Some((0, u16::MAX));
            }
            match s.split_once('-') {
                Some((a, b)) => {
                    let (from, to) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                    (from <= to).then_some((from, to))
                }
                None => s.parse().ok().map(|p| (p, p)),
            }
        }
    }
}

#[cfg(test)]
mod tests;
