//! `[organization]`: what phiscan must be told about the organization itself because no
//! scanned API says it.
//!
//! Why the GCP domains are configured rather than read: a project's IAM policy names members
//! by e-mail address or domain, and nothing in it (nor in Resource Manager's project or
//! folder reads phiscan makes) says which Cloud Identity / Workspace domain the organization
//! owns; reading the organization's directory would need the Admin SDK and a directory
//! role. Guessing from the policy (e.g. "the Owners' domain") would let a stranger who holds
//! Owner define who is internal. So `gcp-iam-external-members` is NOT_APPLICABLE until the
//! domains are given.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Organization {
    /// The organization's own Google domains (`janushcp.example`): users, groups and
    /// `domain:` members in them are not external parties.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gcp_domains: Vec<String>,
}

impl Organization {
    pub fn is_empty(&self) -> bool {
        self.gcp_domains.is_empty()
    }
}

/// Whether `s` is a DNS domain as IAM members spell it: labels of letters, digits and
/// hyphens (not at a label's ends), at least two of them, no scheme, `@` or member type.
pub fn is_domain(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    labels.len() >= 2
        && s.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains() {
        for ok in ["janushcp.example", "corp.janus-hcp.example", "a.io"] {
            assert!(is_domain(ok), "{ok}");
        }
        for bad in [
            "",
            "example",
            "user:a@b.example",
            "a@b.example",
            "-a.example",
            "a..example",
            "https://a.example",
        ] {
            assert!(!is_domain(bad), "{bad}");
        }
    }

    #[test]
    fn the_file_section_is_validated_where_it_is_wrong() {
        let ok = crate::config_file::parse(
            "[organization]\ngcp_domains = [\"JanusHCP.example\"]\n",
            "p.toml",
            &[],
        )
        .unwrap();
        assert_eq!(ok.organization().gcp_domains, ["janushcp.example"]);
        let text =
            "[organization]\ngcp_domains = [\"janushcp.example\", \"user:ops@janushcp.example\"]\n";
        let e = crate::config_file::parse(text, "p.toml", &[]).unwrap_err();
        assert_eq!(
            (e.line, e.key.as_str()),
            (2, "organization.gcp_domains"),
            "{e}"
        );
        assert!(e.message.contains("is not a domain"), "{e}");
        let unknown = crate::config_file::parse("[organization]\ndomains = []\n", "p.toml", &[]);
        assert!(unknown.unwrap_err().message.contains("unknown field"));
    }
}
