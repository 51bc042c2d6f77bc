use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::config::Params;
use phiscan_core::declare_check;
use phiscan_core::model::aws::{IamPasswordPolicy, PasswordPolicy};

declare_check! {
    /// ## What it checks
    /// The account has an IAM password policy (GetAccountPasswordPolicy; the API's
    /// NoSuchEntity answer means none, which fails) and it demands:
    /// - a minimum length of at least `params.min_password_length` (14 by default);
    /// - upper case, lower case, numbers and symbols, unless
    ///   `params.password_require_character_classes` is false;
    /// - that the last `params.password_reuse_prevention` passwords (24 by default) are not
    ///   reused, unless that parameter is 0;
    /// - passwords that expire within `params.max_password_age_days`, only when that
    ///   parameter is above 0 (default 0: NIST SP 800-63B advises against forced periodic
    ///   changes).
    ///
    /// One finding per account; the reason lists every unmet demand.
    ///
    /// ## Why it matters
    /// IAM users who sign in to the console with a password reach the ePHI estate with it.
    /// HIPAA expects procedures for creating and safeguarding passwords (password
    /// management, 45 CFR 164.308(a)(5)(ii)(D)) and authentication that resists guessing
    /// (person or entity authentication, 164.312(d)).
    ///
    /// ## Evidence
    /// `password_policy` (as reported, `null` when the account has none) and `unmet` (each
    /// demand the policy does not meet).
    ///
    /// ## Remediation
    /// `aws iam update-account-password-policy --minimum-password-length 14
    /// --require-symbols --require-numbers --require-uppercase-characters
    /// --require-lowercase-characters --password-reuse-prevention 24`; better still, sign
    /// people in through an identity provider (IAM Identity Center) and give IAM users no
    /// console passwords.
    pub struct IamPasswordPolicyCheck {
        id: "aws-iam-password-policy",
        title: "The IAM password policy is strong enough",
        severity: Medium,
        provider: Aws,
        kinds: [AwsIamPasswordPolicy],
        controls: [PasswordManagement, PersonEntityAuthentication],
    }
}

/// Every demand of `params` that `p` does not meet, in words.
fn unmet(p: &PasswordPolicy, params: &Params) -> Vec<String> {
    let mut out = Vec::new();
    let min = params.min_password_length;
    match p.minimum_password_length {
        Some(n) if n >= min => {}
        Some(n) => out.push(format!("minimum length {n} is below {min}")),
        None => out.push(format!("minimum length not reported (demanded {min})")),
    }
    if params.password_require_character_classes {
        for (on, what) in [
            (p.require_uppercase, "upper-case letters"),
            (p.require_lowercase, "lower-case letters"),
            (p.require_numbers, "numbers"),
            (p.require_symbols, "symbols"),
        ] {
            if !on {
                out.push(format!("{what} not required"));
            }
        }
    }
    let reuse = params.password_reuse_prevention;
    if reuse > 0 {
        match p.password_reuse_prevention {
            Some(n) if n >= reuse => {}
            Some(n) => out.push(format!(
                "only the last {n} passwords are remembered (demanded {reuse})"
            )),
            None => out.push(format!(
                "password reuse is not prevented (demanded the last {reuse})"
            )),
        }
    }
    let age = params.max_password_age_days;
    if age > 0 {
        match p.max_password_age {
            Some(d) if d <= age => {}
            Some(d) => out.push(format!(
                "passwords expire after {d} days (demanded at most {age})"
            )),
            None => out.push(format!(
                "passwords never expire (demanded at most {age} days)"
            )),
        }
    }
    out
}

impl Check for IamPasswordPolicyCheck {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<IamPasswordPolicy>()
            .iter()
            .map(|rec| {
                let Some(p) = &rec.policy else {
                    return ctx
                        .fail(&rec.resource)
                        .evidence("password_policy", serde_json::Value::Null)
                        .evidence("unmet", ["no password policy"])
                        .reason("The account has no IAM password policy: IAM accepts any password of 8 or more characters.")
                        .build();
                };
                let gaps = unmet(p, &ctx.config.params);
                let reason = if gaps.is_empty() {
                    "The password policy meets every demand.".to_string()
                } else {
                    format!("The password policy falls short: {}.", gaps.join("; "))
                };
                ctx.verdict(gaps.is_empty(), &rec.resource)
                    .evidence("password_policy", p)
                    .evidence("unmet", &gaps)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{iam_password_policy, strong_password_policy};
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    fn rec(id: &str, policy: Option<PasswordPolicy>) -> IamPasswordPolicy {
        IamPasswordPolicy {
            policy,
            ..iam_password_policy(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let short = PasswordPolicy {
            minimum_password_length: Some(8),
            require_symbols: false,
            ..strong_password_policy()
        };
        let reusable = PasswordPolicy {
            password_reuse_prevention: None,
            ..strong_password_policy()
        };
        inv.aws_iam_password_policies = vec![
            rec("strong", Some(strong_password_policy())),
            rec("none", None),
            rec("short", Some(short)),
            rec("reusable", Some(reusable)),
        ];
        let f = run(&IamPasswordPolicyCheck, &inv);
        assert_eq!(f.status_of("strong"), Status::Pass);
        assert_eq!(f.status_of("none"), Status::Fail);
        assert_eq!(f.status_of("short"), Status::Fail);
        assert_eq!(f.status_of("reusable"), Status::Fail);
        let gaps = f.evidence_of("short", "unmet");
        assert_eq!(
            gaps,
            serde_json::json!(["minimum length 8 is below 14", "symbols not required"])
        );
    }

    #[test]
    fn demands_come_from_params() {
        let mut config = Config::default();
        config.params.min_password_length = 8;
        config.params.password_require_character_classes = false;
        config.params.password_reuse_prevention = 0;
        config.params.max_password_age_days = 90;
        let lax = PasswordPolicy {
            minimum_password_length: Some(8),
            require_symbols: false,
            require_numbers: false,
            require_uppercase: false,
            require_lowercase: false,
            max_password_age: Some(90),
            password_reuse_prevention: None,
        };
        let never_expires = PasswordPolicy {
            max_password_age: None,
            ..lax.clone()
        };
        let mut inv = Inventory::new();
        inv.aws_iam_password_policies =
            vec![rec("lax", Some(lax)), rec("forever", Some(never_expires))];
        let f = run_with(&IamPasswordPolicyCheck, &inv, &config);
        assert_eq!(f.status_of("lax"), Status::Pass);
        assert_eq!(f.status_of("forever"), Status::Fail);
        assert!(f.of("forever").reason.contains("never expire"));
    }
}
