pub mod activity_log_exported;
