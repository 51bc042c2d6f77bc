//! Policy profiles: a written HIPAA security policy's technical promises, each tied to the
//! phiscan checks that verify it, so an organization is tested against its own words.
//!
//! A profile is TOML (format in `docs/profiles.md`); the ones for the policies in
//! `shared/policies/` ship inside the binary ([`builtin`]). [`Profile::validate`] refuses a
//! profile citing a check or a HIPAA control that does not exist, and [`evaluate`] turns a
//! scan's findings into one verdict per promise.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::check::CheckMeta;
use crate::config::ParamOverrides;
use crate::frameworks::hipaa::Hipaa;
use crate::model::Provider;
use crate::quote::{quote, shorten};

mod platforms;
mod verdict;

pub use platforms::{AttestedCoverage, PlatformResult, PlatformVerdict};
pub use verdict::{evaluate, evaluate_with, PromiseResult, PromiseVerdict};

/// Version of the profile format this phiscan reads.
pub const PROFILE_FORMAT: &str = "phiscan-profile/v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub format: String,
    /// Short name used on the command line (`--profile qolty`).
    pub name: String,
    /// The policy document's title.
    pub title: String,
    /// Who wrote it, where it lives, and its version or date as the document states it.
    pub organization: String,
    pub document: String,
    pub version: String,
    /// The clouds the policy's estate runs on: the profile's checks must belong to them.
    pub providers: Vec<Provider>,
    #[serde(rename = "promise")]
    pub promises: Vec<Promise>,
}

/// One technical promise of the policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Promise {
    /// Stable kebab-case id within the profile.
    pub id: String,
    /// The section of the document the sentence comes from.
    pub section: String,
    /// The sentence, quoted verbatim.
    pub quote: String,
    /// The references the policy itself cites for that section (HIPAA, HITRUST).
    #[serde(default)]
    pub references: Vec<Reference>,
    /// The checks that verify the promise. Empty for a manual promise.
    #[serde(default)]
    pub checks: Vec<CheckRef>,
    /// Why no API can verify the promise (people, paper, on-host configuration).
    #[serde(default)]
    pub manual: Option<String>,
    /// What the checks verify of the promise and what they cannot, for the auditor.
    #[serde(default)]
    pub note: Option<String>,
    /// The platforms the promise covers that no API reaches, verified from attested assets
    /// (`docs/attested.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attested: Option<AttestedCoverage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// `hipaa` or `hitrust`.
    pub framework: String,
    /// The reference as the policy writes it, verbatim (e.g. `164.314(a)(1)(i)`).
    pub cited: String,
    /// For HIPAA: the citation in the Security Rule catalogue it resolves to, when it
    /// differs from `cited` (a paragraph renumbered since the policy was written).
    #[serde(default)]
    pub control: Option<String>,
    /// Why `control` differs from `cited`, or anything an auditor should know.
    #[serde(default)]
    pub note: Option<String>,
}

/// A check a promise relies on, optionally with parameters for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRef {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<ParamOverrides>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProfileError {
    #[error("{}: {message}", shorten(.origin))]
    Parse { origin: String, message: String },
    #[error("{}: {}", shorten(.origin), problems.join("; "))]
    Invalid {
        origin: String,
        problems: Vec<String>,
    },
    #[error("unknown profile {}: not a shipped profile ({known}) and no such file", quote(.name))]
    Unknown { name: String, known: String },
}

/// The profiles shipped with phiscan, for the policies in `shared/policies/`.
pub const BUILTIN: [(&str, &str); 3] = [
    (
        "healthtensor",
        include_str!("../../../profiles/healthtensor.toml"),
    ),
    (
        "janus-hcp",
        include_str!("../../../profiles/janus-hcp.toml"),
    ),
    ("qolty", include_str!("../../../profiles/qolty.toml")),
];

/// Every shipped profile, parsed (they are validated by tests).
pub fn builtin() -> Vec<Profile> {
    BUILTIN
        .iter()
        .filter_map(|(name, text)| Profile::parse(text, name).ok())
        .collect()
}

