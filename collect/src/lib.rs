//! phiscan's collectors: read-only AWS, GCP and Azure API calls that fill the inventory model
//! of phiscan-core, each cloud behind its cargo feature (`aws`, `gcp`, `azure`) so a build
//! without it carries none of its SDK. [`progress`] reports every API call as it happens.

// The collectors were written inside the core crate; these aliases keep their
// `crate::model::...` paths meaning what they meant.
pub(crate) use phiscan_core::{model, shard};
#[allow(unused_imports)]
pub(crate) use phiscan_core::{
    Check, CheckMeta, Hipaa, Inventory, Provider, ResourceKind, ResourceRef, Severity, Status,
};

pub mod progress;
pub mod providers;
