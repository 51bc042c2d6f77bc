phiscan_core::checks! {
    no_admin_star_policy::IamNoAdminStarPolicy,
    root_no_access_keys::IamRootNoAccessKeys,
    root_mfa::IamRootMfa,
    password_policy::IamPasswordPolicyCheck,
    user_mfa::IamUserMfa,
    access_key_age::IamAccessKeyAge,
    unused_credentials::IamUnusedCredentials,
    role_external_trust::IamRoleExternalTrust,
}
