//! Who outside the account an AWS policy document lets in, judged against the partner list
//! (`[[third_parties]]`): the one reading that the bucket-policy, key-policy and role-trust
//! checks share. Allow statements only (a Deny grants nothing); AWS service principals are
//! AWS itself, not a third party; principals of the owning account are inside.
//!
//! "Everyone" (`*`, `{"AWS": "*"}`, `NotPrincipal`) is external unless a condition pins the
//! caller's account (`aws:PrincipalAccount`, `aws:SourceAccount`, `aws:SourceOwner`,
//! `kms:CallerAccount`, the account of `aws:PrincipalArn` / `aws:SourceArn`), in which case
//! each pinned account is judged, or the organization (`aws:PrincipalOrgID`), which is
//! inside by definition of the organization's owner.

use chrono::NaiveDate;
use phiscan_core::check::{Ctx, FindingBuilder};
use phiscan_core::config::{External, Partners};
use phiscan_core::ResourceRef;
use serde_json::{json, Value};

use crate::aws::policy_doc::{statements, strings, Statement};

/// Condition keys whose values are account ids.
const ACCOUNT_KEYS: [&str; 4] = [
    "aws:principalaccount",
    "aws:sourceaccount",
    "aws:sourceowner",
    "kms:calleraccount",
];
/// Condition keys whose values are ARNs naming an account.
const ARN_KEYS: [&str; 2] = ["aws:principalarn", "aws:sourcearn"];

/// One external principal a statement admits, judged.
#[derive(Debug)]
pub struct Grant {
    pub evidence: Value,
    pub allowed: bool,
    /// The statement requires an `sts:ExternalId` (trust policies: the confused-deputy
    /// guard a third party must present).
    pub external_id: bool,
}

/// The account of `arn:aws:iam::123456789012:role/x`, or a bare account id.
fn account_of(principal: &str) -> Option<&str> {
    let p = principal.trim();
    if p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()) {
        return Some(p);
    }
    p.strip_prefix("arn:")
        .and_then(|rest| rest.split(':').nth(3))
        .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
}

/// The accounts a statement's condition pins the caller to; `None` when it pins none.
fn pinned_accounts<'a>(st: &Statement<'a>) -> Option<(Vec<&'a str>, bool)> {
    let cond = st.condition()?;
    let (mut accounts, mut org) = (Vec::new(), false);
    for ops in cond.values().filter_map(Value::as_object) {
        for (key, v) in ops {
            let k = key.to_ascii_lowercase();
            if ACCOUNT_KEYS.contains(&k.as_str()) {
                accounts.extend(strings(Some(v)));
            } else if ARN_KEYS.contains(&k.as_str()) {
                accounts.extend(strings(Some(v)).into_iter().filter_map(account_of));
            } else if k == "aws:principalorgid" {
                org = true;
            }
        }
    }
    (!accounts.is_empty() || org).then_some((accounts, org))
}

/// Every external principal the Allow statements of `doc` admit, judged against the
/// partner list on `today`. `writes` says whether a statement's actions change data.
pub fn external_grants(
    doc: &Value,
    own_account: &str,
    partners: Partners<'_>,
    today: NaiveDate,
    writes: &dyn Fn(&Statement) -> bool,
) -> Vec<Grant> {
    let mut out = Vec::new();
    for st in statements(doc).into_iter().filter(Statement::is_allow) {
        let w = writes(&st);
        let external_id = st.condition().is_some_and(|c| {
            c.values()
                .filter_map(Value::as_object)
                .any(|ops| ops.keys().any(|k| k.eq_ignore_ascii_case("sts:ExternalId")))
        });
        let mut judge = |principal: &str, account: Option<&str>, ok: Option<(bool, String)>| {
            let (allowed, why) = ok.unwrap_or_else(|| match account {
                Some(a) => {
                    let adm = partners.admit(External::AwsAccount(a), w, today);
                    (adm.is_allowed(), adm.explain())
                }
                None => (false, "a principal of no known account".into()),
            });
            out.push(Grant {
                evidence: json!({
                    "sid": st.sid(),
                    "principal": principal,
                    "account": account,
                    "actions": st.actions(),
                    "writes": w,
                    "allowed": allowed,
                    "why": why,
                }),
                allowed,
                external_id,
            });
        };
        if st.principal_is_everyone() || st.has_not_principal() {
            match pinned_accounts(&st) {
                None => judge(
                    "*",
                    None,
                    Some((
                        false,
                        "everyone, without a condition pinning the caller's account".into(),
                    )),
                ),
                Some((accounts, org)) => {
                    if org {
                        judge(
                            "*",
                            None,
                            Some((
                                true,
                                "the organization's accounts (aws:PrincipalOrgID)".into(),
                            )),
                        );
                    }
                    for a in accounts.into_iter().filter(|a| *a != own_account) {
                        judge("*", Some(a), None);
                    }
                }
            }
            continue;
        }
        let Some(Value::Object(p)) = st.raw().get("Principal") else {
            continue;
        };
        for (kind, ids) in p {
            for id in strings(Some(ids)) {
                match kind.as_str() {
                    // AWS itself (cloudtrail.amazonaws.com, ...): not a third party.
                    "Service" => {}
                    "AWS" | "Federated" => match account_of(id) {
                        Some(a) if a == own_account => {}
                        Some(a) => judge(id, Some(a), None),
                        None => judge(
                            id,
                            None,
                            Some((false, format!("an identity outside any account ({kind})"))),
                        ),
                    },
                    _ => judge(
                        id,
                        None,
                        Some((false, format!("a {kind} principal of no known account"))),
                    ),
                }
            }
        }
    }
    out
}

