//! Issue 13: resources that cannot carry tags (the IAM root account, the password policy, a
//! GCP project's audit config, ...) are always inside a data-classification scope. Before the
//! fix, `--scope-untagged exclude` dropped every finding of the checks on them, and `report`
//! reported them as untagged resources.

use serde_json::Value;

use super::support::phiscan;
use super::{findings, NOW};

/// Checks that read only kinds that cannot carry tags.
const ON_UNTAGGABLE: [&str; 3] = [
    "aws-iam-root-mfa",
    "aws-iam-password-policy",
    "gcp-project-data-access-audit-logs",
];

fn scoped_demo(untagged: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = phiscan()
        .current_dir(dir.path())
        .args(["scan", "--demo", "--format", "json", "--now", NOW])
        .args(["--scope", "data-classification=protected"])
        .args(["--scope-untagged", untagged])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn checks_on_resources_without_tags_keep_their_findings_in_a_scoped_scan() {
    for untagged in ["exclude", "report"] {
        let v = scoped_demo(untagged);
        for check in ON_UNTAGGABLE {
            let of_check: Vec<&Value> = findings(&v)
                .iter()
                .filter(|f| f["check_id"] == check)
                .collect();
            assert!(!of_check.is_empty(), "{untagged}: no finding of {check}");
            assert!(
                of_check.iter().all(|f| f["status"] != "ERROR"),
                "{untagged}: {check}: {of_check:?}"
            );
        }
    }
}

#[test]
fn resources_that_cannot_carry_tags_are_never_reported_untagged() {
    let v = scoped_demo("report");
    let untagged_kinds: Vec<&str> = findings(&v)
        .iter()
        .filter(|f| f["check_id"] == "phiscan-untagged-resource")
        .map(|f| f["resource"]["kind"].as_str().unwrap())
        .collect();
    // The report still names untagged resources that could carry a tag.
    assert!(untagged_kinds.contains(&"AwsKmsKey"), "{untagged_kinds:?}");
    for kind in [
        "AwsIamRootAccount",
        "AwsIamPasswordPolicy",
        "GcpProjectAuditConfig",
    ] {
        assert!(!untagged_kinds.contains(&kind), "{kind} reported untagged");
    }
}
