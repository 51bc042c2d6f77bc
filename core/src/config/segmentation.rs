//! `[segmentation]` and `[[third_parties]]` (issue 14) as checks see them: which tags mark
//! customers, bastions and the data tier, where administrators come from, and the partner
//! list with each partner's identities on the three clouds, access level and end date.
//!
//! Why every `[segmentation]` key is optional: a check that needs a key the file does not
//! set is NOT_APPLICABLE with a reason naming that key ([`Missing`]), never a silent PASS,
//! and the other checks still run. An empty partner list is a real answer: every external
//! principal is then a finding.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::Tags;
use crate::network::Cidr;

/// `[segmentation]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Segmentation {
    /// The tag / label key whose value names the customer a resource belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_tag: Option<String>,
    /// Marks bastion hosts and their security groups / NSGs / network tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bastion_tag: Option<TagMatch>,
    /// Marks self-hosted data stores (VMs); managed databases always count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_tier_tag: Option<TagMatch>,
    /// Where administrators come from (the VPN); the bastion admits only these.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_cidrs: Option<Vec<Cidr>>,
}

/// A `[segmentation]` setting a check needs and the configuration lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Missing(pub &'static str);

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`segmentation.{}` is not set in phiscan.toml: without it phiscan cannot tell which resources this promise is about (docs/config.md, [segmentation])",
            self.0
        )
    }
}

impl Segmentation {
    pub fn customer_tag(&self) -> Result<&str, Missing> {
        self.customer_tag.as_deref().ok_or(Missing("customer_tag"))
    }
    pub fn bastion_tag(&self) -> Result<&TagMatch, Missing> {
        self.bastion_tag.as_ref().ok_or(Missing("bastion_tag"))
    }
    pub fn data_tier_tag(&self) -> Result<&TagMatch, Missing> {
        self.data_tier_tag.as_ref().ok_or(Missing("data_tier_tag"))
    }
    pub fn admin_cidrs(&self) -> Result<&[Cidr], Missing> {
        self.admin_cidrs.as_deref().ok_or(Missing("admin_cidrs"))
    }

    /// The customer a resource's tags name (the value of `customer_tag`), when set.
    pub fn customer_of<'t>(&self, tags: &'t Tags) -> Option<&'t str> {
        let key = self.customer_tag.as_deref()?;
        tags.get(key).map(|v| v.trim()).filter(|v| !v.is_empty())
    }
}

/// `key=value` (the tag has that value) or `key` (the tag is present, any value). Keys and
/// values compare exactly, as AWS and Azure tags do (GCP labels are lowercase anyway).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagMatch {
    pub key: String,
    pub value: Option<String>,
}

impl TagMatch {
    /// Parse `key=value` or `key`; `None` for an empty key or value, or a second `=`.
    pub fn parse(s: &str) -> Option<TagMatch> {
        let s = s.trim();
        let (key, value) = match s.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (s, None),
        };
        let bad = |t: &str| t.is_empty() || t.contains('=');
        if bad(key) || value.is_some_and(bad) {
            return None;
        }
        Some(TagMatch {
            key: key.to_string(),
            value: value.map(str::to_string),
        })
    }

    pub fn matches(&self, tags: &Tags) -> bool {
        match (tags.get(&self.key), &self.value) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(v), Some(want)) => v == want,
        }
    }
}

impl fmt::Display for TagMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(v) => write!(f, "{}={v}", self.key),
            None => f.write_str(&self.key),
        }
    }
}

impl Serialize for TagMatch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TagMatch {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TagMatch::parse(&s).ok_or_else(|| serde::de::Error::custom(TAG_SYNTAX))
    }
}

/// What a bad tag setting is told.
pub const TAG_SYNTAX: &str = "a tag is written `key=value` (that value) or `key` (any value)";

/// What a partner may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    Read,
    Write,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
        }
    }
}

