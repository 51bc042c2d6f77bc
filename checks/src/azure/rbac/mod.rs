phiscan_core::checks! {
    limited_owners::RbacLimitedOwners,
    no_custom_role_wildcard::RbacNoCustomRoleWildcard,
}
