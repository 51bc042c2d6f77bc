//! Validation of `[segmentation]` and `[[third_parties]]` (issue 14): tag settings are
//! `key=value` or `key`, address ranges parse, partner identities have their cloud's shape,
//! `access` is read or write, `expires` is a calendar date, and no identity belongs to two
//! partners (which partner's access would apply would depend on the order of the file).

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;

use super::schema::{SegmentationSection, ThirdPartyEntry};
use super::{is_guid, ConfigError};
use crate::config::{Access, Segmentation, TagMatch, ThirdParty, TAG_SYNTAX};
use crate::network::Cidr;
use crate::quote::quote;

type At<'a> = dyn Fn(Range<usize>, String) -> ConfigError + 'a;

pub(super) fn segmentation(s: &SegmentationSection, at: &At) -> Result<Segmentation, ConfigError> {
    let tag = |t: &Option<Spanned<String>>| -> Result<Option<TagMatch>, ConfigError> {
        t.as_ref()
            .map(|t| {
                TagMatch::parse(t.get_ref()).ok_or_else(|| {
                    at(
                        t.span(),
                        format!("{} is not a tag: {TAG_SYNTAX}", quote(t.get_ref())),
                    )
                })
            })
            .transpose()
    };
    let customer_tag = match &s.customer_tag {
        Some(k) => {
            let key = k.get_ref().trim();
            if key.is_empty() || key.contains('=') {
                return Err(at(
                    k.span(),
                    format!(
                        "{} is not a tag key: give the key alone (e.g. \"customer\"); its value names the customer",
                        quote(k.get_ref())
                    ),
                ));
            }
            Some(key.to_string())
        }
        None => None,
    };
    let admin_cidrs = match &s.admin_cidrs {
        Some(list) => Some(
            list.iter()
                .map(|c| Cidr::parse(c.get_ref()).map_err(|e| at(c.span(), e.to_string())))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        None => None,
    };
    Ok(Segmentation {
        customer_tag,
        bastion_tag: tag(&s.bastion_tag)?,
        data_tier_tag: tag(&s.data_tier_tag)?,
        admin_cidrs,
    })
}

pub(super) fn third_parties(
    entries: &[ThirdPartyEntry],
    at: &At,
) -> Result<Vec<ThirdParty>, ConfigError> {
    // identity (normalised) -> the partner that named it first
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::new();
    for e in entries {
        let name = e.name.get_ref().trim();
        if name.is_empty() {
            return Err(at(e.name.span(), "must not be empty".into()));
        }
        let access = match e.access.get_ref().as_str() {
            "read" => Access::Read,
            "write" => Access::Write,
            other => {
                return Err(at(
                    e.access.span(),
                    format!("access {} is not read or write", quote(other)),
                ))
            }
        };
        let expires = match &e.expires {
            Some(d) => {
                let v = d.get_ref();
                if v.time.is_some() || v.offset.is_some() {
                    return Err(at(
                        d.span(),
                        format!("{v} is not a date (write 2027-06-30)"),
                    ));
                }
                let date = v.date.as_ref().and_then(|d| {
                    NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                });
                Some(date.ok_or_else(|| at(d.span(), format!("{v} is not a calendar date")))?)
            }
            None => None,
        };
        let checked = |list: &[Spanned<String>],
                       ok: fn(&str) -> bool,
                       shape: &str,
                       owners: &mut BTreeMap<String, String>|
         -> Result<Vec<String>, ConfigError> {
            list.iter()
                .map(|v| {
                    let id = v.get_ref().trim();
                    if !ok(id) {
                        return Err(at(
                            v.span(),
                            format!("{} is not {shape}", quote(v.get_ref())),
                        ));
                    }
                    if let Some(first) = owners.insert(id.to_ascii_lowercase(), name.to_string()) {
                        return Err(at(
                            v.span(),
                            format!(
                                "{} is already listed for partner {}: an identity belongs to one partner",
                                quote(id),
                                quote(&first)
                            ),
                        ));
                    }
                    Ok(id.to_string())
                })
                .collect()
        };
        let aws_accounts = checked(
            &e.aws_accounts,
            is_aws_account,
            "a 12-digit AWS account id",
            &mut owners,
        )?;
        let gcp_members = checked(
            &e.gcp_members,
            is_gcp_member,
            "an IAM member (user:, group:, domain: or serviceAccount: followed by its address)",
            &mut owners,
        )?;
        let azure_tenants = checked(
            &e.azure_tenants,
            is_guid,
            "an Entra ID tenant id (a GUID, e.g. 7f3e0c52-1b8d-4f6a-9c2e-5d4b3a2f1e0d)",
            &mut owners,
        )?;
        out.push(ThirdParty {
            name: name.to_string(),
            aws_accounts,
            gcp_members,
            azure_tenants,
            access,
            expires,
        });
    }
    Ok(out)
}

fn is_aws_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_gcp_member(s: &str) -> bool {
    match s.split_once(':') {
        Some(("domain", d)) => {
            d.contains('.') && !d.contains('@') && !d.contains(char::is_whitespace)
        }
        Some(("user" | "group" | "serviceAccount", email)) => {
            email.split_once('@').is_some_and(|(a, d)| {
                !a.is_empty() && d.contains('.') && !email.contains(char::is_whitespace)
            })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    const GOOD: &str = r#"
[segmentation]
customer_tag = "customer"
bastion_tag = "role=bastion"
data_tier_tag = "tier=data"
admin_cidrs = ["10.8.0.0/16", "fd00:8::/48"]

[[third_parties]]
name = "Acme Backup Co"
aws_accounts = ["210987654321"]
gcp_members = ["domain:acme-backup.example", "serviceAccount:sync@acme-prod.iam.gserviceaccount.com"]
azure_tenants = ["7f3e0c52-1b8d-4f6a-9c2e-5d4b3a2f1e0d"]
access = "read"
expires = 2027-06-30
"#;

    #[test]
    fn the_issue_example_loads() {
        let l = parse(GOOD, "p.toml", &[]).unwrap();
        let s = l.segmentation().unwrap();
        assert_eq!(s.bastion_tag().unwrap().to_string(), "role=bastion");
        assert_eq!(s.admin_cidrs().unwrap().len(), 2);
        let p = &l.third_parties()[0];
        assert_eq!(
            (p.name.as_str(), p.access),
            ("Acme Backup Co", crate::config::Access::Read)
        );
        assert_eq!(p.expires.unwrap().to_string(), "2027-06-30");
    }

    /// Each bad value is refused at its line, under its key.
    #[test]
    fn bad_values_are_located() {
        let cases = [
            (
                "\"10.8.0.0/16\", ",
                "\"10.8.0.0/33\", ",
                6,
                "segmentation.admin_cidrs",
                "prefix length",
            ),
            (
                "bastion_tag = \"role=bastion\"",
                "bastion_tag = \"role=\"",
                4,
                "segmentation.bastion_tag",
                "key=value",
            ),
            (
                "data_tier_tag = \"tier=data\"",
                "data_tier_tag = \"a=b=c\"",
                5,
                "segmentation.data_tier_tag",
                "key=value",
            ),
            (
                "customer_tag = \"customer\"",
                "customer_tag = \"customer=x\"",
                3,
                "segmentation.customer_tag",
                "tag key",
            ),
            (
                "access = \"read\"",
                "access = \"admin\"",
                13,
                "third_parties.access",
                "read or write",
            ),
            (
                "expires = 2027-06-30",
                "expires = 2027-02-30",
                14,
                "third_parties.expires",
                "invalid date",
            ),
            (
                "expires = 2027-06-30",
                "expires = 2027-06-30T10:00:00",
                14,
                "third_parties.expires",
                "not a date",
            ),
            (
                "aws_accounts = [\"210987654321\"]",
                "aws_accounts = [\"21098765432\"]",
                10,
                "third_parties.aws_accounts",
                "12-digit",
            ),
            (
                "gcp_members = [\"domain:acme-backup.example\",",
                "gcp_members = [\"acme-backup.example\",",
                11,
                "third_parties.gcp_members",
                "IAM member",
            ),
            (
                "azure_tenants = [\"7f3e0c52-1b8d-4f6a-9c2e-5d4b3a2f1e0d\"]",
                "azure_tenants = [\"acme\"]",
                12,
                "third_parties.azure_tenants",
                "GUID",
            ),
            (
                "bastion_tag = \"role=bastion\"",
                "bastion_tags = \"role=bastion\"",
                4,
                "segmentation.bastion_tags",
                "unknown field",
            ),
        ];
        for (from, to, line, key, says) in cases {
            let text = GOOD.replace(from, to);
            assert_ne!(text, GOOD, "{from}");
            let e = parse(&text, "p.toml", &[]).unwrap_err();
            assert_eq!((e.line, e.key.as_str()), (line, key), "{to}: {e}");
            assert!(e.message.contains(says), "{to}: {e}");
        }
    }

    #[test]
    fn an_identity_belongs_to_one_partner() {
        let text = format!("{GOOD}\n[[third_parties]]\nname = \"Other\"\naws_accounts = [\"210987654321\"]\naccess = \"write\"\n");
        let e = parse(&text, "p.toml", &[]).unwrap_err();
        assert!(
            e.message
                .contains("already listed for partner \"Acme Backup Co\""),
            "{e}"
        );
        assert_eq!(e.line, 18);
    }

    #[test]
    fn sections_are_optional() {
        let l = parse("", "p.toml", &[]).unwrap();
        assert!(l.segmentation().is_none() && l.third_parties().is_empty());
        let l = parse(
            "[segmentation]\ncustomer_tag = \"customer\"\n",
            "p.toml",
            &[],
        )
        .unwrap();
        assert!(l.segmentation().unwrap().bastion_tag().is_err());
    }
}
