//! One bucket whose policy the scanner may not read (403 AccessDenied on its `/?policy`
//! request, from the fault proxy in front of moto: moto does not enforce bucket policies
//! without its IAM mode) is ERROR for that bucket only: every check reading buckets reports
//! ERROR for it, naming the operation, and every other bucket keeps its verdict.

use phiscan_replay::fault::{Fault, FaultProxy, Rule};

use super::*;

const DENIED: &str = "phi-records-us";

fn s3_scan(endpoint: &str) -> (Value, i32, String) {
    run(support::aws("testing", SECRET)
        .args(["scan", "aws", "--endpoint-url", endpoint])
        .args(["--regions", REGIONS, "--format", "json"])
        .args(["--checks", "aws-s3-*", "--now", "2026-06-01T12:00:00Z"]))
}

#[test]
fn one_denied_bucket_policy_is_error_for_that_bucket_only() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    let (base, _, _) = s3_scan(&moto.url);
    let denied = Fault::Respond {
        status: 403,
        headers: vec![("Content-Type".into(), "application/xml".into())],
        body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>\
               <Message>Access Denied</Message><RequestId>fault-proxy</RequestId></Error>"
            .into(),
    };
    let proxy = FaultProxy::start(
        &moto.url,
        vec![Rule::always(&format!("/{DENIED}/?policy"), denied)],
    )
    .unwrap();
    let (report, code, stderr) = s3_scan(&proxy.base_url());
    assert!(proxy.faults_applied() >= 1, "{:#?}", proxy.log());
    assert_eq!(code, 3, "an incomplete scan exits 3: {stderr}");

    let arn = format!("arn:aws:s3:::{DENIED}");
    let (base, faulted) = (support::verdicts(&base), support::verdicts(&report));
    let checks: BTreeSet<&String> = base
        .keys()
        .filter(|(_, id)| id.starts_with("arn:aws:s3:::"))
        .map(|(c, _)| c)
        .collect();
    assert!(checks.len() >= 4, "bucket checks: {checks:?}");
    let mut others = 0;
    for (key, status) in &base {
        if key.1 == arn {
            continue;
        }
        assert_eq!(faulted.get(key), Some(status), "{key:?} changed");
        others += usize::from(key.1.starts_with("arn:aws:s3:::"));
    }
    assert!(others >= 4, "other buckets judged: {others}");
    for check in checks {
        let f = findings(&report)
            .iter()
            .find(|f| f["check_id"] == **check && f["resource"]["id"] == arn)
            .unwrap_or_else(|| panic!("no finding of {check} on {arn}"));
        assert_eq!(f["status"], "ERROR", "{f}");
        let reason = f["reason"].as_str().unwrap();
        assert!(
            reason.starts_with(&format!(
                "Could not read s3:GetBucketPolicy for {DENIED}: AccessDenied"
            )),
            "{reason}"
        );
    }
    // Nothing else was added: no scope-wide ERROR for buckets.
    assert_eq!(
        faulted.len(),
        base.len(),
        "{:?}",
        faulted
            .keys()
            .filter(|k| !base.contains_key(*k))
            .collect::<Vec<_>>()
    );
}
