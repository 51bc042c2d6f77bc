pub mod auditing_enabled;
pub mod firewall_no_public;
pub mod min_tls12;
pub mod tde_enabled;
