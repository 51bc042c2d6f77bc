pub mod flow_logs;
