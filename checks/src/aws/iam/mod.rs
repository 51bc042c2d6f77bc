pub mod no_admin_star_policy;
pub mod password_policy;
pub mod root_mfa;
pub mod root_no_access_keys;

/// The root user of the test account, with no access keys and MFA on, for unit tests.
#[cfg(test)]
pub(crate) fn root(id: &str) -> phiscan_scanner::model::aws::IamRootAccount {
    phiscan_scanner::model::aws::IamRootAccount {
        resource: crate::testing::aws_ref(
            phiscan_scanner::ResourceKind::AwsIamRootAccount,
            "global",
            id,
        ),
        access_keys_present: Some(0),
        mfa_enabled: Some(1),
    }
}
