//! `phiscan.toml`: the schema, its validation, and the pieces of a scan built from it
//! (documented key by key in docs/config.md). Unknown keys and bad values are errors that
//! name the file, line, column and key; the CLI's flags override what the file says.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::check::{Check, Severity};
use crate::config::{ParamOverrides, Params};
use crate::engine;
use crate::model::Provider;
use crate::scope::{ScopeFilter, Untagged, DEFAULT_KEY, DEFAULT_VALUES};
use crate::waiver::Waiver;

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "phiscan.toml";

/// Report formats `output.format` accepts (the CLI's `--format` values).
pub const FORMATS: [&str; 8] = [
    "table", "json", "csv", "sarif", "junit", "html", "ocsf", "oscal",
];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Exit with 1 when a FAIL at or above this severity remains after waivers.
    #[serde(default)]
    pub fail_on: Option<Severity>,
    #[serde(default)]
    pub aws: AwsTargets,
    #[serde(default)]
    pub gcp: GcpTargets,
    #[serde(default)]
    pub azure: AzureTargets,
    #[serde(default)]
    pub checks: Selection,
    /// Severity per check id, replacing the check's own.
    #[serde(default)]
    pub severity: BTreeMap<Spanned<String>, Severity>,
    /// Thresholds for every check.
    #[serde(default)]
    pub params: ParamOverrides,
    /// Thresholds for one check, keyed by check id.
    #[serde(default)]
    pub check_params: BTreeMap<Spanned<String>, ParamOverrides>,
    #[serde(default)]
    pub output: Output,
    #[serde(default)]
    pub scope: ScopeSection,
    #[serde(default, rename = "waiver")]
    pub waivers: Vec<WaiverEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsTargets {
    #[serde(default)]
    pub regions: Vec<Spanned<String>>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GcpTargets {
    #[serde(default)]
    pub projects: Vec<String>,
    #[serde(default)]
    pub folders: Vec<String>,
    #[serde(default)]
    pub organizations: Vec<String>,
    pub endpoint: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AzureTargets {
    #[serde(default)]
    pub subscriptions: Vec<String>,
    #[serde(default)]
    pub management_groups: Vec<String>,
    pub endpoint: Option<String>,
}

/// `[checks]`: ids or globs, like `--checks` / `--exclude-checks`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    #[serde(default)]
    pub include: Vec<Spanned<String>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Output {
    #[serde(default)]
    pub format: Vec<Spanned<String>>,
    pub output: Option<PathBuf>,
    pub output_dir: Option<Spanned<PathBuf>>,
    pub evidence: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeSection {
    /// Tag / label key (default `data-classification`).
    pub key: Option<String>,
    /// The classification vocabulary (default Protected, Confidential, Internal, Public).
    pub values: Option<Vec<String>>,
    /// The classifications a scan evaluates when `--scope` is not given; empty: no scope.
    #[serde(default)]
    pub classifications: Vec<Spanned<String>>,
    #[serde(default)]
    pub untagged: Untagged,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverEntry {
    pub check: Spanned<String>,
    pub resource: Spanned<String>,
    pub justification: Spanned<String>,
    pub approver: Spanned<String>,
    pub expires: Spanned<toml::value::Date>,
}

/// A configuration problem, located in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {}{message}", key_prefix(.key))]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// Dotted key (`params.min_backup_retention_days`, `waiver.expires`); empty when the
    /// problem is not at a key (a TOML syntax error between keys).
    pub key: String,
    pub message: String,
}

fn key_prefix(key: &str) -> String {
    if key.is_empty() {
        String::new()
    } else {
        format!("key `{key}`: ")
    }
}

/// A validated configuration file.
#[derive(Debug)]
pub struct Loaded {
    pub path: PathBuf,
    pub file: ConfigFile,
    waivers: Vec<Waiver>,
}

/// The configuration file of a run: `explicit` (`--config`), else `phiscan.toml` in the
/// working directory when there is one, else none.
pub fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
    match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let p = PathBuf::from(DEFAULT_FILE);
            p.is_file().then_some(p)
        }
    }
}

