//! `phiscan doctor`'s usage errors, before any credential or network is touched: exit 2 and
//! one line, as for `scan`.

use super::*;

fn usage_error(args: &[&str], says: &str) {
    let out = support::run(phiscan().args(args));
    assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn doctor_usage_errors_exit_2_without_probing() {
    // Another cloud's target flags.
    usage_error(
        &["doctor", "gcp", "--regions", "us-east-1"],
        "`phiscan doctor aws` only",
    );
    usage_error(
        &["doctor", "aws", "--project", "p-1"],
        "`phiscan doctor gcp` only",
    );
    usage_error(
        &["doctor", "aws", "--subscription", "s"],
        "`phiscan doctor azure` only",
    );
    // Targets that are not ids, and a selection of nothing on this cloud.
    usage_error(&["doctor", "aws", "--regions", "mars-1;"], "--regions");
    usage_error(
        &["doctor", "azure", "--subscription", "prod"],
        "not a subscription id",
    );
    usage_error(
        &["doctor", "aws", "--checks", "aws-no-such-check"],
        "aws-no-such-check",
    );
    usage_error(&["doctor", "aws", "--checks", "gcp-*"], "leaves no check");
    usage_error(
        &["doctor", "gcp", "--policy", "no-such-profile"],
        "no-such-profile",
    );
}