impl Profile {
    /// Parse TOML; `origin` names the source (file path or shipped name) in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Profile, ProfileError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let profile: Profile = toml::from_str(text).map_err(|e| ProfileError::Parse {
            origin: origin.to_string(),
            message: crate::quote::shorten_to(&one_line(&e.to_string()), 1000),
        })?;
        if profile.format != PROFILE_FORMAT {
            return Err(ProfileError::Invalid {
                origin: origin.to_string(),
                problems: vec![format!(
                    "unsupported format {:?} (this phiscan reads {PROFILE_FORMAT:?})",
                    profile.format
                )],
            });
        }
        Ok(profile)
    }

    /// A shipped profile by name, or a profile file by path.
    pub fn load(name_or_path: &str) -> Result<Profile, ProfileError> {
        if let Some((name, text)) = BUILTIN.iter().find(|(n, _)| *n == name_or_path) {
            return Profile::parse(text, &format!("shipped profile {name}"));
        }
        // Only a file that cannot be read is "unknown"; one that exists but is not UTF-8 is
        // reported as such, with where.
        match std::fs::read(name_or_path) {
            Ok(bytes) => match crate::config_file::utf8_text(&bytes) {
                Ok(text) => Profile::parse(text, name_or_path),
                Err((line, column)) => Err(ProfileError::Parse {
                    origin: name_or_path.to_string(),
                    message: format!(
                        "line {line}, column {column}: the file is not valid UTF-8 here (save it as UTF-8)"
                    ),
                }),
            },
            Err(_) => Err(ProfileError::Unknown {
                name: name_or_path.to_string(),
                known: BUILTIN
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    /// Every problem with the profile against the registered checks: unknown checks or
    /// controls, checks of other clouds, promises with neither checks nor a manual reason.
    pub fn validate(
        &self,
        checks: &[&'static CheckMeta],
        origin: &str,
    ) -> Result<(), ProfileError> {
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        if self.promises.is_empty() {
            problems.push("the profile has no promise".to_string());
        }
        for p in &self.promises {
            let at = format!("promise {:?}", p.id);
            if !ids.insert(p.id.as_str()) {
                problems.push(format!("{at}: duplicate promise id"));
            }
            if p.quote.trim().is_empty() || p.section.trim().is_empty() {
                problems.push(format!("{at}: quote and section must not be empty"));
            }
            match (p.checks.is_empty(), &p.manual) {
                (true, None) => {
                    problems.push(format!("{at}: lists no check and gives no `manual` reason"))
                }
                (false, Some(_)) => problems.push(format!(
                    "{at}: has checks and a `manual` reason; a promise is one or the other"
                )),
                _ => {}
            }
            for c in &p.checks {
                match checks.iter().find(|m| m.id == c.id) {
                    None => problems.push(format!("{at}: unknown check {:?}", c.id)),
                    Some(m) if !self.providers.contains(&m.provider) => problems.push(format!(
                        "{at}: check {:?} is for {}, which the profile's providers do not include",
                        c.id, m.provider
                    )),
                    Some(_) => {}
                }
            }
            if let Some(c) = &p.attested {
                problems.extend(c.problems(&at));
            }
            for r in &p.references {
                match r.framework.as_str() {
                    "hipaa" => {
                        let citation = r.control.as_deref().unwrap_or(&r.cited);
                        if Hipaa::from_citation(citation).is_none() {
                            problems.push(format!(
                                "{at}: unknown HIPAA Security Rule control {citation:?}{}",
                                if r.control.is_none() {
                                    " (if the policy cites a paragraph that no longer exists, set `control` to the current one and explain in `note`)"
                                } else {
                                    ""
                                }
                            ));
                        }
                    }
                    "hitrust" | "hipaa-privacy" => {}
                    other => problems.push(format!(
                        "{at}: unknown framework {other:?} (hipaa, hipaa-privacy or hitrust)"
                    )),
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ProfileError::Invalid {
                origin: origin.to_string(),
                problems,
            })
        }
    }

    /// The ids of every check the profile needs, in order of first mention.
    pub fn check_ids(&self) -> Vec<&str> {
        let mut seen = BTreeSet::new();
        self.promises
            .iter()
            .flat_map(|p| p.checks.iter().map(|c| c.id.as_str()))
            .filter(|id| seen.insert(*id))
            .collect()
    }

    /// Parameter overrides per check id (the first promise that sets them wins; validation
    /// of conflicting settings is left to the profile's author and shown by `profiles show`).
    pub fn check_params(&self) -> BTreeMap<String, ParamOverrides> {
        let mut out = BTreeMap::new();
        for c in self.promises.iter().flat_map(|p| &p.checks) {
            if let Some(params) = &c.params {
                out.entry(c.id.clone()).or_insert_with(|| params.clone());
            }
        }
        out
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
