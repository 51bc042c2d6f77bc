//! Issue 17 against moto: the identity checks on the scan clock, and a denied list and a
//! failing detail read of the new collectors.

use phiscan_replay::fault::{Fault, FaultProxy, Rule};

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

/// Through the fault proxy: the first GuardDuty ListDetectors is denied (one region's
/// detectors unknown: ERROR for that region, the other keeps its verdict), and every
/// DescribeLoadBalancerPolicies of `phi-classic-legacy` fails with HTTP 500 (ERROR for that
/// load balancer only, naming the operation; the other keeps its PASS).
#[test]
fn a_denied_list_and_a_failing_detail_read_are_errors_where_they_happen() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("scenario");
    let denied = Fault::Respond {
        status: 403,
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("x-amzn-ErrorType".into(), "AccessDeniedException".into()),
        ],
        body: r#"{"message":"not authorized (fault proxy)"}"#.into(),
    };
    let proxy = FaultProxy::start(
        &moto.url,
        vec![
            Rule::once("GET /detector", denied),
            Rule::always("LoadBalancerName=phi-classic-legacy", Fault::server_error()),
        ],
    )
    .unwrap();
    let (report, code, stderr) = run(support::aws("testing", SECRET)
        .args(["scan", "aws", "--endpoint-url", &proxy.base_url()])
        .args(["--regions", REGIONS, "--format", "json"])
        .args(["--checks", "aws-guardduty-enabled,aws-elb-classic-tls"]));
    assert_eq!(code, 3, "an incomplete scan exits 3: {stderr}");
    let got = support::verdicts(&report);
    let truth_of = |id: &str| {
        truth["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["resource"] == id)
            .map(|v| v["status"].as_str().unwrap().to_string())
    };
    let region_errors: Vec<&str> = ["us-east-1", "eu-west-1"]
        .into_iter()
        .filter(|r| {
            let id = format!("aws/{ACCOUNT}/{r}/AwsGuardDutyRegion");
            got.get(&("aws-guardduty-enabled".into(), id))
                .map(String::as_str)
                == Some("ERROR")
        })
        .collect();
    assert_eq!(region_errors.len(), 1, "{got:#?}");
    let judged = if region_errors[0] == "us-east-1" {
        "eu-west-1"
    } else {
        "us-east-1"
    };
    let id = format!("arn:aws:guardduty:{judged}:{ACCOUNT}:detectors");
    assert_eq!(
        got.get(&("aws-guardduty-enabled".into(), id.clone())),
        truth_of(&id).as_ref()
    );

    let elb = |name: &str, region: &str| {
        let id = format!("arn:aws:elasticloadbalancing:{region}:{ACCOUNT}:loadbalancer/{name}");
        (
            ("aws-elb-classic-tls".to_string(), id.clone()),
            truth_of(&id),
        )
    };
    let (tls12, want) = elb("phi-classic-tls12", "us-east-1");
    assert_eq!(got.get(&tls12), want.as_ref());
    let (legacy, _) = elb("phi-classic-legacy", "eu-west-1");
    assert_eq!(got.get(&legacy).map(String::as_str), Some("ERROR"));
    let f = findings(&report)
        .iter()
        .find(|f| f["resource"]["id"] == legacy.1.as_str())
        .unwrap();
    assert!(
        f["reason"]
            .as_str()
            .unwrap()
            .contains("elasticloadbalancing:DescribeLoadBalancerPolicies"),
        "{f}"
    );
    assert_eq!(got.len(), 4, "nothing else: {got:#?}");
}
