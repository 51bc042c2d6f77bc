//! Policy, applied in one place: waivers, the failure threshold and the exit-code contract.
//!
//! Waivers are applied first ([`apply_waivers`]): a waived FAIL is WAIVED and no longer
//! counts towards exit code 1; an ERROR is never waived (missing data is not an accepted
//! risk), so it still makes the exit code 3.
//!
//! Exit codes (also in the README and `phiscan --help`):
//! - 0: the scan completed and no failure is at or above the threshold;
//! - 1: at least one failure at or above the threshold (`--fail-on`, default `low`);
//! - 2: usage or configuration error (nothing was scanned);
//! - 3: the scan is incomplete: some data could not be collected (ERROR findings). This
//!   wins over 1, because a partial scan must never look like a finished one; failures found
//!   are still reported.

use chrono::{DateTime, Utc};

use crate::check::{Check, CheckMeta, Ctx, Finding, FindingError, Severity, Status};
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

/// `check` with its severity replaced (`[severity]` of phiscan.toml). Check metadata is
/// `'static` everywhere (reports join findings to it), so the overridden copy is leaked:
/// once per overridden check and run, a few bytes.
pub fn with_severity(check: &'static dyn Check, severity: Severity) -> &'static dyn Check {
    let m = check.meta();
    if m.severity == severity {
        return check;
    }
    let meta: &'static CheckMeta = Box::leak(Box::new(CheckMeta {
        id: m.id,
        title: m.title,
        severity,
        provider: m.provider,
        kinds: m.kinds,
        controls: m.controls,
        doc: m.doc,
    }));
    Box::leak(Box::new(Reseverity { inner: check, meta }))
}

struct Reseverity {
    inner: &'static dyn Check,
    meta: &'static CheckMeta,
}

impl Check for Reseverity {
    fn meta(&self) -> &'static CheckMeta {
        self.meta
    }
    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        self.inner.evaluate(ctx)
    }
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
                f.waiver = Some(w.applied());
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

    fn finding(check: &str, id: &str, status: Status) -> Finding {
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
