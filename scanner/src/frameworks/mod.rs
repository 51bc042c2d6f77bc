//! Control catalogues, as data. HIPAA Security Rule first.

pub mod hipaa;

use serde::Serialize;

/// A control as it appears in reports: framework, citation and official name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ControlRef {
    pub framework: &'static str,
    pub id: &'static str,
    pub name: &'static str,
}
