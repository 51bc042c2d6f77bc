//! phiscan engine: the typed inventory model, the check framework, the HIPAA control
//! catalogue, evaluation, policy (exit codes) and report formats.
//!
//! Data flow (see DESIGN.md), run by [`pipeline::run`]: select and plan -> collect ->
//! [`model::Inventory`] -> [`engine::evaluate`] -> [`policy`] -> [`report`].

pub mod check;
pub mod config;
pub mod config_file;
pub mod demo;
pub mod engine;
pub mod evidence;
pub mod frameworks;
pub mod model;
pub mod pipeline;
pub mod policy;
pub mod profiles;
pub mod progress;
pub mod providers;
pub mod report;
pub mod scope;
pub mod shard;
pub mod waiver;

pub use check::{Check, CheckMeta, Ctx, Finding, FindingError, Severity, Status};
pub use config::Config;
pub use frameworks::hipaa::Hipaa;
pub use model::{Inventory, Provider, ResourceKind, ResourceRef};
