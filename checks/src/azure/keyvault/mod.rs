pub mod recoverable;
