pub mod bucket_cmek;
pub mod bucket_logging;
pub mod bucket_not_public;
pub mod bucket_public_access_prevention;
pub mod bucket_uniform_access;
pub mod bucket_versioning;
