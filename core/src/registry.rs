//! The registry macro: one line per check, in its service's `mod.rs`.
//!
//! ```ignore
//! phiscan_core::checks! {
//!     volume_encrypted::EbsVolumeEncrypted,
//!     snapshot_encrypted::EbsSnapshotEncrypted,
//! }
//! ```
//!
//! declares each check's module (`pub mod volume_encrypted;`, the file beside the `mod.rs`)
//! and the service's list `pub static CHECKS: &[&dyn Check]` in that order. A provider lists
//! its services once ([`services!`](crate::services)); the checks crate joins the providers.
//! So adding a check touches its file and one line here, and nothing is discovered by naming
//! convention: the compiler sees the whole registry.

/// Declare a service's check modules and its `CHECKS` list (see the module docs).
#[macro_export]
macro_rules! checks {
    ($($module:ident :: $check:ident),+ $(,)?) => {
        $(pub mod $module;)+

        /// The checks of this service, in registry order.
        pub static CHECKS: &[&dyn $crate::Check] = &[$(&$module::$check),+];
    };
}

/// Declare a provider's service modules and `checks()`, every check of the provider in
/// service order.
#[macro_export]
macro_rules! services {
    ($($service:ident),+ $(,)?) => {
        $(pub mod $service;)+

        /// Every check of this provider: service by service, each service in its own order.
        pub fn checks() -> impl Iterator<Item = &'static dyn $crate::Check> {
            [$($service::CHECKS),+].into_iter().flatten().copied()
        }
    };
}
