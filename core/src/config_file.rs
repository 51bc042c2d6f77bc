//! `phiscan.toml`: the schema, its validation, and the pieces of a scan built from it
//! (documented key by key in docs/config.md). Unknown keys and bad values are errors that
//! name the file, line, column and key; the CLI's flags override what the file says.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use toml::Spanned;

use crate::check::{Check, Severity};
use crate::config::{is_domain, Organization, ParamOverrides, Params, Segmentation, ThirdParty};
use crate::engine;
use crate::model::Provider;
use crate::quote::{escape_controls, quote};
use crate::waiver::Waiver;

mod location;
mod schema;
mod scope;
mod segmentation;

use location::{key_at, line_col};
pub(crate) use location::{line_col as text_line_col, utf8_text};
pub use schema::{
    AwsTargets, AzureTargets, ConfigFile, GcpTargets, Output, ScopeSection, SegmentationSection,
    Selection, ThirdPartyEntry, WaiverEntry,
};
pub use scope::scope_filter;

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "phiscan.toml";

/// Report formats `output.format` accepts (the CLI's `--format` values).
pub const FORMATS: [&str; 9] = [
    "table", "json", "csv", "sarif", "junit", "html", "ocsf", "asff", "oscal",
];

/// The values of `output.evidence_raw` (the CLI's `--evidence-raw` values).
pub const EVIDENCE_RAW: [&str; 3] = ["all", "failing", "none"];

/// The longest parser message repeated (it may quote a value of the file).
const MAX_MESSAGE: usize = 1000;

/// A configuration problem, located in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: {}{message}", escape_controls(.file), key_prefix(.key))]
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
        format!("key `{}`: ", crate::quote::shorten(key))
    }
}

/// A validated configuration file.
#[derive(Debug)]
pub struct Loaded {
    pub path: PathBuf,
    pub file: ConfigFile,
    waivers: Vec<Waiver>,
    segmentation: Option<Segmentation>,
    third_parties: Vec<ThirdParty>,
    organization: Organization,
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
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| LoadError::Read(file.clone(), e))?;
    let text = utf8_text(&bytes).map_err(|(line, column)| ConfigError {
        file: file.clone(),
        line,
        column,
        key: String::new(),
        message: "the file is not valid UTF-8 here (save it as UTF-8)".into(),
    })?;
    Ok(parse(text, &file, registry)?)
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read configuration file {}: {}", quote(.0), .1)]
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
    let cf: ConfigFile = toml::from_str(text).map_err(|e| {
        let message = crate::quote::shorten_to(e.message().trim(), MAX_MESSAGE);
        at(e.span().unwrap_or(0..0), message)
    })?;

    let ids: BTreeSet<&str> = registry.iter().map(|c| c.meta().id).collect();
    let known = |id: &Spanned<String>| -> Result<(), ConfigError> {
        if ids.contains(id.get_ref().as_str()) {
            Ok(())
        } else {
            Err(at(
                id.span(),
                format!(
                    "unknown check id {}{} (see `phiscan checks list`)",
                    quote(id.get_ref()),
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
                format!(
                    "{} is not a region name (e.g. us-east-1)",
                    quote(r.get_ref())
                ),
            ));
        }
    }
    // Values from a fixed list: the error names the list.
    let one_of = |v: &Spanned<String>, allowed: &[&str], what: &str| {
        if allowed.contains(&v.get_ref().as_str()) {
            return Ok(());
        }
        let message = format!(
            "unknown {what} {}: one of {}",
            quote(v.get_ref()),
            allowed.join(", ")
        );
        Err(at(v.span(), message))
    };
    for f in &cf.output.format {
        one_of(f, &FORMATS, "format")?;
    }
    if let Some(raw) = &cf.output.evidence_raw {
        one_of(raw, &EVIDENCE_RAW, "value")?;
    }
    if let (Some(_), Some(dir)) = (&cf.output.output, &cf.output.output_dir) {
        return Err(at(
            dir.span(),
            "give output (one file) or output_dir (one file per format), not both".into(),
        ));
    }
    for path in [
        &cf.output.output,
        &cf.output.output_dir,
        &cf.output.evidence,
    ]
    .into_iter()
    .flatten()
    {
        if let Err(message) = crate::paths::check_length(path.get_ref()) {
            return Err(at(path.span(), message));
        }
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
                    "{} is not a data classification of scope.values ({})",
                    quote(c.get_ref()),
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
        .map_err(|e| at(w.resource.span(), e.to_string()))?;
        waivers.push(waiver);
    }
    let segmentation = cf
        .segmentation
        .as_ref()
        .map(|s| segmentation::segmentation(s, &at))
        .transpose()?;
    let third_parties = segmentation::third_parties(&cf.third_parties, &at)?;
    let gcp_domains = cf
        .organization
        .gcp_domains
        .iter()
        .map(|d| {
            let v = d.get_ref().trim().to_ascii_lowercase();
            if is_domain(&v) {
                Ok(v)
            } else {
                Err(at(
                    d.span(),
                    format!(
                        "{} is not a domain: give the domain alone (e.g. \"janushcp.example\"), without `user:`, `@` or a scheme",
                        quote(d.get_ref())
                    ),
                ))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Loaded {
        path: PathBuf::from(file),
        file: cf,
        waivers,
        segmentation,
        third_parties,
        organization: Organization { gcp_domains },
    })
}

impl Loaded {
    pub fn waivers(&self) -> &[Waiver] {
        &self.waivers
    }

    /// `[segmentation]`, validated; `None` when the file has no such table.
    pub fn segmentation(&self) -> Option<&Segmentation> {
        self.segmentation.as_ref()
    }

    /// `[[third_parties]]`, validated.
    pub fn third_parties(&self) -> &[ThirdParty] {
        &self.third_parties
    }

    /// `[organization]`, validated (domains lowercased).
    pub fn organization(&self) -> &Organization {
        &self.organization
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

/// `12345678-1234-1234-1234-123456789abc`: Azure subscription and tenant ids are GUIDs.
pub fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_are_lowercase_words_and_a_number() {
        assert!(is_region_name("us-gov-west-1") && !is_region_name("us-east"));
    }

    #[test]
    fn numbers_out_of_range_are_refused_with_line_and_key() {
        let text = "[params]\nmin_password_length = 14\nmax_backup_age_hours = 100000000000\n";
        let e = parse(text, "p.toml", &[]).unwrap_err();
        assert_eq!((e.line, e.key.as_str()), (3, "params.max_backup_age_hours"));
        assert!(e.message.contains("between 1 and 87600"), "{e}");
        let text = "[check_params.x]\ncert_expiry_days = -1\n";
        let e = parse(text, "p.toml", &[]).unwrap_err();
        assert_eq!(
            (e.line, e.key.as_str()),
            (2, "check_params.x.cert_expiry_days")
        );
        for ok in ["max_backup_age_hours = 87600", "cert_expiry_days = 0"] {
            assert!(parse(&format!("[params]\n{ok}\n"), "p.toml", &[]).is_ok());
        }
    }
}
