//! phiscan's evaluation bench (issue 21): synthetic inventories built from the demo estate
//! ([`synth`]) and the scan's stages timed one by one ([`stages`]). A crate of its own, with
//! `publish = false`, so that `cargo install phiscan` never installs it.
//!
//! `ci/bench-eval.sh` generates inventories of 10k, 100k and 1M resources with
//! `phiscan-bench generate`, prints these stages' figures with `phiscan-bench stages`, and
//! times the release binary end to end; `cargo bench -p phiscan-bench` gives divan's
//! statistics for the in-process stages. BENCHMARKS.md holds the figures.

pub mod stages;
pub mod synth;
