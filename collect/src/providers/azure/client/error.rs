//! What a failed ARM request means: the error response's code and message, phiscan's names
//! for failures without one, and the sentence a CollectionError carries.

use super::MAX_RETRIES;

/// A request that did not produce the data: an ARM error response, or no response at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmError {
    /// `None` when no response came back.
    pub status: Option<u16>,
    /// ARM's `error.code` (`AuthorizationFailed`), or phiscan's name for what went wrong.
    pub code: String,
    pub message: String,
    pub operation: &'static str,
}

impl ArmError {
    /// The sentence a CollectionError carries: what failed, ARM's own words, what to do.
    pub fn reason(&self) -> String {
        let status = self
            .status
            .map_or(String::new(), |s| format!(" (HTTP {s})"));
        let hint = match (self.status, self.code.as_str()) {
            (Some(429), _) => format!(
                " ARM was still throttling after {MAX_RETRIES} retries that honoured Retry-After; scan again later or with fewer subscriptions at once."
            ),
            (_, "AuthorizationFailed") => " Grant the scanning identity the Reader role (see README, \"Scanning real Azure subscriptions\").".to_string(),
            (_, "MissingSubscriptionRegistration") => format!(
                " The resource provider is not registered in this subscription, so phiscan cannot show what it holds; register it (`az provider register --namespace {}`) or confirm the subscription does not use it.",
                provider_in(&self.message).unwrap_or("<namespace>")
            ),
            _ => String::new(),
        };
        format!(
            "{}{status} on {}: {}.{hint}",
            self.code,
            self.operation,
            self.message.trim_end_matches('.')
        )
    }

    pub(super) fn unexpected(operation: &'static str, message: impl Into<String>) -> ArmError {
        ArmError {
            status: None,
            code: "UnexpectedResponse".into(),
            message: message.into(),
            operation,
        }
    }
}

/// `Microsoft.DBforMySQL` out of ARM's MissingSubscriptionRegistration message.
fn provider_in(message: &str) -> Option<&str> {
    message
        .split(|c: char| c == '\'' || c == '"' || c.is_whitespace())
        .find(|w| w.starts_with("Microsoft.") && w.len() > "Microsoft.".len())
        .map(|w| w.trim_end_matches(['.', ',']))
}

pub(super) fn default_code(status: u16) -> String {
    match status {
        429 => "TooManyRequests".into(),
        403 => "Forbidden".into(),
        404 => "NotFound".into(),
        s => format!("HTTP{s}"),
    }
}
