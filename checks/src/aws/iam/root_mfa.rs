use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::IamRootAccount;

declare_check! {
    /// ## What it checks
    /// The account's root user has an MFA device: GetAccountSummary reports
    /// `AccountMFAEnabled = 1`. One finding per account. If the summary does not report the
    /// value, the finding is ERROR.
    ///
    /// ## Why it matters
    /// Whoever holds the root password alone can read every ePHI store, delete the backups
    /// and close the account. A second factor makes a phished or reused password
    /// insufficient (person or entity authentication, 45 CFR 164.312(d)).
    ///
    /// ## Evidence
    /// `account_mfa_enabled` (the summary's value).
    ///
    /// ## Remediation
    /// Sign in as root, open *Security credentials* and assign an MFA device (a hardware key
    /// kept in a safe is the usual choice for root); store the recovery procedure with the
    /// emergency access plan.
    pub struct IamRootMfa {
        id: "aws-iam-root-mfa",
        title: "The root user has MFA enabled",
        severity: Critical,
        provider: Aws,
        kinds: [AwsIamRootAccount],
        controls: [PersonEntityAuthentication],
    }
}

impl Check for IamRootMfa {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<IamRootAccount>()
            .iter()
            .map(|r| {
                let b = match r.mfa_enabled {
                    None => ctx.error(&r.resource).reason(
                        "GetAccountSummary did not report AccountMFAEnabled, so root MFA cannot be shown.",
                    ),
                    Some(n) if n > 0 => ctx.pass(&r.resource).reason("The root user has MFA enabled."),
                    Some(_) => ctx
                        .fail(&r.resource)
                        .reason("The root user has no MFA device: its password alone opens the account."),
                };
                b.evidence("account_mfa_enabled", r.mfa_enabled).build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::iam_root_account;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut off = iam_root_account("off");
        off.mfa_enabled = Some(0);
        let mut unknown = iam_root_account("unknown");
        unknown.mfa_enabled = None;
        inv.aws_iam_root_accounts = vec![iam_root_account("on"), off, unknown];
        let f = run(&IamRootMfa, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
