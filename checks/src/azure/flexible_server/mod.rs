pub mod mysql_tls_required;
pub mod postgres_tls_required;
mod secure_transport;
