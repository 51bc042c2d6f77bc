pub mod firewall_no_public;
pub mod tde_enabled;
