//! AZURE checks, one file each under `azure/<service>/`. This list is the AZURE registry.

use phiscan_scanner::Check;

pub static CHECKS: &[&dyn Check] = &[];
