pub mod volume_encrypted;
