pub mod backup_retention;
pub mod geo_redundant_backup;
pub mod mysql_no_public_access;
pub mod mysql_tls_required;
pub mod postgres_no_public_access;
pub mod postgres_tls_required;
mod public_access;
mod secure_transport;
