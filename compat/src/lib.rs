//! Transitional: the old `phiscan_scanner` paths over the new crates.
pub use phiscan_collect::{progress, providers};
pub use phiscan_core::*;
pub use phiscan_core::{
    check, config, config_file, engine, frameworks, model, pipeline, policy, profiles, scope,
    shard, waiver,
};
pub use phiscan_demo as demo;
pub use phiscan_output::evidence;
pub use phiscan_output::report;
