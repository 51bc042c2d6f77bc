use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::IamRootAccount;

declare_check! {
    /// ## What it checks
    /// The account's root user has no access keys: GetAccountSummary reports
    /// `AccountAccessKeysPresent = 0`. One finding per account. If the summary does not
    /// report the value, the finding is ERROR: absence is not proof.
    ///
    /// ## Why it matters
    /// Root access keys carry every right in the account and cannot be limited by any
    /// policy; a leaked key is the whole ePHI estate. Access must be granted per person and
    /// per role and be revocable (access control, 45 CFR 164.312(a)(1); person or entity
    /// authentication, 164.312(d)).
    ///
    /// ## Evidence
    /// `account_access_keys_present` (the summary's count).
    ///
    /// ## Remediation
    /// Sign in as root, open *Security credentials*, deactivate and delete the access keys,
    /// and give automation an IAM role instead.
    pub struct IamRootNoAccessKeys {
        id: "aws-iam-root-no-access-keys",
        title: "The root user has no access keys",
        severity: Critical,
        provider: Aws,
        kinds: [AwsIamRootAccount],
        controls: [AccessControl, PersonEntityAuthentication],
    }
}

impl Check for IamRootNoAccessKeys {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<IamRootAccount>()
            .iter()
            .map(|r| {
                let b = match r.access_keys_present {
                    None => ctx.error(&r.resource).reason(
                        "GetAccountSummary did not report AccountAccessKeysPresent, so root access keys cannot be ruled out.",
                    ),
                    Some(0) => ctx.pass(&r.resource).reason("The root user has no access keys."),
                    Some(_) => ctx.fail(&r.resource).reason(
                        "The root user has access keys: a credential with every right in the account that no policy can limit.",
                    ),
                };
                b.evidence("account_access_keys_present", r.access_keys_present)
                    .build()
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
        let mut keys = iam_root_account("keys");
        keys.access_keys_present = Some(1);
        let mut unknown = iam_root_account("unknown");
        unknown.access_keys_present = None;
        inv.aws_iam_root_accounts = vec![iam_root_account("clean"), keys, unknown];
        let f = run(&IamRootNoAccessKeys, &inv);
        assert_eq!(f.status_of("clean"), Status::Pass);
        assert_eq!(f.status_of("keys"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
