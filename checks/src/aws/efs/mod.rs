pub mod encrypted;
