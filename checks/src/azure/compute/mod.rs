pub mod disk_encrypted;
