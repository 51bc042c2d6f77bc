use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::IamUser;

declare_check! {
    /// ## What it checks
    /// Every IAM user with a console password (a login profile, GetLoginProfile) has at
    /// least one MFA device (ListMFADevices): virtual, hardware or FIDO. A user without a
    /// console password cannot sign in to the console and is NOT_APPLICABLE (its access
    /// keys are judged by `aws-iam-access-key-age` and `aws-iam-unused-credentials`).
    ///
    /// ## Why it matters
    /// A console user can read and change every ePHI store its policies allow. A password
    /// alone is phished, guessed or reused; a second factor makes it insufficient (person or
    /// entity authentication, 45 CFR 164.312(d)).
    ///
    /// ## Evidence
    /// `console_password`, `mfa_devices` (serial numbers) and `password_last_used`.
    ///
    /// ## Remediation
    /// Have the user assign an MFA device (*IAM > Users > Security credentials > Assign MFA
    /// device*), or require it with a policy that denies everything but MFA setup while
    /// `aws:MultiFactorAuthPresent` is false; better, move people to IAM Identity Center
    /// and remove the IAM user's password (`aws iam delete-login-profile --user-name <u>`).
    pub struct IamUserMfa {
        id: "aws-iam-user-mfa",
        title: "IAM users with a console password have MFA",
        severity: High,
        provider: Aws,
        kinds: [AwsIamUser],
        controls: [PersonEntityAuthentication],
    }
}

impl Check for IamUserMfa {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<IamUser>()
            .iter()
            .map(|u| {
                let r = &u.resource;
                let devices = u.mfa_devices.as_deref().unwrap_or_default();
                let b = match (u.console_password, &u.mfa_devices) {
                    (Some(false), _) => ctx
                        .not_applicable(r)
                        .reason("The user has no console password: it cannot sign in to the console."),
                    (None, _) | (_, None) => ctx
                        .error(r)
                        .reason("The user's login profile or MFA devices were not reported."),
                    (Some(true), Some(d)) if !d.is_empty() => ctx.pass(r).reason(format!(
                        "The console user has {} MFA device(s).",
                        d.len()
                    )),
                    (Some(true), Some(_)) => ctx
                        .fail(r)
                        .reason("The user signs in to the console with a password alone: no MFA device is assigned."),
                };
                b.evidence("console_password", u.console_password)
                    .evidence("mfa_devices", devices)
                    .evidence("password_last_used", u.password_last_used)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws_edges::iam_user;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn console_users_need_a_device() {
        let mut no_mfa = iam_user("no-mfa");
        no_mfa.mfa_devices = Some(vec![]);
        let mut api_only = iam_user("api-only");
        api_only.console_password = Some(false);
        api_only.mfa_devices = Some(vec![]);
        let mut unread = iam_user("unread");
        unread.mfa_devices = None;
        let mut inv = Inventory::new();
        inv.aws_iam_users = vec![iam_user("mfa"), no_mfa, api_only, unread];
        let f = run(&IamUserMfa, &inv);
        assert_eq!(f.status_of("mfa"), Status::Pass);
        assert_eq!(f.status_of("no-mfa"), Status::Fail);
        assert!(f.of("no-mfa").reason.contains("password alone"));
        assert_eq!(f.status_of("api-only"), Status::NotApplicable);
        assert_eq!(f.status_of("unread"), Status::Error);
    }
}
