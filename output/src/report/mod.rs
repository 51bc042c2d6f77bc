//! The report formats, one module per format; each renders a finished [`Report`] (the report
//! model lives in phiscan-core and is re-exported here).

pub use phiscan_core::report::*;

pub mod asff;
pub mod attested;
pub mod controls;
pub mod csv;
pub mod diff;
pub mod html;
pub mod json;
pub mod junit;
pub mod merge;
pub mod ocsf;
pub mod oscal;
pub mod sarif;
pub mod table;
mod text;

/// Lowercase hex SHA-256 (shared with the evidence bundle).
pub fn text_sha256_hex(data: &[u8]) -> String {
    text::sha256_hex(data)
}
