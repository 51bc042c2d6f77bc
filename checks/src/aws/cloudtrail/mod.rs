pub mod kms_encrypted;
pub mod log_validation;
pub mod region_covered;
