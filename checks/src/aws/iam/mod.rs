pub mod no_admin_star_policy;
pub mod password_policy;
pub mod root_mfa;
pub mod root_no_access_keys;
