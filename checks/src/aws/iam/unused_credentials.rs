use chrono::{DateTime, Utc};
use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::IamUser;

declare_check! {
    /// ## What it checks
    /// No IAM user keeps a credential it does not use: its console password and each
    /// `Active` access key must have been used within `params.max_unused_credential_days`
    /// (90 by default) before the scan clock. A credential never used counts from its
    /// creation, so a key made yesterday is not unused yet. One finding per user: FAIL
    /// names the unused credentials; a user without a password or active key is
    /// NOT_APPLICABLE; a credential without a date to count from is ERROR.
    ///
    /// ## Why it matters
    /// Credentials nobody uses belong to people who left or workloads that moved; they keep
    /// their access to ePHI, and nobody would notice them being used by someone else. Removing
    /// them is how access ends with the need for it (access control, 45 CFR 164.312(a)(1);
    /// access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `unused` (credential, last used or created, days), `password_last_used`,
    /// `active_keys` and `max_unused_credential_days`.
    ///
    /// ## Remediation
    /// Confirm with the owner, then remove what is unused: `aws iam delete-login-profile
    /// --user-name <u>` for the password, `aws iam update-access-key --status Inactive` and
    /// later `aws iam delete-access-key` for a key; delete users nobody owns.
    pub struct IamUnusedCredentials {
        id: "aws-iam-unused-credentials",
        title: "IAM users have no credentials unused for 90 days",
        severity: Medium,
        provider: Aws,
        kinds: [AwsIamUser],
        controls: [AccessControl, AccessAuthorization],
    }
}

/// One credential: what it is, and the date its idleness counts from (last use, else
/// creation; `None`: neither is known).
struct Credential {
    what: String,
    since: Option<DateTime<Utc>>,
}

fn credentials(u: &IamUser) -> Vec<Credential> {
    let mut out = Vec::new();
    if u.console_password == Some(true) {
        out.push(Credential {
            what: "console password".into(),
            since: u.password_last_used.or(u.password_created),
        });
    }
    for k in u.access_keys.iter().flatten().filter(|k| k.status == "Active") {
        out.push(Credential {
            what: format!("access key {}", k.access_key_id),
            since: k.last_used.or(k.create_date),
        });
    }
    out
}

impl Check for IamUnusedCredentials {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let max = ctx.config.params.max_unused_credential_days;
        ctx.resources::<IamUser>()
            .iter()
            .map(|u| {
                let r = &u.resource;
                let creds = credentials(u);
                let idle: Vec<(String, Option<i64>)> = creds
                    .iter()
                    .map(|c| (c.what.clone(), c.since.map(|t| (ctx.now - t).num_days().max(0))))
                    .collect();
                let unused: Vec<serde_json::Value> = creds
                    .iter()
                    .zip(&idle)
                    .filter(|(_, (_, d))| d.is_some_and(|d| d > max))
                    .map(|(c, (_, d))| serde_json::json!({"credential": c.what, "since": c.since, "days": d}))
                    .collect();
                let b = if u.console_password.is_none() || u.access_keys.is_none() {
                    ctx.error(r).reason("The user's login profile or access keys were not reported.")
                } else if creds.is_empty() {
                    ctx.not_applicable(r)
                        .reason("The user has no console password and no active access key.")
                } else if !unused.is_empty() {
                    let names: Vec<&str> = unused
                        .iter()
                        .filter_map(|v| v["credential"].as_str())
                        .collect();
                    ctx.fail(r).reason(format!(
                        "Not used for more than {max} days: {}.",
                        names.join(", ")
                    ))
                } else if idle.iter().any(|(_, d)| d.is_none()) {
                    ctx.error(r).reason("A credential has neither a last use nor a creation date.")
                } else {
                    ctx.pass(r).reason(format!(
                        "Every credential of the user was used (or made) within {max} days."
                    ))
                };
                let keys: Vec<&str> = u
                    .access_keys
                    .iter()
                    .flatten()
                    .filter(|k| k.status == "Active")
                    .map(|k| k.access_key_id.as_str())
                    .collect();
                b.evidence("unused", unused)
                    .evidence("password_last_used", u.password_last_used)
                    .evidence("active_keys", keys)
                    .evidence("max_unused_credential_days", max)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws_edges::{access_key, iam_user};
    use crate::testing::{now, run};
    use chrono::Duration;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn credentials_idle_past_the_limit_fail() {
        let days = |d: i64| Some(now() - Duration::days(d));
        let mut stale_password = iam_user("stale-password");
        stale_password.password_last_used = days(120);
        let mut never_used_key = iam_user("never-used-key");
        let mut key = access_key("AKIANEVER", 100);
        key.last_used = None;
        never_used_key.access_keys = Some(vec![key]);
        let mut new_key = iam_user("new-unused-key");
        let mut key = access_key("AKIANEW", 2);
        key.last_used = None;
        new_key.access_keys = Some(vec![key]);
        new_key.console_password = Some(false);
        let mut never_logged_in = iam_user("never-logged-in");
        never_logged_in.password_last_used = None;
        never_logged_in.password_created = days(91);
        let mut nothing = iam_user("nothing");
        nothing.console_password = Some(false);
        nothing.access_keys = Some(vec![]);
        let mut unread = iam_user("unread");
        unread.access_keys = None;
        let mut inv = Inventory::new();
        inv.aws_iam_users = vec![
            iam_user("active"),
            stale_password,
            never_used_key,
            new_key,
            never_logged_in,
            nothing,
            unread,
        ];
        let f = run(&IamUnusedCredentials, &inv);
        assert_eq!(f.status_of("active"), Status::Pass);
        assert_eq!(f.status_of("stale-password"), Status::Fail);
        assert!(f.of("stale-password").reason.contains("console password"));
        assert_eq!(f.status_of("never-used-key"), Status::Fail);
        assert!(f.of("never-used-key").reason.contains("AKIANEVER"));
        assert_eq!(f.status_of("new-unused-key"), Status::Pass);
        assert_eq!(f.status_of("never-logged-in"), Status::Fail);
        assert_eq!(f.status_of("nothing"), Status::NotApplicable);
        assert_eq!(f.status_of("unread"), Status::Error);
    }
}
