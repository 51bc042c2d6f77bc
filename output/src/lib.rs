//! phiscan's outputs: every report format ([`report`]: table, JSON v1, CSV, SARIF, JUnit,
//! HTML, OCSF, OSCAL, the control matrix), `diff` and `merge` of JSON v1 reports, and the
//! signed evidence bundle ([`evidence`]) with the one redaction path every writer uses.
//! Each format is a function of the finished [`phiscan_core::report::Report`].

// Paths the format modules were written with (`crate::check::...`) keep their meaning.
#[cfg(test)]
pub(crate) use phiscan_core::Severity;
pub(crate) use phiscan_core::{
    attested, check, frameworks, model, policy, profiles, shard, waiver,
};
pub(crate) use phiscan_core::{Hipaa, Provider, ResourceKind, ResourceRef, Status};

pub mod evidence;
pub mod report;
