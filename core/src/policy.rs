//! Policy, applied in one place ([`Policy::apply`], then [`Policy::report`]): the
//! data-classification scope (with the untagged-resource findings), severity overrides,
//! waivers, the failure threshold and the exit-code contract. Every report is built by
//! [`Report::build`], which takes its exit code from [`exit_code`].
//!
//! Severity overrides live on the report's checks and findings
//! ([`ReportCheck::severity`](crate::report::ReportCheck)), never in a changed copy of a
//! check's static metadata: formats and the exit code read the effective severity.
//!
//! Waivers are applied after the scope ([`apply_waivers`]): a waived FAIL is WAIVED and no
//! longer counts towards exit code 1; an ERROR is never waived (missing data is not an
//! accepted risk), so it still makes the exit code 3.
//!
//! Exit codes (also in the README and `phiscan --help`):
//! - 0: the scan completed and no failure is at or above the threshold;
//! - 1: at least one failure at or above the threshold (`--fail-on`, default `low`);
//! - 2: usage or configuration error (nothing was scanned);
//! - 3: the scan is incomplete: some data could not be collected (ERROR findings). This
//!   wins over 1, because a partial scan must never look like a finished one; failures found
//!   are still reported.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::check::{Check, CheckMeta, Finding, Severity, Status};
use crate::engine;
use crate::model::{Inventory, Provider};
use crate::report::{Report, ReportCheck, ScanInfo};
use crate::scope::{untagged_meta, ScopeFilter, Untagged, UNTAGGED_CHECK_ID};
use crate::waiver::{Waiver, WaiverResult, WaiverState};

pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILURES: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_INCOMPLETE: i32 = 3;

/// Failures below this severity are reported but do not fail the scan.
pub const DEFAULT_FAIL_ON: Severity = Severity::Low;

/// The exit code for a set of (status, severity) verdicts.
pub fn exit_code(verdicts: impl IntoIterator<Item = (Status, Severity)>, fail_on: Severity) -> i32 {
    let mut failed = false;
    for (status, severity) in verdicts {
        match status {
            Status::Error => return EXIT_INCOMPLETE,
            Status::Fail if severity >= fail_on => failed = true,
            _ => {}
        }
    }
    if failed {
        EXIT_FAILURES
    } else {
        EXIT_OK
    }
}

/// The exit code of `phiscan diff`: 1 when a finding that newly fails (severities given) is
/// at or above `fail_on`. Missing data is reported by the diff, not by its exit code.
pub fn regression_exit_code(
    newly_failing: impl IntoIterator<Item = Severity>,
    fail_on: Severity,
) -> i32 {
    if newly_failing.into_iter().any(|s| s >= fail_on) {
        EXIT_FAILURES
    } else {
        EXIT_OK
    }
}

/// What the configuration decides about findings once the checks have run.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The data-classification scope; `None` reports every resource.
    pub scope: Option<ScopeFilter>,
    /// The waivers of phiscan.toml, in file order.
    pub waivers: Vec<Waiver>,
    /// `[severity]` of phiscan.toml: the severity a check's failures have in this scan.
    pub severity: BTreeMap<String, Severity>,
    /// Failures at or above this severity make exit code 1.
    pub fail_on: Severity,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            scope: None,
            waivers: Vec::new(),
            severity: BTreeMap::new(),
            fail_on: DEFAULT_FAIL_ON,
        }
    }
}

/// Findings after policy, with the checks they are reported under (the untagged-resource
/// check included when the scope reports untagged resources).
#[derive(Debug, Clone)]
pub struct Judged {
    pub checks: Vec<ReportCheck>,
    pub findings: Vec<Finding>,
    pub waivers: Vec<WaiverResult>,
}

