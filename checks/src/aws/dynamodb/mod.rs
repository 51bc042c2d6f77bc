pub mod encrypted_cmk;
pub mod pitr;
