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
    let cases: [(&[&str], &str); 8] = [
        // Another cloud's target flags.
        (
            &["gcp", "--regions", "us-east-1"],
            "`phiscan doctor aws` only",
        ),
        (&["aws", "--project", "p-1"], "`phiscan doctor gcp` only"),
        (
            &["aws", "--subscription", "s"],
            "`phiscan doctor azure` only",
        ),
        // Targets that are not ids, and selections of nothing on this cloud.
        (&["aws", "--regions", "mars-1;"], "--regions"),
        (
            &["azure", "--subscription", "prod"],
            "not a subscription id",
        ),
        (
            &["aws", "--checks", "aws-no-such-check"],
            "aws-no-such-check",
        ),
        (&["aws", "--checks", "gcp-*"], "leaves no check"),
        (&["gcp", "--policy", "no-such-profile"], "no-such-profile"),
    ];
    for (args, says) in cases {
        usage_error(&[&["doctor"], args].concat(), says);
    }
}
