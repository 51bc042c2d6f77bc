//! IAM policies, users, the root account and the password policy.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// An IAM policy document: a customer-managed policy's default version, or an inline policy
/// of a user, role or group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IamPolicy {
    pub resource: ResourceRef,
    /// `managed` (customer-managed), `user-inline`, `role-inline` or `group-inline`.
    pub policy_type: String,
    /// For inline policies: the ARN of the user, role or group that holds it.
    #[serde(default)]
    pub owner_arn: Option<String>,
    /// For managed policies: how many users, groups and roles it is attached to.
    #[serde(default)]
    pub attachment_count: Option<i32>,
    /// For managed policies: the version judged (the default version).
    #[serde(default)]
    pub default_version_id: Option<String>,
    /// The policy document, URL-decoded and parsed; a string when it did not parse as JSON.
    pub document: serde_json::Value,
}

/// The account's root user, from GetAccountSummary (one record per account).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IamRootAccount {
    pub resource: ResourceRef,
    /// `AccountAccessKeysPresent`: 1 when the root user has access keys.
    #[serde(default)]
    pub access_keys_present: Option<i32>,
    /// `AccountMFAEnabled`: 1 when the root user has an MFA device.
    #[serde(default)]
    pub mfa_enabled: Option<i32>,
}

/// The account's IAM password policy (GetAccountPasswordPolicy), one record per account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IamPasswordPolicy {
    pub resource: ResourceRef,
    /// `None`: the account has no password policy (the API answered NoSuchEntity).
    #[serde(default)]
    pub policy: Option<PasswordPolicy>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    #[serde(default)]
    pub minimum_password_length: Option<i32>,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    /// `MaxPasswordAge`; `None` when passwords never expire.
    #[serde(default)]
    pub max_password_age: Option<i32>,
    /// `PasswordReusePrevention`; `None` when reuse is not restricted.
    #[serde(default)]
    pub password_reuse_prevention: Option<i32>,
}

/// An IAM user and its credentials: ListUsers, GetLoginProfile, ListMFADevices,
/// ListAccessKeys and GetAccessKeyLastUsed (the credential report is not used: generating
/// it is a write).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IamUser {
    pub resource: ResourceRef,
    #[serde(default)]
    pub create_date: Option<DateTime<Utc>>,
    /// Whether the user has a console password (a login profile). `None`: not read.
    #[serde(default)]
    pub console_password: Option<bool>,
    /// When the console password was set (the login profile's `CreateDate`).
    #[serde(default)]
    pub password_created: Option<DateTime<Utc>>,
    /// `PasswordLastUsed`; `None`: never used (or not since IAM began tracking, 2014).
    #[serde(default)]
    pub password_last_used: Option<DateTime<Utc>>,
    /// Serial numbers of the user's MFA devices. `None`: not read.
    #[serde(default)]
    pub mfa_devices: Option<Vec<String>>,
    /// The user's access keys (at most two). `None`: not read.
    #[serde(default)]
    pub access_keys: Option<Vec<IamAccessKey>>,
}

/// An access key's metadata (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IamAccessKey {
    pub access_key_id: String,
    /// `Active` or `Inactive`.
    pub status: String,
    #[serde(default)]
    pub create_date: Option<DateTime<Utc>>,
    /// `AccessKeyLastUsed.LastUsedDate`; `None`: never used.
    #[serde(default)]
    pub last_used: Option<DateTime<Utc>>,
}

/// An IAM role (GetAccountAuthorizationDetails): who may assume it and what it may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IamRole {
    pub resource: ResourceRef,
    pub role_name: String,
    /// The trust policy (AssumeRolePolicyDocument), decoded; `None` when the answer had none.
    #[serde(default)]
    pub trust_policy: Option<serde_json::Value>,
    /// Names of the AWS-managed policies attached (`ReadOnlyAccess`, `AdministratorAccess`).
    #[serde(default)]
    pub aws_managed_policies: Vec<String>,
    /// The documents that grant the role its permissions: inline policies and the default
    /// versions of the customer-managed policies attached.
    #[serde(default)]
    pub permission_documents: Vec<serde_json::Value>,
    /// Customer-managed policies attached whose document the answer did not hold.
    #[serde(default)]
    pub unresolved_policies: Vec<String>,
}