/// Read, parse and validate `path` against the registered checks.
pub fn load(path: &Path, registry: &[&'static dyn Check]) -> Result<Loaded, LoadError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| LoadError::Read(path.display().to_string(), e))?;
    Ok(parse(&text, &path.display().to_string(), registry)?)
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read configuration file {0}: {1}")]
    Read(String, std::io::Error),
    #[error(transparent)]
    Invalid(#[from] ConfigError),
}

/// Parse and validate configuration text; `file` names it in errors.
pub fn parse(
    text: &str,
    file: &str,
    registry: &[&'static dyn Check],
) -> Result<Loaded, ConfigError> {
    let at = |span: std::ops::Range<usize>, message: String| {
        let (line, column) = line_col(text, span.start);
        ConfigError {
            file: file.to_string(),
            line,
            column,
            key: key_at(text, span.start, &message),
            message,
        }
    };
    let cf: ConfigFile = toml::from_str(text)
        .map_err(|e| at(e.span().unwrap_or(0..0), e.message().trim().to_string()))?;

    let ids: BTreeSet<&str> = registry.iter().map(|c| c.meta().id).collect();
    let known = |id: &Spanned<String>| -> Result<(), ConfigError> {
        if ids.contains(id.get_ref().as_str()) {
            Ok(())
        } else {
            Err(at(
                id.span(),
                format!(
                    "unknown check id {:?}{} (see `phiscan checks list`)",
                    id.get_ref(),
                    engine::did_you_mean(id.get_ref(), registry)
                ),
            ))
        }
    };
    let all: BTreeSet<Provider> = Provider::ALL.into_iter().collect();
    for p in cf.checks.include.iter().chain(&cf.checks.exclude) {
        if let Err(e) = engine::select(registry, &all, std::slice::from_ref(p.get_ref()), &[]) {
            return Err(at(p.span(), e.to_string()));
        }
    }
    for id in cf.severity.keys().chain(cf.check_params.keys()) {
        known(id)?;
    }
    for r in &cf.aws.regions {
        if !is_region_name(r.get_ref()) {
            return Err(at(
                r.span(),
                format!("{:?} is not a region name (e.g. us-east-1)", r.get_ref()),
            ));
        }
    }
    for f in &cf.output.format {
        if !FORMATS.contains(&f.get_ref().as_str()) {
            return Err(at(
                f.span(),
                format!(
                    "unknown format {:?}: one of {}",
                    f.get_ref(),
                    FORMATS.join(", ")
                ),
            ));
        }
    }
    if let (Some(_), Some(dir)) = (&cf.output.output, &cf.output.output_dir) {
        return Err(at(
            dir.span(),
            "give output (one file) or output_dir (one file per format), not both".into(),
        ));
    }
    let vocabulary = cf.scope.vocabulary();
    for c in &cf.scope.classifications {
        if !vocabulary
            .iter()
            .any(|v| v.eq_ignore_ascii_case(c.get_ref()))
        {
            return Err(at(
                c.span(),
                format!(
                    "{:?} is not a data classification of scope.values ({})",
                    c.get_ref(),
                    vocabulary.join(", ")
                ),
            ));
        }
    }
    let mut waivers = Vec::new();
    for w in &cf.waivers {
        known(&w.check)?;
        for field in [&w.justification, &w.approver] {
            if field.get_ref().trim().is_empty() {
                return Err(at(field.span(), "must not be empty".into()));
            }
        }
        let d = w.expires.get_ref();
        let expires = NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
            .ok_or_else(|| at(w.expires.span(), format!("{d} is not a calendar date")))?;
        let waiver = Waiver::new(
            w.check.get_ref(),
            w.resource.get_ref(),
            w.justification.get_ref().trim(),
            w.approver.get_ref().trim(),
            expires,
        )
        .map_err(|e| {
            at(
                w.resource.span(),
                format!("bad glob {:?}: {}", w.resource.get_ref(), e.kind()),
            )
        })?;
        waivers.push(waiver);
    }
    Ok(Loaded {
        path: PathBuf::from(file),
        file: cf,
        waivers,
    })
}

impl ScopeSection {
    fn vocabulary(&self) -> Vec<String> {
        match &self.values {
            Some(v) => v.clone(),
            None => DEFAULT_VALUES.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl Loaded {
    pub fn waivers(&self) -> &[Waiver] {
        &self.waivers
    }

    /// `params` of the file over the defaults.
    pub fn params(&self) -> Params {
        Params::default().with(&self.file.params)
    }

    pub fn check_params(&self) -> BTreeMap<String, ParamOverrides> {
        self.file
            .check_params
            .iter()
            .map(|(k, v)| (k.get_ref().clone(), v.clone()))
            .collect()
    }

    pub fn severity(&self) -> BTreeMap<String, Severity> {
        self.file
            .severity
            .iter()
            .map(|(k, v)| (k.get_ref().clone(), *v))
            .collect()
    }

    pub fn include(&self) -> Vec<String> {
        self.file
            .checks
            .include
            .iter()
            .map(|s| s.get_ref().clone())
            .collect()
    }

    pub fn exclude(&self) -> Vec<String> {
        self.file
            .checks
            .exclude
            .iter()
            .map(|s| s.get_ref().clone())
            .collect()
    }

    /// A path of the file, relative to the file's directory.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        match self.path.parent() {
            Some(dir) if p.is_relative() => dir.join(p),
            _ => p.to_path_buf(),
        }
    }
}

/// The scan's data-classification scope: `--scope KEY=VALUE[,VALUE]` (`cli`) over the file's
/// `scope.classifications`, `--scope-untagged` over `scope.untagged`. `None`: no scope.
pub fn scope_filter(
    file: Option<&ScopeSection>,
    cli: Option<&str>,
    cli_untagged: Option<Untagged>,
) -> Result<Option<ScopeFilter>, String> {
    let empty = ScopeSection::default();
    let section = file.unwrap_or(&empty);
    let vocabulary = section.vocabulary();
    let untagged = cli_untagged.unwrap_or(section.untagged);
    let file_key = section
        .key
        .clone()
        .unwrap_or_else(|| DEFAULT_KEY.to_string());
    let (key, values) = match cli {
        Some(arg) => {
            let (k, v) = arg.split_once('=').ok_or_else(|| {
                format!("--scope {arg:?}: expected KEY=VALUE[,VALUE], e.g. {DEFAULT_KEY}=protected")
            })?;
            let values: Vec<String> = v
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if k.trim().is_empty() || values.is_empty() {
                return Err(format!("--scope {arg:?}: expected KEY=VALUE[,VALUE]"));
            }
            for val in &values {
                if !vocabulary.iter().any(|c| c.eq_ignore_ascii_case(val)) {
                    return Err(format!(
                        "--scope: {val:?} is not a data classification (one of {}; set scope.values in phiscan.toml for others)",
                        vocabulary.join(", ")
                    ));
                }
            }
            (k.trim().to_string(), values)
        }
        None if section.classifications.is_empty() => {
            if cli_untagged.is_some() {
                return Err("--scope-untagged needs a scope: --scope KEY=VALUE or scope.classifications in phiscan.toml".into());
            }
            return Ok(None);
        }
        None => (
            file_key,
            section
                .classifications
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
        ),
    };
    Ok(Some(ScopeFilter {
        key,
        values,
        untagged,
    }))
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`: lowercase words and a number, by dashes.
pub fn is_region_name(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts
            .last()
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
}

/// 1-based line and column (in characters) of byte offset `at`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The dotted key at byte offset `at`: the enclosing `[table]` / `[[array]]` header and the
/// key of the line (or the unknown field the message names).
fn key_at(text: &str, at: usize, message: &str) -> String {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text[line_start..line_end].trim();
    let header = |l: &str| -> Option<String> {
        let l = l.trim();
        l.starts_with('[')
            .then(|| l.trim_matches(|c| c == '[' || c == ']').trim().to_string())
    };
    if let Some(h) = header(line) {
        // A problem with a whole table (a missing field): the table, and the field if named.
        return match backquoted(message).filter(|_| message.starts_with("missing field")) {
            Some(f) => format!("{h}.{f}"),
            None => h,
        };
    }
    let table = text[..line_start].lines().rev().find_map(header);
    let key = match backquoted(message).filter(|_| message.starts_with("unknown field")) {
        Some(f) => f,
        None => match line.split_once('=') {
            Some((k, _)) => k.trim().trim_matches('"').to_string(),
            None => String::new(),
        },
    };
    match (table, key.is_empty()) {
        (_, true) => String::new(),
        (Some(t), false) => format!("{t}.{key}"),
        (None, false) => key,
    }
}

/// The first `quoted` word of a serde message.
fn backquoted(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(toml: &str) -> ScopeSection {
        #[derive(Deserialize)]
        struct F {
            scope: ScopeSection,
        }
        toml::from_str::<F>(toml).unwrap().scope
    }

    #[test]
    fn the_command_line_scope_overrides_the_file_and_is_validated() {
        let s = section(
            "[scope]\nkey = \"dc\"\nclassifications = [\"internal\"]\nuntagged = \"exclude\"\n",
        );
        let from_file = scope_filter(Some(&s), None, None).unwrap().unwrap();
        assert_eq!(from_file.describe(), "dc=internal");
        assert_eq!(from_file.untagged, Untagged::Exclude);
        let cli = scope_filter(
            Some(&s),
            Some("class=Protected, public"),
            Some(Untagged::Report),
        )
        .unwrap()
        .unwrap();
        assert_eq!(cli.describe(), "class=Protected,public");
        assert_eq!(cli.untagged, Untagged::Report);
        assert_eq!(scope_filter(None, None, None), Ok(None));
        for bad in ["protected", "=protected", "dc=", "dc=secret"] {
            assert!(scope_filter(None, Some(bad), None).is_err(), "{bad}");
        }
        assert!(scope_filter(None, None, Some(Untagged::Report)).is_err());
        // A custom vocabulary replaces the default one.
        let custom = section("[scope]\nvalues = [\"phi\", \"open\"]\n");
        assert!(scope_filter(Some(&custom), Some("data-classification=protected"), None).is_err());
        assert!(scope_filter(Some(&custom), Some("data-classification=PHI"), None).is_ok());
    }

    #[test]
    fn locations_are_one_based_and_keys_are_dotted() {
        let text = "fail_on = \"low\"\n[params]\n  db_ports = 5\n";
        let at = text.find('5').unwrap();
        assert_eq!(line_col(text, at), (3, 14));
        assert_eq!(key_at(text, at, "invalid type"), "params.db_ports");
        assert_eq!(key_at(text, 0, "invalid type"), "fail_on");
        let header = text.find("[params]").unwrap();
        assert_eq!(
            key_at(text, header, "missing field `approver`"),
            "params.approver"
        );
        assert!(is_region_name("us-gov-west-1") && !is_region_name("us-east"));
    }
}
