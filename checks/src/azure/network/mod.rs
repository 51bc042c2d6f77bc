mod nsg_exposure;
pub mod nsg_no_public_admin_ports;
pub mod nsg_no_public_db_ports;
