//! phiscan checks: one file per check, each a pure function of the inventory, the config
//! and the clock (this crate depends on phiscan-core only).
//!
//! The registry is explicit and in three levels, ordered by meaning: [`registry`] joins the
//! providers (AWS, GCP, Azure); each provider's `mod.rs` lists its services
//! (`phiscan_core::services!`); each service's `mod.rs` lists its checks, one line each
//! (`phiscan_core::checks!`), which also declares the check's module. Adding a check touches
//! its file (with its unit tests) and that one line.

pub mod attested;
pub mod aws;
pub mod azure;
mod common;
pub mod gcp;
mod index;
pub mod reach;
mod segmentation;

use phiscan_core::Check;

/// Every registered check, AWS then GCP then Azure.
pub fn registry() -> Vec<&'static dyn Check> {
    aws::checks()
        .chain(gcp::checks())
        .chain(azure::checks())
        .collect()
}

/// Look a check up by id.
pub fn find(id: &str) -> Option<&'static dyn Check> {
    registry().into_iter().find(|c| c.meta().id == id)
}

#[cfg(test)]
mod profile_tests;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
