pub mod key_rotation;