impl Policy {
    /// Apply the scope (out-of-scope findings dropped, untagged resources reported), the
    /// severity overrides and the waivers to the findings of `checks` over `inventory`.
    /// `first_provider` labels the untagged-resource check (see [`untagged_meta`]).
    pub fn apply(
        &self,
        checks: &[&'static dyn Check],
        mut findings: Vec<Finding>,
        inventory: &Inventory,
        first_provider: Provider,
        now: DateTime<Utc>,
    ) -> Judged {
        self.scope_findings(&mut findings, inventory, first_provider);
        self.judge(checks, findings, first_provider, now)
    }

    /// The scope over the findings of one inventory: out-of-scope findings dropped, the
    /// untagged resources reported. Per inventory, so that an organization's accounts can be
    /// judged as each is collected: the scope of a finding is decided by its own resource,
    /// which lives in the same account's inventory.
    pub fn scope_findings(
        &self,
        findings: &mut Vec<Finding>,
        inventory: &Inventory,
        first_provider: Provider,
    ) {
        if let Some(untagged) = self
            .scope
            .as_ref()
            .and_then(|s| s.apply(findings, inventory))
        {
            let meta = untagged_meta(first_provider);
            findings.extend(untagged.unwrap_or_else(|e| {
                vec![engine::internal_error(
                    meta.id,
                    first_provider,
                    &e.to_string(),
                )]
            }));
        }
    }

    /// The severity overrides and the waivers over every finding of the scan, scoped by
    /// [`Policy::scope_findings`]; findings in report order.
    pub fn judge(
        &self,
        checks: &[&'static dyn Check],
        mut findings: Vec<Finding>,
        first_provider: Provider,
        now: DateTime<Utc>,
    ) -> Judged {
        let mut runs: Vec<ReportCheck> = checks.iter().map(|c| self.check(c.meta())).collect();
        if self
            .scope
            .as_ref()
            .is_some_and(|s| s.untagged == Untagged::Report)
        {
            runs.push(self.check(untagged_meta(first_provider)));
        }
        engine::sort_findings(&mut findings);
        // A check that fails as a whole (its own ERROR, on no account) says so once, however
        // many inventories it was evaluated over.
        findings.dedup_by(|a, b| a.resource.account == "-" && a == b);
        let ids: Vec<&str> = runs.iter().map(|c| c.meta.id).collect();
        let waivers = apply_waivers(&mut findings, &self.waivers, &ids, now);
        Judged {
            checks: runs,
            findings,
            waivers,
        }
    }

    /// `meta` with the severity this policy gives its failures.
    fn check(&self, meta: &'static CheckMeta) -> ReportCheck {
        ReportCheck {
            meta,
            severity: self.severity.get(meta.id).copied().unwrap_or(meta.severity),
        }
    }

    /// The report of `judged` (its exit code from the effective severities against
    /// `scan.fail_on`), with the waivers' outcomes and the scope attached.
    pub fn report(&self, scan: ScanInfo, judged: Judged) -> Report {
        Report::build(scan, judged.checks, judged.findings)
            .with_policy(judged.waivers, self.scope.as_ref().map(|s| s.describe()))
    }
}

/// The metadata of check `id`: a registered check, or the untagged-resource check policy
/// reports under (labelled with `provider`). For reports read back from JSON.
pub fn check_meta(
    registry: &[&'static dyn Check],
    id: &str,
    provider: Provider,
) -> Option<&'static CheckMeta> {
    let untagged = untagged_meta(provider);
    if id == untagged.id {
        return Some(untagged);
    }
    registry.iter().map(|c| c.meta()).find(|m| m.id == id)
}

/// Every check id a report of this phiscan can list, in the order a scan lists them: the
/// registry's, then the untagged-resource check.
pub fn check_ids(registry: &[&'static dyn Check]) -> Vec<&'static str> {
    registry
        .iter()
        .map(|c| c.meta().id)
        .chain([UNTAGGED_CHECK_ID])
        .collect()
}

/// Turn every FAIL a waiver in force covers into WAIVED (the first matching waiver, in
/// file order, is recorded on the finding), and say what became of each waiver whose check
/// ran: applied, expired (its findings stay FAIL) or unmatched. `now` is the scan clock, so
/// expiry is as reproducible as the scan. Waivers of checks that did not run are left out.
pub fn apply_waivers(
    findings: &mut [Finding],
    waivers: &[Waiver],
    checks_run: &[&str],
    now: DateTime<Utc>,
) -> Vec<WaiverResult> {
    let today = now.date_naive();
    let mut hits = vec![0usize; waivers.len()];
    for f in findings.iter_mut().filter(|f| f.status == Status::Fail) {
        let mut waived = false;
        for (i, w) in waivers.iter().enumerate() {
            if !w.covers(&f.check_id, &f.resource.id, &f.resource.name) {
                continue;
            }
            hits[i] += 1;
            if !waived && !w.expired_at(today) {
                f.status = Status::Waived;
                f.waiver = Some(Box::new(w.applied()));
                waived = true;
            }
        }
    }
    waivers
        .iter()
        .zip(hits)
        .filter(|(w, _)| checks_run.contains(&w.check.as_str()))
        .map(|(w, n)| WaiverResult {
            check: w.check.clone(),
            resource: w.resource.clone(),
            justification: w.justification.clone(),
            approver: w.approver.clone(),
            expires: w.expires,
            state: if w.expired_at(today) {
                WaiverState::Expired
            } else if n == 0 {
                WaiverState::Unmatched
            } else {
                WaiverState::Applied
            },
            findings: n,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FindingBuilder;
    use crate::model::{ResourceKind, ResourceRef};
    use chrono::{NaiveDate, TimeZone};
    use Severity::*;
    use Status::*;

    fn finding(check: &'static str, id: &str, status: Status) -> Finding {
        let r = ResourceRef::new(
            ResourceKind::AwsS3Bucket,
            "1",
            "us-east-1",
            id,
            "name-".to_string() + id,
        );
        FindingBuilder::new(check, status, r)
            .evidence("x", 1)
            .reason("r")
            .build()
            .unwrap()
    }

    fn waiver(check: &str, glob: &str, expires: (i32, u32, u32)) -> Waiver {
        let d = NaiveDate::from_ymd_opt(expires.0, expires.1, expires.2).unwrap();
        Waiver::new(check, glob, "accepted", "ciso@example.org", d).unwrap()
    }

    #[test]
    fn waivers_turn_fail_into_waived_never_error_and_report_their_state() {
        let mut f = vec![
            finding("c", "arn:b/1", Fail),
            finding("c", "arn:b/2", Error),
            finding("c", "arn:other", Fail),
            finding("d", "arn:b/1", Fail),
        ];
        let ws = vec![
            waiver("c", "arn:b/*", (2026, 6, 30)),
            waiver("d", "arn:b/*", (2026, 5, 31)),
            waiver("c", "name-arn:other", (2026, 6, 30)),
            waiver("c", "arn:gone", (2026, 6, 30)),
            waiver("e", "*", (2026, 6, 30)),
        ];
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        let results = apply_waivers(&mut f, &ws, &["c", "d"], now);
        let st: Vec<Status> = f.iter().map(|f| f.status).collect();
        assert_eq!(st, [Waived, Error, Waived, Fail]);
        assert_eq!(f[0].waiver.as_ref().unwrap().approver, "ciso@example.org");
        assert!(f[1].waiver.is_none());
        let states: Vec<(WaiverState, usize)> =
            results.iter().map(|r| (r.state, r.findings)).collect();
        assert_eq!(
            states,
            [
                (WaiverState::Applied, 1),
                (WaiverState::Expired, 1),
                (WaiverState::Applied, 1),
                (WaiverState::Unmatched, 0)
            ]
        );
        // The last day of a waiver still counts.
        let mut g = vec![finding("d", "arn:b/1", Fail)];
        let last_day = Utc.with_ymd_and_hms(2026, 5, 31, 23, 59, 0).unwrap();
        apply_waivers(&mut g, &ws[1..2], &["d"], last_day);
        assert_eq!(g[0].status, Waived);
        assert_eq!(exit_code([(Waived, Critical)], Low), 0);
    }

    #[test]
    fn reports_read_back_know_the_untagged_check_and_diffs_fail_on_regressions_only() {
        let registry: Vec<&'static dyn Check> = vec![&crate::engine::tests::Vols];
        let untagged = check_meta(&registry, UNTAGGED_CHECK_ID, Provider::Gcp).unwrap();
        assert_eq!(untagged.provider, Provider::Gcp);
        assert_eq!(
            check_meta(&registry, "t-vols", Provider::Gcp).unwrap().id,
            "t-vols"
        );
        assert!(check_meta(&registry, "t-gone", Provider::Aws).is_none());
        // Merged reports list the untagged check after the registry's, as one scan does.
        assert_eq!(check_ids(&registry), ["t-vols", UNTAGGED_CHECK_ID]);
        assert_eq!(regression_exit_code([Low, High], High), EXIT_FAILURES);
        assert_eq!(regression_exit_code([Low], High), EXIT_OK);
    }

    #[test]
    fn contract() {
        assert_eq!(exit_code([], Low), 0);
        assert_eq!(exit_code([(Pass, High), (NotApplicable, High)], Low), 0);
        assert_eq!(exit_code([(Fail, Low)], Low), 1);
        assert_eq!(exit_code([(Fail, Low)], High), 0);
        assert_eq!(exit_code([(Fail, Critical)], High), 1);
        assert_eq!(exit_code([(Fail, Critical), (Error, Info)], Low), 3);
        assert_eq!(exit_code([(Error, Info)], Critical), 3);
    }
}
