//! A live collection handed over in parts (one account of an organization at a time,
//! [`Collect::collect_parts`](super::Collect::collect_parts)): each part is evaluated and
//! scoped as it arrives, its findings kept, and its resources dropped unless the outputs
//! need them, so an organization scan holds the accounts still being collected, not all.
//!
//! Why the findings are the same as evaluating the parts absorbed into one inventory: a
//! check judges an account from that account's resources (every cross-resource lookup is
//! within one account: `tests/aws_org.rs` and this module's tests compare both ways), the
//! engine turns an account's failed collections into that account's ERRORs, and the scope
//! of a finding is decided by its own resource. What is global (the order of findings, a
//! check's own ERROR, waivers) is done once, over every part's findings
//! ([`Policy::judge`]).

use chrono::{DateTime, Utc};

use crate::check::{Check, Finding};
use crate::config::Config;
use crate::engine;
use crate::model::{Inventory, Provider};
use crate::policy::Policy;

/// What every part is judged with.
pub(super) struct Scan<'a> {
    pub checks: &'a [&'static dyn Check],
    pub config: &'a Config,
    pub policy: &'a Policy,
    /// Labels the untagged-resource check.
    pub first_provider: Provider,
    pub now: DateTime<Utc>,
}

/// The findings and the inventory kept so far.
pub(super) struct Parts<'a> {
    scan: Scan<'a>,
    keep_resources: bool,
    findings: Vec<Finding>,
    kept: Inventory,
    count: usize,
}

impl<'a> Parts<'a> {
    pub fn new(scan: Scan<'a>, keep_resources: bool) -> Self {
        Parts {
            scan,
            keep_resources,
            findings: Vec::new(),
            kept: Inventory::new(),
            count: 0,
        }
    }

    /// Evaluate and scope one part; keep its findings, and its resources only when asked.
    pub fn add(&mut self, part: Inventory) {
        let s = &self.scan;
        let mut found = engine::evaluate(s.checks, &part, s.config, s.now);
        s.policy.scope_findings(&mut found, &part, s.first_provider);
        self.findings.append(&mut found);
        self.count += 1;
        if self.keep_resources {
            self.kept.absorb(part);
        } else {
            self.kept.absorb(summary(part));
        }
    }

    /// The inventory kept and every part's findings (ordered by [`Policy::judge`]).
    pub fn finish(self) -> (Inventory, Vec<Finding>) {
        let mut kept = self.kept;
        // One part is the collector's inventory as it made it. Several are put in the order
        // one collector's inventory has, whichever part finished first.
        if self.count > 1 {
            kept.scopes
                .sort_by(|a, b| (a.provider, &a.account).cmp(&(b.provider, &b.account)));
            kept.api_calls
                .sort_by(|a, b| (a.started_at, &a.operation).cmp(&(b.started_at, &b.operation)));
            kept.sort();
        }
        (kept, self.findings)
    }
}

/// What the outcome needs of a part once it is evaluated: where it was collected, what
/// failed, the calls made and when (the report's scope, API calls and times).
fn summary(part: Inventory) -> Inventory {
    split(part).0
}

/// The [`summary`] of `part`, and the rest of it (its resources).
pub(super) fn split(mut part: Inventory) -> (Inventory, Inventory) {
    let mut kept = Inventory::new();
    kept.scopes = std::mem::take(&mut part.scopes);
    kept.errors = std::mem::take(&mut part.errors);
    kept.api_calls = std::mem::take(&mut part.api_calls);
    kept.collection_started_at = part.collection_started_at;
    kept.collected_at = part.collected_at;
    (kept, part)
}

#[cfg(test)]
mod tests;