/// One `[[third_parties]]` entry: a partner or subcontractor and its identities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThirdParty {
    pub name: String,
    /// 12-digit AWS account ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aws_accounts: Vec<String>,
    /// IAM members (`domain:d`, `user:a@d`, `group:g@d`, `serviceAccount:s@p.iam...`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gcp_members: Vec<String>,
    /// Entra ID tenant ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub azure_tenants: Vec<String>,
    pub access: Access,
    /// The last day access is allowed; `None`: the list names no end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<NaiveDate>,
}

impl ThirdParty {
    /// Whether the partner's access ended before `today`.
    pub fn expired(&self, today: NaiveDate) -> bool {
        self.expires.is_some_and(|e| today > e)
    }
}

/// A principal from outside the scanned account, project or subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum External<'a> {
    /// A 12-digit AWS account id.
    AwsAccount(&'a str),
    /// An IAM member as bindings spell it (`user:a@example.com`, `domain:example.com`).
    GcpMember(&'a str),
    /// An Entra ID tenant id.
    AzureTenant(&'a str),
}

/// Whether the partner list admits an external principal with the access it holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Admission<'a> {
    /// Not on the partner list.
    Stranger,
    /// On the list, but its access ended.
    Expired(&'a ThirdParty),
    /// A read-only partner holding write access.
    BeyondAccess(&'a ThirdParty),
    Allowed(&'a ThirdParty),
}

impl Admission<'_> {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Admission::Allowed(_))
    }

    pub fn partner(&self) -> Option<&ThirdParty> {
        match self {
            Admission::Stranger => None,
            Admission::Expired(p) | Admission::BeyondAccess(p) | Admission::Allowed(p) => Some(p),
        }
    }

    /// One sentence for evidence: who, and why they are or are not allowed.
    pub fn explain(&self) -> String {
        match self {
            Admission::Stranger => "not on the partner list ([[third_parties]])".to_string(),
            Admission::Expired(p) => format!(
                "partner {:?}, whose access ended on {}",
                p.name,
                p.expires.map(|d| d.to_string()).unwrap_or_default()
            ),
            Admission::BeyondAccess(p) => format!(
                "partner {:?} is listed for read access but is granted write",
                p.name
            ),
            Admission::Allowed(p) => format!(
                "partner {:?} ({} access{})",
                p.name,
                p.access.as_str(),
                p.expires
                    .map(|d| format!(", until {d}"))
                    .unwrap_or_else(|| ", no end date".to_string())
            ),
        }
    }
}

/// The partner list.
#[derive(Debug, Clone, Copy)]
pub struct Partners<'a>(pub &'a [ThirdParty]);

impl<'a> Partners<'a> {
    /// The partner an external principal belongs to. A GCP `domain:d` entry covers every
    /// user, group and service account whose address ends in `@d`.
    pub fn find(&self, who: External<'_>) -> Option<&'a ThirdParty> {
        self.0.iter().find(|p| match who {
            External::AwsAccount(a) => p.aws_accounts.iter().any(|x| x == a.trim()),
            External::AzureTenant(t) => p
                .azure_tenants
                .iter()
                .any(|x| x.eq_ignore_ascii_case(t.trim())),
            External::GcpMember(m) => p.gcp_members.iter().any(|x| gcp_member_covers(x, m)),
        })
    }

    /// Whether `who`, holding write access when `writes`, is admitted on `today`.
    pub fn admit(&self, who: External<'_>, writes: bool, today: NaiveDate) -> Admission<'a> {
        match self.find(who) {
            None => Admission::Stranger,
            Some(p) if p.expired(today) => Admission::Expired(p),
            Some(p) if writes && p.access == Access::Read => Admission::BeyondAccess(p),
            Some(p) => Admission::Allowed(p),
        }
    }
}

/// Whether partner entry `entry` names member `member` (IAM member types compare
/// case-insensitively, as IAM does for e-mail addresses).
fn gcp_member_covers(entry: &str, member: &str) -> bool {
    let (entry, member) = (entry.trim(), member.trim());
    if entry.eq_ignore_ascii_case(member) {
        return true;
    }
    match entry.split_once(':') {
        Some((kind, domain)) if kind.eq_ignore_ascii_case("domain") => member
            .split_once(':')
            .and_then(|(_, email)| email.rsplit_once('@'))
            .is_some_and(|(_, d)| d.eq_ignore_ascii_case(domain)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partner(name: &str, access: Access, expires: Option<&str>) -> ThirdParty {
        ThirdParty {
            name: name.into(),
            aws_accounts: vec!["210987654321".into()],
            gcp_members: vec!["domain:acme-backup.example".into()],
            azure_tenants: vec!["7F3E0C52-1B8D-4F6A-9C2E-5D4B3A2F1E0D".into()],
            access,
            expires: expires.map(|d| d.parse().unwrap()),
        }
    }

    fn day(d: &str) -> NaiveDate {
        d.parse().unwrap()
    }

    #[test]
    fn tag_syntax() {
        let t = TagMatch::parse("role=bastion").unwrap();
        assert_eq!(
            (t.key.as_str(), t.value.as_deref()),
            ("role", Some("bastion"))
        );
        assert_eq!(TagMatch::parse("bastion").unwrap().value, None);
        for bad in ["", "=x", "role=", "a=b=c", " = "] {
            assert!(TagMatch::parse(bad).is_none(), "{bad:?}");
        }
        let tags: Tags = [("role".to_string(), "bastion".to_string())].into();
        assert!(t.matches(&tags));
        assert!(TagMatch::parse("role").unwrap().matches(&tags));
        assert!(!TagMatch::parse("role=db").unwrap().matches(&tags));
        assert!(!TagMatch::parse("tier").unwrap().matches(&tags));
    }

    #[test]
    fn missing_settings_are_named() {
        let s = Segmentation::default();
        assert_eq!(s.bastion_tag().unwrap_err(), Missing("bastion_tag"));
        assert!(Missing("admin_cidrs")
            .to_string()
            .contains("`segmentation.admin_cidrs`"));
        let s = Segmentation {
            customer_tag: Some("customer".into()),
            ..Default::default()
        };
        let tags: Tags = [("customer".to_string(), " acme ".to_string())].into();
        assert_eq!(s.customer_of(&tags), Some("acme"));
        assert_eq!(s.customer_of(&Tags::new()), None);
    }

    #[test]
    fn partners_by_identity_expiry_and_access() {
        let list = [partner("Acme", Access::Read, Some("2027-06-30"))];
        let p = Partners(&list);
        let today = day("2026-12-06");
        assert!(p
            .admit(External::AwsAccount("210987654321"), false, today)
            .is_allowed());
        assert_eq!(
            p.admit(External::AwsAccount("111111111111"), false, today),
            Admission::Stranger
        );
        assert!(matches!(
            p.admit(External::AwsAccount("210987654321"), true, today),
            Admission::BeyondAccess(_)
        ));
        // The last day is still inside; the day after is not.
        assert!(p
            .admit(
                External::AwsAccount("210987654321"),
                false,
                day("2027-06-30")
            )
            .is_allowed());
        assert!(matches!(
            p.admit(
                External::AwsAccount("210987654321"),
                false,
                day("2027-07-01")
            ),
            Admission::Expired(_)
        ));
        assert!(p
            .find(External::AzureTenant(
                "7f3e0c52-1b8d-4f6a-9c2e-5d4b3a2f1e0d"
            ))
            .is_some());
        assert!(p
            .find(External::GcpMember("user:Ops@Acme-Backup.example"))
            .is_some());
        assert!(p
            .find(External::GcpMember("domain:acme-backup.example"))
            .is_some());
        assert!(p
            .find(External::GcpMember("user:ops@evil-acme-backup.example"))
            .is_none());
        assert!(p
            .find(External::GcpMember("user:ops@acme-backup.example.evil"))
            .is_none());
        let writer = [partner("W", Access::Write, None)];
        let w = Partners(&writer).admit(External::AwsAccount("210987654321"), true, today);
        assert!(w.is_allowed() && w.explain().contains("no end date"));
        assert_eq!(
            Partners(&[]).admit(External::AwsAccount("210987654321"), false, today),
            Admission::Stranger
        );
    }
}
