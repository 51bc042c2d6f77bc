//! Faults end to end: the real binary scans through a fault-injecting proxy of our own
//! (`phiscan_replay::fault`) on 127.0.0.1, in front of the GCP and Azure replay servers and of
//! moto. Transient faults (one throttling answer, one 500, a connection closed without an
//! answer, a slow answer) must be ridden out by retries: the verdicts equal those of the scan
//! without faults. Persistent faults (5xx past every retry, truncated and malformed bodies)
//! must make the checks that needed that data ERROR, never PASS, and the scan exit 3.
//! Throttling (the proxy's token buckets, answering each API's own throttling error) must be
//! ridden out too, and counted in the report's `scan.throttled`.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use phiscan_replay::fault::{Buckets, Fault, FaultProxy, Options, Rate, Rule};
use phiscan_replay::Replay;
use serde_json::Value;
use support::moto::Moto;
use support::{verdicts, Verdicts};

const NOW: &str = "2026-06-01T12:00:00Z";

fn run(cmd: &mut Command) -> (Value, i32) {
    let out = support::run(cmd);
    (out.report(), out.code)
}

/// No finding passes under faults that did not pass without them, and the faults cost
/// some PASS verdicts (so they really hit data the checks needed).
fn assert_no_new_pass(base: &Verdicts, faulted: &Verdicts) {
    let mut wrong = Vec::new();
    for (key, status) in faulted {
        if status == "PASS" && base.get(key).map(String::as_str) != Some("PASS") {
            wrong.push(format!(
                "{key:?}: PASS under faults, {:?} without",
                base.get(key)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let passes = |v: &Verdicts| v.values().filter(|s| *s == "PASS").count();
    assert!(
        passes(faulted) < passes(base),
        "the faults changed no verdict: {} PASS either way",
        passes(base)
    );
}

/// Every finding of `check` in `account` is ERROR, with a reason.
fn assert_error(report: &Value, check: &str, account: &str) {
    let of: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == check && f["account"] == account)
        .collect();
    assert!(!of.is_empty(), "no finding of {check} in {account}");
    for f in of {
        assert_eq!(f["status"], "ERROR", "{check} in {account}: {f}");
        assert!(f["reason"].as_str().unwrap().len() > 10, "{f}");
    }
}

// ---------------------------------------------------------------- GCP

const GCP_TOKEN: &str = "ya29.phiscan-fault-test-token";

fn gcp(endpoint: &str) -> Command {
    let home = tempfile::tempdir().unwrap().keep();
    let mut c = support::gcp(GCP_TOKEN, &home);
    c.args(["scan", "gcp", "--format", "json", "--now", NOW])
        .args(["--gcp-endpoint", endpoint]);
    c
}

fn gcp_replay() -> Replay {
    Replay::start(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/gcp/estate"))
        .expect("replay starts")
}

#[test]
fn gcp_transient_faults_are_ridden_out() {
    let replay = gcp_replay();
    let (base, base_code) = run(&mut gcp(replay.base_url()));
    let proxy = FaultProxy::start(
        replay.base_url(),
        vec![
            Rule::once("/aggregated/disks", Fault::throttle()),
            Rule::once("/global/firewalls", Fault::server_error()),
            Rule::once("/storage/v1/b?", Fault::Close),
            Rule::once("/keyRings", Fault::Delay(Duration::from_millis(300))),
        ],
    )
    .unwrap();
    let (faulted, code) = run(&mut gcp(&proxy.base_url()));
    assert_eq!(proxy.faults_applied(), 4, "{:#?}", proxy.log());
    assert_eq!(verdicts(&faulted), verdicts(&base));
    assert_eq!(code, base_code);
}

#[test]
fn gcp_persistent_faults_are_error_never_pass() {
    let replay = gcp_replay();
    let (base, _) = run(&mut gcp(replay.base_url()));
    const P: &str = "janus-ehr-prod";
    let proxy = FaultProxy::start(
        replay.base_url(),
        vec![
            Rule::always(
                &format!("/projects/{P}/global/firewalls"),
                Fault::server_error(),
            ),
            Rule::always(&format!("/storage/v1/b?project={P}"), Fault::Truncate),
            Rule::always(&format!("/v1/projects/{P}/instances?"), Fault::Malformed),
        ],
    )
    .unwrap();
    let (faulted, code) = run(&mut gcp(&proxy.base_url()));
    assert_eq!(code, 3, "an incomplete scan exits 3");
    assert_no_new_pass(&verdicts(&base), &verdicts(&faulted));
    assert_error(&faulted, "gcp-compute-firewall-no-public-admin-ports", P);
    assert_error(&faulted, "gcp-storage-bucket-versioning", P);
    assert_error(&faulted, "gcp-sql-instance-tls-required", P);
    // The other projects are still judged.
    assert!(verdicts(&faulted)
        .iter()
        .any(|((c, r), s)| c.starts_with("gcp-compute-firewall")
            && !r.contains(P)
            && s != "ERROR"));
}

// ---------------------------------------------------------------- Azure

const AZURE_TOKEN: &str = "replay-fault-test-token";
const PROD: &str = "7f3e2a10-5c4b-4d2e-9a61-0c8b3e5f1a01";

fn azure(endpoint: &str) -> Command {
    let mut c = support::azure(AZURE_TOKEN);
    c.args([
        "scan",
        "azure",
        "--format",
        "json",
        "--now",
        "2026-11-23T09:00:00Z",
    ])
    .args(["--azure-endpoint", endpoint]);
    c
}

fn azure_replay() -> Replay {
    Replay::start(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/azure/two-subscriptions"))
        .expect("replay starts")
}

#[test]
fn azure_transient_faults_are_ridden_out() {
    let replay = azure_replay();
    let (base, base_code) = run(&mut azure(replay.base_url()));
    let proxy = FaultProxy::start(
        replay.base_url(),
        vec![
            Rule::once("/providers/Microsoft.Compute/disks", Fault::throttle()),
            Rule::once(
                "/providers/Microsoft.Storage/storageAccounts",
                Fault::server_error(),
            ),
            Rule::once(
                "/providers/Microsoft.Network/networkSecurityGroups",
                Fault::Close,
            ),
            Rule::once(
                "/providers/Microsoft.KeyVault/vaults",
                Fault::Delay(Duration::from_millis(300)),
            ),
        ],
    )
    .unwrap();
    let (faulted, code) = run(&mut azure(&proxy.base_url()));
    assert_eq!(proxy.faults_applied(), 4, "{:#?}", proxy.log());
    assert_eq!(verdicts(&faulted), verdicts(&base));
    assert_eq!(code, base_code);
}

#[test]
fn azure_persistent_faults_are_error_never_pass() {
    let replay = azure_replay();
    let (base, _) = run(&mut azure(replay.base_url()));
    let proxy = FaultProxy::start(
        replay.base_url(),
        vec![
            Rule::always(
                &format!("/subscriptions/{PROD}/providers/Microsoft.Compute/disks"),
                Fault::server_error(),
            ),
            Rule::always(
                &format!("/subscriptions/{PROD}/providers/Microsoft.Storage/storageAccounts"),
                Fault::Truncate,
            ),
            Rule::always(
                &format!("/subscriptions/{PROD}/providers/Microsoft.KeyVault/vaults"),
                Fault::Malformed,
            ),
        ],
    )
    .unwrap();
    let (faulted, code) = run(&mut azure(&proxy.base_url()));
    assert_eq!(code, 3, "an incomplete scan exits 3");
    assert_no_new_pass(&verdicts(&base), &verdicts(&faulted));
    for check in [
        "azure-disk-encrypted",
        "azure-storage-secure-transfer",
        "azure-keyvault-recoverable",
    ] {
        assert_error(&faulted, check, PROD);
    }
}

fn aws(endpoint: &str) -> Command {
    let mut c = support::aws("AKIAFAULTPROXYTEST01", "fault-proxy-test-secret");
    c.args(["scan", "aws", "--format", "json", "--now", NOW])
        .args([
            "--regions",
            "us-east-1,eu-west-1",
            "--endpoint-url",
            endpoint,
        ]);
    c
}

#[test]
fn aws_faults_through_moto() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    let (base, base_code) = run(&mut aws(&moto.url));

    // Transient: one of each, then the same verdicts as without faults.
    let proxy = FaultProxy::start(
        &moto.url,
        vec![
            Rule::once("Action=DescribeSecurityGroups", Fault::aws_throttle()),
            Rule::once("Action=DescribeVolumes", Fault::server_error()),
            Rule::once("Action=DescribeSnapshots", Fault::Close),
            Rule::once(
                "Action=DescribeDBInstances",
                Fault::Delay(Duration::from_millis(300)),
            ),
        ],
    )
    .unwrap();
    let (faulted, code) = run(&mut aws(&proxy.base_url()));
    assert_eq!(proxy.faults_applied(), 4, "{:#?}", proxy.log());
    assert_eq!(verdicts(&faulted), verdicts(&base));
    assert_eq!(code, base_code);
    drop(proxy);

    // Persistent: volumes past every retry, malformed security groups.
    let proxy = FaultProxy::start(
        &moto.url,
        vec![
            Rule::always("Action=DescribeVolumes", Fault::server_error()),
            Rule::always("Action=DescribeSecurityGroups", Fault::Malformed),
        ],
    )
    .unwrap();
    let (faulted, code) = run(&mut aws(&proxy.base_url()));
    assert_eq!(code, 3, "an incomplete scan exits 3");
    assert_no_new_pass(&verdicts(&base), &verdicts(&faulted));
    assert_error(&faulted, "aws-ebs-volume-encrypted", "123456789012");
    assert_error(&faulted, "aws-ec2-sg-no-public-admin-ports", "123456789012");
    drop(proxy);

    // Hung: DescribeVolumes never answers; each attempt is abandoned after --call-timeout.
    let proxy = FaultProxy::start(
        &moto.url,
        vec![Rule::always("Action=DescribeVolumes", Fault::Hang)],
    )
    .unwrap();
    let (faulted, code) = run(aws(&proxy.base_url()).args(["--call-timeout", "1"]));
    assert_eq!(code, 3);
    assert_no_new_pass(&verdicts(&base), &verdicts(&faulted));
    assert_error(&faulted, "aws-ebs-volume-encrypted", "123456789012");
}

// ---------------------------------------------------------------- throttling

/// The proxy in throttling mode: every operation's bucket holds `burst` calls and refills
/// `refill` a second, per service, region and operation.
fn throttling(burst: f64, refill: f64) -> Options {
    Options {
        buckets: Buckets {
            default: Some(Rate { burst, refill }),
            ..Buckets::default()
        },
        ..Options::default()
    }
}

/// A scan throttled by its APIs ends as it would without throttling (no ERROR it did not
/// have, the same verdicts), and its metadata counts every throttling answer, by service.
/// `exact`: every throttling answer is one logged call. AWS logs each HTTP attempt; the GCP
/// and Azure counts come out a few short of the proxy's (the replays' own recorded 429s
/// blur the subtraction), so there they must be counted and never more than were sent.
fn assert_throttling_ridden_out(base: &Value, throttled: &Value, proxy: &FaultProxy, exact: bool) {
    let stats = proxy.stats();
    assert!(
        stats.throttled_total > 0,
        "nothing was throttled: {stats:?}"
    );
    assert_eq!(verdicts(throttled), verdicts(base));
    // The proxy's throttling answers, besides those the recorded estate holds itself.
    let counted = |report: &Value| -> u64 {
        serde_json::from_value::<BTreeMap<String, u64>>(report["scan"]["throttled"].clone())
            .unwrap_or_default()
            .values()
            .sum()
    };
    let (logged, answered) = (counted(throttled) - counted(base), stats.throttled_total);
    let why = format!(
        "scan.throttled {}, the proxy's {:?}",
        throttled["scan"]["throttled"], stats.throttled
    );
    if exact {
        assert_eq!(logged, answered, "{why}");
    } else {
        assert!(logged > 0 && logged <= answered, "{why}");
    }
    // The table's footer says it too, rendered again from the saved JSON report.
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("report.json");
    std::fs::write(&saved, throttled.to_string()).unwrap();
    let table = support::phiscan()
        .arg("report")
        .arg(&saved)
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    let footer = format!(
        "Throttling answers from the APIs, retried after a backoff: {} (",
        counted(throttled)
    );
    assert!(table.contains(&footer), "{table}");
}

#[test]
fn aws_throttling_is_ridden_out_and_counted() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    let (base, base_code) = run(&mut aws(&moto.url));
    // One call per operation and region at once, then one every 100 ms: every per-resource
    // read (S3 bucket settings, KMS key policies, ...) and every page after the first is
    // throttled with its service's own error (EC2 RequestLimitExceeded, S3 SlowDown, ...).
    let proxy = FaultProxy::start_with(&moto.url, vec![], throttling(1.0, 10.0)).unwrap();
    let (throttled, code) = run(&mut aws(&proxy.base_url()));
    assert_throttling_ridden_out(&base, &throttled, &proxy, true);
    assert_eq!(code, base_code);
    assert!(
        proxy.stats().throttled.contains_key("s3"),
        "{:?}",
        proxy.stats()
    );
}

#[test]
fn gcp_and_azure_throttling_is_ridden_out_and_counted() {
    let replay = gcp_replay();
    let (base, _) = run(&mut gcp(replay.base_url()));
    let proxy = FaultProxy::start_with(replay.base_url(), vec![], throttling(1.0, 20.0)).unwrap();
    let (throttled, _) = run(&mut gcp(&proxy.base_url()));
    assert_throttling_ridden_out(&base, &throttled, &proxy, false);

    // ARM says when to come back (Retry-After, whole seconds): fewer, slower retries.
    let replay = azure_replay();
    let (base, _) = run(&mut azure(replay.base_url()));
    let proxy = FaultProxy::start_with(replay.base_url(), vec![], throttling(2.0, 50.0)).unwrap();
    let (throttled, _) = run(&mut azure(&proxy.base_url()));
    assert_throttling_ridden_out(&base, &throttled, &proxy, false);
}

// ---------------------------------------------------------------- hung calls

/// A call that never answers is abandoned after `--call-timeout`, retried, and its scope is
/// ERROR: the scan finishes, exit 3, and nothing that needed the data passes.
#[test]
fn hung_calls_time_out_into_error() {
    let replay = gcp_replay();
    let (base, _) = run(&mut gcp(replay.base_url()));
    const P: &str = "janus-ehr-prod";
    let proxy = FaultProxy::start(
        replay.base_url(),
        vec![Rule::always(
            &format!("/projects/{P}/global/firewalls"),
            Fault::Hang,
        )],
    )
    .unwrap();
    let (faulted, code) = run(gcp(&proxy.base_url()).args(["--call-timeout", "1"]));
    assert_eq!(code, 3);
    assert_no_new_pass(&verdicts(&base), &verdicts(&faulted));
    assert_error(&faulted, "gcp-compute-firewall-no-public-admin-ports", P);
    assert!(
        proxy
            .log()
            .iter()
            .filter(|p| p.fault == Some("hang"))
            .count()
            >= 2,
        "retried"
    );

    let replay = azure_replay();
    let (base, _) = run(&mut azure(replay.base_url()));
    let proxy = FaultProxy::start(
        replay.base_url(),
        vec![Rule::always(
            &format!("/subscriptions/{PROD}/providers/Microsoft.KeyVault/vaults"),
            Fault::Hang,
        )],
    )
    .unwrap();
    let (faulted, code) = run(azure(&proxy.base_url()).args(["--call-timeout", "1"]));
    assert_eq!(code, 3);
    assert_no_new_pass(&verdicts(&base), &verdicts(&faulted));
    assert_error(&faulted, "azure-keyvault-recoverable", PROD);
}

#[test]
fn call_timeout_is_for_live_scans() {
    let out = support::phiscan()
        .args(["scan", "--demo", "--call-timeout", "5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--call-timeout applies to live scans only")
    );
}
