pub mod instance_imdsv2;
pub mod instance_no_public_ip;
pub(crate) mod sg_exposure;
pub mod sg_no_public_admin_ports;
pub mod sg_no_public_db_ports;
