pub mod data_access_audit_logs;
pub mod sink_exists;
