pub mod disk_cmek;
mod firewall_exposure;
pub mod firewall_no_public_admin_ports;
pub mod firewall_no_public_db_ports;
