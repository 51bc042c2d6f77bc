//! Raw evidence: the DescribeVolumes item behind an unencrypted volume's FAIL in a signed
//! bundle whose `verify` catches a changed byte; `--evidence-raw failing` and `none`.

use super::*;

fn ebs(truth: &Value, status: &str) -> String {
    truth["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["check"] == "aws-ebs-volume-encrypted" && v["status"] == status)
        .and_then(|v| v["resource"].as_str())
        .unwrap_or_else(|| panic!("the scenario has a {status} volume"))
        .to_string()
}

fn bundle(moto: &Moto, dir: &Path, extra: &[&str]) -> std::path::PathBuf {
    let path = dir.join(extra.join("-")).join("b");
    let (_, code, stderr) = scan(
        moto,
        &[&["--evidence", path.to_str().unwrap()], extra].concat(),
    );
    assert_eq!(code, 3, "{stderr}");
    path
}

fn responses(bundle: &Path) -> usize {
    let scan: Value =
        serde_json::from_str(&std::fs::read_to_string(bundle.join("scan.json")).unwrap()).unwrap();
    scan["raw_responses"].as_u64().unwrap() as usize
}

#[test]
fn an_unencrypted_volume_fails_on_the_field_ec2_returned() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("scenario");
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = support::aws("testing", SECRET);
    cmd.args(["scan", "aws", "--endpoint-url", &moto.url])
        .args(["--regions", REGIONS, "--format", "json"]);
    let (run, signed, public) = support::raw::signed_scan(&mut cmd, dir.path());
    assert_eq!(run.code, 3, "{}", run.stderr);

    let plain = ebs(&truth, "FAIL");
    let raw = support::raw::raw_behind(&signed, "aws-ebs-volume-encrypted", &plain, "FAIL");
    let (path, item) = support::raw::holding(&raw, r#""encrypted":"false""#);
    assert_eq!(
        (item["service"].as_str(), item["operation"].as_str()),
        (Some("EC2"), Some("DescribeVolumes"))
    );
    let call = &item["calls"][0];
    assert!(call["request_id"].is_string(), "{call}");
    assert!(
        call["pointer"]
            .as_str()
            .unwrap()
            .contains("/volumeSet/item/"),
        "{call}"
    );
    assert!(!std::fs::read_to_string(signed.join(path))
        .unwrap()
        .contains(SECRET));
    support::raw::assert_tamper_detected(&signed, &public, path);

    // `failing` keeps the FAIL volume's answer and drops the PASS volume's; `none` keeps none.
    let failing = bundle(&moto, dir.path(), &["--evidence-raw", "failing"]);
    support::raw::raw_behind(&failing, "aws-ebs-volume-encrypted", &plain, "FAIL");
    let record = |b: &Path, id: &str| -> Value {
        let findings: Value =
            serde_json::from_str(&std::fs::read_to_string(b.join("findings.json")).unwrap())
                .unwrap();
        let f = findings["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["resource"]["id"] == id)
            .unwrap()
            .clone();
        serde_json::from_str(
            &std::fs::read_to_string(b.join(f["evidence_ref"].as_str().unwrap())).unwrap(),
        )
        .unwrap()
    };
    let encrypted = ebs(&truth, "PASS");
    assert_eq!(
        record(&failing, &encrypted)["raw_responses"],
        serde_json::json!([])
    );
    let none = bundle(&moto, dir.path(), &["--evidence-raw", "none"]);
    assert_eq!(responses(&none), 0);
    assert!(responses(&failing) < responses(&signed));
}
