//! phiscan's collectors: read-only AWS, GCP and Azure API calls that fill the inventory model
//! of phiscan-core, each cloud behind its cargo feature (`aws`, `gcp`, `azure`) so a build
//! without it carries none of its SDK. [`progress`] reports every API call as it happens.

// The collectors name the core's modules as `crate::model` and `crate::shard` (they were
// written inside it). A build without any cloud feature has no collector using `shard`.
pub(crate) use phiscan_core::model;
#[cfg_attr(
    not(any(feature = "aws", feature = "gcp", feature = "azure")),
    allow(unused_imports)
)]
pub(crate) use phiscan_core::shard;

pub mod doctor;
pub mod progress;
pub mod providers;
pub mod raw;
pub mod wire;
