pub mod public_network_restricted;
pub mod rbac_authorization;
pub mod recoverable;
