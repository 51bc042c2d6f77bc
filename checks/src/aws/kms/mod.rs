pub mod key_not_public;
pub mod key_rotation;
