pub mod access_logging;
pub mod account_public_access_block;
pub mod bucket_public_access_block;
pub mod default_encryption;
pub mod tls_only;
pub mod versioning;
