use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::IamUser;

declare_check! {
    /// ## What it checks
    /// Every `Active` access key of every IAM user is at most `params.max_access_key_age_days`
    /// (90 by default) old, counted in whole days from its `CreateDate` to the scan clock.
    /// One finding per user: FAIL names the keys that are too old. A user without active
    /// keys is NOT_APPLICABLE; a key without a creation date cannot be judged (ERROR).
    ///
    /// ## Why it matters
    /// Access keys are long-lived passwords for the API. The older a key, the more copies
    /// of it exist in laptops, CI variables and old scripts, and the longer a leaked one
    /// keeps working; rotation limits that window (password management, 45 CFR
    /// 164.308(a)(5)(ii)(D); person or entity authentication, 164.312(d)).
    ///
    /// ## Evidence
    /// `active_keys` (id, created, age in days), `too_old` and `max_access_key_age_days`.
    ///
    /// ## Remediation
    /// Create a second key (`aws iam create-access-key --user-name <u>`), move the
    /// workload to it, deactivate and then delete the old one (`aws iam update-access-key
    /// --status Inactive`, `aws iam delete-access-key`); better, replace the user's keys by a
    /// role the workload assumes.
    pub struct IamAccessKeyAge {
        id: "aws-iam-access-key-age",
        title: "Active IAM access keys are rotated within 90 days",
        severity: Medium,
        provider: Aws,
        kinds: [AwsIamUser],
        controls: [PasswordManagement, PersonEntityAuthentication],
    }
}

impl Check for IamAccessKeyAge {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let max = ctx.config.params.max_access_key_age_days;
        ctx.resources::<IamUser>()
            .iter()
            .map(|u| {
                let r = &u.resource;
                let Some(keys) = &u.access_keys else {
                    return ctx
                        .error(r)
                        .reason("The user's access keys were not reported.")
                        .evidence("max_access_key_age_days", max)
                        .build();
                };
                let active: Vec<_> = keys.iter().filter(|k| k.status == "Active").collect();
                let ages: Vec<(&str, Option<i64>)> = active
                    .iter()
                    .map(|k| {
                        let age = k.create_date.map(|c| (ctx.now - c).num_days().max(0));
                        (k.access_key_id.as_str(), age)
                    })
                    .collect();
                let too_old: Vec<&str> = ages
                    .iter()
                    .filter(|(_, a)| a.is_some_and(|a| a > max))
                    .map(|(id, _)| *id)
                    .collect();
                let undated = ages.iter().any(|(_, a)| a.is_none());
                let b = if active.is_empty() {
                    ctx.not_applicable(r).reason("The user has no active access key.")
                } else if !too_old.is_empty() {
                    ctx.fail(r).reason(format!(
                        "Active access key(s) {} are older than {max} days.",
                        too_old.join(", ")
                    ))
                } else if undated {
                    ctx.error(r)
                        .reason("An active access key has no creation date, so its age is unknown.")
                } else {
                    ctx.pass(r).reason(format!(
                        "Every active access key is at most {max} days old."
                    ))
                };
                let listed: Vec<serde_json::Value> = active
                    .iter()
                    .zip(&ages)
                    .map(|(k, (_, age))| {
                        serde_json::json!({"id": k.access_key_id, "created": k.create_date, "age_days": age})
                    })
                    .collect();
                b.evidence("active_keys", listed)
                    .evidence("too_old", too_old)
                    .evidence("max_access_key_age_days", max)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws_edges::{access_key, iam_user};
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    fn user(id: &str, keys: Vec<phiscan_core::model::aws::IamAccessKey>) -> IamUser {
        let mut u = iam_user(id);
        u.access_keys = Some(keys);
        u
    }

    fn inventory() -> Inventory {
        let mut inactive = access_key("AKIAOLDINACTIVE", 400);
        inactive.status = "Inactive".into();
        let mut undated = access_key("AKIAUNDATED", 1);
        undated.create_date = None;
        let mut inv = Inventory::new();
        inv.aws_iam_users = vec![
            user("fresh", vec![access_key("AKIAFRESH", 90)]),
            user("old", vec![access_key("AKIANEW", 5), access_key("AKIAOLD", 91)]),
            user("inactive-only", vec![inactive]),
            user("none", vec![]),
            user("undated", vec![undated]),
        ];
        inv
    }

    #[test]
    fn active_keys_older_than_the_limit_fail() {
        let f = run(&IamAccessKeyAge, &inventory());
        assert_eq!(f.status_of("fresh"), Status::Pass);
        assert_eq!(f.status_of("old"), Status::Fail);
        assert_eq!(f.evidence_of("old", "too_old"), serde_json::json!(["AKIAOLD"]));
        assert_eq!(f.status_of("inactive-only"), Status::NotApplicable);
        assert_eq!(f.status_of("none"), Status::NotApplicable);
        assert_eq!(f.status_of("undated"), Status::Error);

        let mut config = Config::default();
        config.params.max_access_key_age_days = 30;
        let f = run_with(&IamAccessKeyAge, &inventory(), &config);
        assert_eq!(f.status_of("fresh"), Status::Fail);
    }
}
