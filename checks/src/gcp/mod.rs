//! GCP checks, one file each under `gcp/<service>/`. This list is the GCP registry.

use phiscan_scanner::Check;

pub static CHECKS: &[&dyn Check] = &[];
