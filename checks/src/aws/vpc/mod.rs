pub mod flow_logs;
pub mod nacl_no_public_admin_ports;
