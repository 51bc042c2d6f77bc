pub mod min_tls12;
pub mod no_public_blob_access;
pub mod secure_transfer;
