//! Issue 17 against moto: the identity checks on the scan clock, and the recent-backup
//! checks of every store on complete data.

use super::*;

const AGE_CHECKS: [&str; 2] = ["aws-iam-access-key-age", "aws-iam-unused-credentials"];

/// moto makes every access key and password "now" and has no clock to move, so the
/// scenario's users are scanned again 120 days later (`--now`): every active key is then
/// too old and every credential unused. Each PASS of the two age checks becomes FAIL, each
/// NOT_APPLICABLE stays, and nothing else is reported.
#[test]
fn identity_checks_follow_the_scan_clock() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("scenario");
    let later = (chrono::Utc::now() + chrono::Duration::days(120)).to_rfc3339();
    let (report, code, stderr) = scan(&moto, &["--checks", &AGE_CHECKS.join(","), "--now", &later]);
    assert_eq!(code, 1, "failures, no errors; stderr: {stderr}");
    let aged: Vec<Value> = truth["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| AGE_CHECKS.contains(&v["check"].as_str().unwrap()))
        .map(|v| {
            let mut v = v.clone();
            if v["status"] == "PASS" {
                v["status"] = "FAIL".into();
            }
            v
        })
        .collect();
    assert!(
        aged.iter().filter(|v| v["status"] == "FAIL").count() >= 4,
        "the scenario has keys and passwords to age: {aged:?}"
    );
    assert_verdicts(
        &report,
        &serde_json::json!({ "verdicts": aged }),
        Truth::Complete,
    );
    let unused = findings(&report)
        .iter()
        .find(|f| f["resource"]["name"] == "phi-console-nomfa" && f["check_id"] == AGE_CHECKS[1])
        .expect("the console user without keys");
    assert!(
        unused["reason"]
            .as_str()
            .unwrap()
            .contains("console password"),
        "{unused}"
    );
}
