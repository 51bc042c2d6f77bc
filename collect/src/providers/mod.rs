//! Collectors: read-only API calls that fill the [`crate::model::Inventory`]. One module
//! per provider, one file per service; each provider sits behind its cargo feature so a
//! build without it carries none of its SDK.

#[cfg(feature = "aws")]
pub mod aws;
#[cfg(feature = "azure")]
pub mod azure;
#[cfg(feature = "gcp")]
pub mod gcp;
#[cfg(any(feature = "aws", feature = "gcp", feature = "azure"))]
mod tasks;

use std::sync::OnceLock;
use std::time::Duration;

/// How long one attempt of an API call may take when nothing else is said.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(60);

static CALL_TIMEOUT: OnceLock<Duration> = OnceLock::new();

/// Set the per-attempt timeout of every collector's API calls (`scan --call-timeout`), once,
/// before collection starts; later calls are ignored.
pub fn set_call_timeout(timeout: Duration) {
    let _ = CALL_TIMEOUT.set(timeout);
}

/// The per-attempt timeout: an attempt that takes longer is abandoned and retried like a
/// transport error, and a scope that still fails is ERROR with the reason.
pub fn call_timeout() -> Duration {
    CALL_TIMEOUT.get().copied().unwrap_or(DEFAULT_CALL_TIMEOUT)
}
