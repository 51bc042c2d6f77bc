//! Collectors: read-only API calls that fill the [`crate::model::Inventory`]. One module
//! per provider, one file per service; each provider sits behind its cargo feature so a
//! build without it carries none of its SDK.

#[cfg(feature = "aws")]
pub mod aws;
#[cfg(feature = "azure")]
pub mod azure;
#[cfg(feature = "gcp")]
pub mod gcp;
