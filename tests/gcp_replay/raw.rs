//! Raw evidence: the Storage API's IAM policy behind a public bucket's FAIL and the Compute
//! API's disk behind a disk's FAIL, in a signed bundle whose `verify` catches a changed byte.

use super::*;

#[test]
fn a_public_bucket_fails_on_the_binding_the_api_returned() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = phiscan(dir.path());
    cmd.args(["scan", "gcp", "--format", "json", "--now", NOW])
        .args(["--gcp-endpoint", replay.base_url()]);
    let (run, bundle, public) = support::raw::signed_scan(&mut cmd, dir.path());
    assert_eq!(run.code, 3, "{}", run.stderr);

    let assets = bucket("janus-patient-portal-assets");
    let raw = support::raw::raw_behind(&bundle, PUBLIC, &assets, "FAIL");
    let (path, policy) = support::raw::holding(&raw, r#""allUsers""#);
    assert_eq!(policy["service"], "storage.googleapis.com");
    assert!(policy["calls"][0]["time"].is_string());

    // A disk read through the official Compute client: its item of the aggregated list.
    let (_, disk, _) = expected_prod()
        .into_iter()
        .find(|(c, _, s)| *c == DISK && *s == "FAIL")
        .expect("a disk without CMEK in the scenario");
    let raw = support::raw::raw_behind(&bundle, DISK, &disk, "FAIL");
    let name = disk.rsplit('/').next().unwrap();
    let (_, item) = support::raw::holding(&raw, &format!(r#""name":"{name}""#));
    assert!(!item["body"].to_string().contains("kmsKeyName"), "{item}");
    assert!(item["calls"][0]["pointer"]
        .as_str()
        .unwrap()
        .starts_with("/items/"));

    support::raw::assert_tamper_detected(&bundle, &public, path);
}
