pub mod cmk_or_double_encryption;
pub mod default_network_deny;
pub mod min_tls12;
pub mod no_public_blob_access;
pub mod no_shared_key_access;
pub mod secure_transfer;
