//! Policy, applied in one place: the failure threshold and the exit-code contract.
//!
//! Exit codes (also in the README and `phiscan --help`):
//! - 0: the scan completed and no failure is at or above the threshold;
//! - 1: at least one failure at or above the threshold (`--fail-on`, default `low`);
//! - 2: usage or configuration error (nothing was scanned);
//! - 3: the scan is incomplete: some data could not be collected (ERROR findings). This
//!   wins over 1, because a partial scan must never look like a finished one; failures found
//!   are still reported.

use crate::check::{Severity, Status};

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

#[cfg(test)]
mod tests {
    use super::*;
    use Severity::*;
    use Status::*;

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