/// The verdict on one resource policy (`noun`: "bucket policy", "key policy"): FAIL when a
/// grant admits a principal outside the account the partner list does not allow (an
/// expired partner, a read partner granted write, a stranger, everyone). Actions whose verb
/// starts with one of `read_verbs` only read. The caller adds its evidence and builds.
pub(crate) fn policy_verdict(
    ctx: &Ctx,
    resource: &ResourceRef,
    doc: &Value,
    noun: &str,
    read_verbs: &[&str],
) -> FindingBuilder {
    let grants = external_grants(
        doc,
        &resource.account,
        ctx.config.partners(),
        ctx.now.date_naive(),
        &|st| writes_unless(st, read_verbs),
    );
    let bad = grants.iter().filter(|g| !g.allowed).count();
    let reason = match (grants.len(), bad) {
        (0, _) => format!("The {noun} grants nothing to principals outside the account."),
        (n, 0) => format!("The {noun} grants {n} external principal(s), each allowed by the partner list."),
        (_, b) => format!("The {noun} grants {b} external principal(s) the partner list does not allow (see external_grants)."),
    };
    ctx.verdict(bad == 0, resource)
        .evidence("partners_listed", ctx.config.third_parties.len())
        .evidence(
            "external_grants",
            grants.into_iter().map(|g| g.evidence).collect::<Vec<_>>(),
        )
        .reason(reason)
}

/// Whether the statement's actions may change something: an action whose verb (after
/// `service:`) does not start with one of `read_verbs` (lowercase), `*` included.
pub fn writes_unless(st: &Statement, read_verbs: &[&str]) -> bool {
    st.actions().iter().any(|a| {
        let verb = a.rsplit(':').next().unwrap_or(a).to_ascii_lowercase();
        !read_verbs.iter().any(|r| verb.starts_with(r))
    }) || st.actions().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use phiscan_core::config::{Access, ThirdParty};

    fn partner(access: Access, expires: &str) -> Vec<ThirdParty> {
        vec![ThirdParty {
            name: "Acme".into(),
            aws_accounts: vec!["210987654321".into()],
            gcp_members: vec![],
            azure_tenants: vec![],
            access,
            expires: Some(expires.parse().unwrap()),
        }]
    }

    fn grants(doc: Value, list: &[ThirdParty]) -> Vec<(bool, String)> {
        let today: NaiveDate = "2026-06-01".parse().unwrap();
        external_grants(&doc, "111122223333", Partners(list), today, &|st| {
            writes_unless(st, &["get", "list"])
        })
        .into_iter()
        .map(|g| (g.allowed, g.evidence["why"].as_str().unwrap().to_string()))
        .collect()
    }

    fn allow(principal: Value, action: &str, condition: Option<Value>) -> Value {
        let mut st =
            json!({"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"});
        if let Some(c) = condition {
            st["Condition"] = c;
        }
        json!({"Statement": [st]})
    }

    #[test]
    fn partners_strangers_and_everyone() {
        let p = partner(Access::Read, "2027-06-30");
        let own = allow(
            json!({"AWS": "arn:aws:iam::111122223333:root"}),
            "s3:*",
            None,
        );
        assert!(grants(own, &p).is_empty());
        let svc = allow(
            json!({"Service": "cloudtrail.amazonaws.com"}),
            "s3:PutObject",
            None,
        );
        assert!(grants(svc, &p).is_empty());
        let reader = allow(
            json!({"AWS": ["arn:aws:iam::210987654321:root"]}),
            "s3:GetObject",
            None,
        );
        assert!(grants(reader.clone(), &p)[0].0);
        // Without the partner list the same grant is a finding.
        assert!(!grants(reader, &[])[0].0);
        let writer = allow(json!({"AWS": "210987654321"}), "s3:PutObject", None);
        assert!(grants(writer, &p)[0].1.contains("granted write"));
        let expired = allow(json!({"AWS": "210987654321"}), "s3:GetObject", None);
        assert!(!grants(expired, &partner(Access::Read, "2026-05-31"))[0].0);
        let stranger = allow(
            json!({"AWS": "arn:aws:iam::999988887777:role/x"}),
            "s3:GetObject",
            None,
        );
        assert!(grants(stranger, &p)[0]
            .1
            .contains("not on the partner list"));
        assert!(!grants(allow(json!("*"), "s3:GetObject", None), &p)[0].0);
        let denied = json!({"Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:*"}});
        assert!(grants(denied, &p).is_empty());
    }

    #[test]
    fn conditions_that_pin_the_account() {
        let p = partner(Access::Read, "2027-06-30");
        let own = allow(
            json!("*"),
            "kms:Decrypt",
            Some(json!({"StringEquals": {"kms:CallerAccount": "111122223333"}})),
        );
        assert!(grants(own, &p).is_empty());
        let to_partner = allow(
            json!("*"),
            "s3:GetObject",
            Some(json!({"StringEquals": {"aws:PrincipalAccount": ["210987654321"]}})),
        );
        assert!(grants(to_partner, &p)[0].0);
        let by_arn = allow(
            json!({"AWS": "*"}),
            "s3:GetObject",
            Some(json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::999988887777:role/*"}})),
        );
        assert!(!grants(by_arn, &p)[0].0);
        let org = allow(
            json!("*"),
            "s3:GetObject",
            Some(json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc"}})),
        );
        assert!(grants(org, &p)[0].0);
        // A condition on something else pins nobody.
        let ip = allow(
            json!("*"),
            "s3:GetObject",
            Some(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
        );
        assert!(!grants(ip, &p)[0].0);
    }
}
