//! phiscan's pure core: the typed inventory and its kind table ([`model`]), the check
//! framework ([`check`]), the control catalogues ([`frameworks`]), selection, planning and
//! evaluation ([`engine`]), policy (waivers, severity, exit codes: [`policy`]), the
//! configuration ([`config`], [`config_file`]), policy profiles ([`profiles`]), scope and
//! sharding, and the report model every output format renders ([`report`]).
//!
//! Data flow (docs/architecture.md), run by [`pipeline::run`]: select and plan -> collect (phiscan-collect) ->
//! [`model::Inventory`] -> [`engine::evaluate`] -> [`policy`] -> [`report::Report`] ->
//! formats and evidence (phiscan-output).
//!
//! Why a crate of its own: checks (phiscan-checks) depend on this crate only, so nothing lets
//! a check reach an SDK, an async runtime, the network or a file format; `cargo tree -p
//! phiscan-checks` shows it. Its dependencies are data-structure crates (serde, chrono,
//! globset, rayon, toml for phiscan.toml and profiles, sha2 for shard assignment).

pub mod attested;
pub mod check;
pub mod config;
pub mod config_file;
pub mod engine;
pub mod frameworks;
pub mod glob;
pub mod model;
pub mod network;
pub mod paths;
pub mod pipeline;
pub mod policy;
pub mod profiles;
pub mod quote;
mod registry;
pub mod report;
pub mod scope;
pub mod shard;
pub mod waiver;

pub use check::{Check, CheckMeta, Ctx, Finding, FindingError, Severity, Status};
pub use config::Config;
pub use frameworks::hipaa::Hipaa;
pub use model::{Inventory, Provider, ResourceKind, ResourceRef};
