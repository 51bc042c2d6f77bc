//! Control catalogues, as data: the HIPAA Security Rule in force, and the 2025 proposed
//! revision for readiness.

pub mod hipaa;
pub mod nprm2025;

use serde::Serialize;

/// A control as it appears in reports: framework, citation and official name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ControlRef {
    pub framework: &'static str,
    pub id: &'static str,
    pub name: &'static str,
}
