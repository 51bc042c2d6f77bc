pub mod no_plain_http;
pub mod tls12_policy;
