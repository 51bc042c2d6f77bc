pub mod public_network_restricted;
pub mod recoverable;
