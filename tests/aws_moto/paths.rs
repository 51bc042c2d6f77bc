//! aws-vpc-no-cross-customer-path when one transit gateway route table's routes cannot be
//! read (403 from the fault proxy for that table's SearchTransitGatewayRoutes only): ERROR
//! for the attachment the table serves, every other attachment keeps its verdict.

use phiscan_replay::fault::{Fault, FaultProxy, Rule};

use super::*;

const CHECK: &str = "aws-vpc-no-cross-customer-path";

fn scan_paths(endpoint: &str) -> (Value, i32, String) {
    let config =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aws/phiscan-segmentation.toml");
    run(support::aws("testing", SECRET)
        .args(["scan", "aws", "--endpoint-url", endpoint])
        .arg("--config")
        .arg(&config)
        .args(["--regions", REGIONS, "--format", "json", "--checks", CHECK])
        .args(["--now", "2026-06-01T12:00:00Z"]))
}

#[test]
fn one_unreadable_route_table_is_error_for_the_attachment_it_serves_only() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    let (base, _, stderr) = scan_paths(&moto.url);
    let before = support::verdicts(&base);
    // The attachment whose own table routes to another alpha VPC only (its PASS).
    let served = findings(&base)
        .iter()
        .find(|f| {
            f["resource"]["id"]
                .as_str()
                .is_some_and(|id| id.contains(":transit-gateway-attachment/"))
                && f["status"] == "PASS"
        })
        .unwrap_or_else(|| panic!("no passing attachment: {stderr} {base}"));
    let target = served["resource"]["id"].as_str().unwrap().to_string();
    let table = served["evidence"]["paths"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["direction"] == "outbound")
        .and_then(|p| p["route_table_id"].as_str())
        .unwrap()
        .to_string();

    let body = "<Response><Errors><Error><Code>AccessDenied</Code>\
                <Message>not authorized (fault proxy)</Message></Error></Errors>\
                <RequestID>fault-proxy</RequestID></Response>";
    // The query body names the action, the version, then the table.
    let rule = Rule::always(
        &format!("Action=SearchTransitGatewayRoutes&Version=2016-11-15&TransitGatewayRouteTableId={table}"),
        Fault::Respond {
            status: 403,
            headers: vec![("Content-Type".into(), "text/xml".into())],
            body: body.into(),
        },
    );
    let proxy = FaultProxy::start(&moto.url, vec![rule]).unwrap();
    let (report, code, stderr) = scan_paths(&proxy.base_url());
    assert_eq!(proxy.faults_applied(), 1, "{:#?}", proxy.log());
    assert_eq!(code, 3, "an incomplete scan exits 3: {stderr}");
    let after = support::verdicts(&report);

    let target_key = (CHECK.to_string(), target.clone());
    assert_eq!(after.get(&target_key).map(String::as_str), Some("ERROR"));
    let f = findings(&report)
        .iter()
        .find(|f| f["resource"]["id"] == target.as_str())
        .unwrap();
    let reason = f["reason"].as_str().unwrap();
    assert!(
        reason.contains("ec2:SearchTransitGatewayRoutes") && reason.contains(&table),
        "{reason}"
    );
    // The other attachments keep their verdicts (both FAIL: alpha's table routes to beta).
    let attachments: Vec<_> = before
        .iter()
        .filter(|((_, id), _)| id.contains(":transit-gateway-attachment/") && **id != target)
        .collect();
    assert_eq!(attachments.len(), 2, "{before:?}");
    for (key, status) in attachments {
        assert_eq!(after.get(key), Some(status), "{key:?} changed");
    }
    // Peerings: an observed FAIL stays; the engine withholds the check's PASS and
    // NOT_APPLICABLE findings of other kinds in the region of a half-read resource.
    for ((check, id), status) in &before {
        if id.contains(":vpc-peering-connection/") {
            let kept = after.get(&(check.clone(), id.clone()));
            match status.as_str() {
                "FAIL" => assert_eq!(kept.map(String::as_str), Some("FAIL"), "{id}"),
                _ => assert_eq!(kept, None, "{id}: {status} not withheld"),
            }
        }
    }
}
