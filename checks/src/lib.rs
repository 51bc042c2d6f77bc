//! phiscan checks: one file per check, each a pure function of the inventory, the config
//! and the clock. The registry below is the one list of every check; adding a check touches
//! its file, its tests and one line of its provider's registry.

pub mod aws;
pub mod azure;
mod common;
pub mod gcp;

use phiscan_core::Check;

/// Every registered check, AWS then GCP then Azure.
pub fn registry() -> Vec<&'static dyn Check> {
    let mut all = Vec::new();
    all.extend_from_slice(aws::CHECKS);
    all.extend_from_slice(gcp::CHECKS);
    all.extend_from_slice(azure::CHECKS);
    all
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
