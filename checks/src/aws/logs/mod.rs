pub mod group_kms;
pub mod group_retention;
