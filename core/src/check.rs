//! The check framework: metadata declared once, pure evaluation over a context, findings
//! built by a builder that refuses nonsense.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::model::{Inventory, Resource, ResourceRef};

mod evidence;
mod finding;
mod meta;
mod observed;
mod status;

pub use evidence::Evidence;
pub use finding::{Finding, FindingBuilder, FindingError};
pub use meta::{CheckMeta, DOC_SECTIONS};
pub use observed::Observed;
pub use status::{Severity, Status};

/// A check: static metadata and a pure evaluation over the inventory.
pub trait Check: Sync + Send {
    fn meta(&self) -> &'static CheckMeta;
    /// Evaluate every resource the check applies to. No I/O, no clock reads: everything
    /// comes from `ctx`. A resource that was evaluated gets exactly one finding.
    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError>;
}

/// What a check may look at: the inventory (typed slices of the kinds it declared), the
/// validated config and the scan's clock.
pub struct Ctx<'a> {
    pub inventory: &'a Inventory,
    pub config: &'a Config,
    /// The scan's clock: ages (backups, certificates) are measured against it.
    pub now: DateTime<Utc>,
    meta: &'static CheckMeta,
}

impl<'a> Ctx<'a> {
    pub fn new(
        meta: &'static CheckMeta,
        inventory: &'a Inventory,
        config: &'a Config,
        now: DateTime<Utc>,
    ) -> Self {
        Ctx {
            inventory,
            config,
            now,
            meta,
        }
    }

    /// The resources of one kind. The kind must be among the check's declared kinds, or the
    /// planner would not have collected it (asserted in tests and debug builds).
    pub fn resources<T: Resource>(&self) -> &'a [T] {
        debug_assert!(
            self.meta.kinds.contains(&T::KIND),
            "check {} reads {:?} without declaring it in `kinds`",
            self.meta.id,
            T::KIND
        );
        T::all(self.inventory)
    }

    pub fn finding(&self, status: Status, resource: &ResourceRef) -> FindingBuilder {
        FindingBuilder::new(self.meta.id, status, resource.clone())
    }
    pub fn pass(&self, resource: &ResourceRef) -> FindingBuilder {
        self.finding(Status::Pass, resource)
    }
    pub fn fail(&self, resource: &ResourceRef) -> FindingBuilder {
        self.finding(Status::Fail, resource)
    }
    pub fn not_applicable(&self, resource: &ResourceRef) -> FindingBuilder {
        self.finding(Status::NotApplicable, resource)
    }
    /// ERROR for one resource whose deciding value was not reported: missing data is never
    /// a PASS, and the exit code marks the scan incomplete.
    pub fn error(&self, resource: &ResourceRef) -> FindingBuilder {
        self.finding(Status::Error, resource)
    }
    /// PASS when `ok`, FAIL otherwise.
    pub fn verdict(&self, ok: bool, resource: &ResourceRef) -> FindingBuilder {
        self.finding(if ok { Status::Pass } else { Status::Fail }, resource)
    }
}
