pub mod backend_service_encrypted;
pub mod ssl_policy_tls12;
