pub mod disk_encrypted;
pub mod disk_network_access;
pub mod vm_encryption_at_host;
pub mod vm_no_public_ip;
