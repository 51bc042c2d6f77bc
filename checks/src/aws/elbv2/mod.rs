pub mod listener_tls;
pub mod tls_policy;
