pub mod ssl_policy_tls12;
