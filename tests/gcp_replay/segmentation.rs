//! Issue 14 on GCP: VPC networks and their peerings, the data tier's and the bastions'
//! firewall rules, and external IAM members, in the `estate` scenario. `janus-ehr-prod`:
//! `ehr-vpc` holds northwind's database (tier=data) and bastion (`ehr-app-1`, role=bastion)
//! and peers with `ehr-backup-vpc` (empty) and `janus-vpc`, which holds contoso's and
//! fabrikam's imaging instances (`imaging-gw-1` a bastion, `imaging-worker-2` the data tier).
//! On `ehr-vpc`, the database is open to the internet on 5432 and to the `imaging` tag (no
//! instance there carries it), and the bastion to SSH from anywhere. The project policy
//! (version 3) binds Acme's domain as Viewer until 2027, Acme's sync account as Editor with
//! no end, and a stranger's Gmail account. `janus-partner-sandbox` may not list networks.
//!
//! Without `[segmentation]` and `organization.gcp_domains` these checks are NOT_APPLICABLE
//! ([`prod_unconfigured`], [`degraded_unconfigured`], asserted with every other verdict);
//! with the phiscan.toml (`support::segmentation_toml`) each has its verdict.

use super::*;

const SINGLE: &str = "gcp-vpc-single-customer";
const PEERING: &str = "gcp-vpc-no-cross-customer-peering";
const DB_TIER: &str = "gcp-firewall-db-tier-bastion-only";
const BASTION: &str = "gcp-firewall-bastion-restricted";
const EXTERNAL: &str = "gcp-iam-external-members";

fn net(name: &str) -> String {
    compute(A, "global", "networks", name)
}

/// (zone scope, name) of every instance of `janus-ehr-prod`.
const PROD_INSTANCES: [(&str, &str); 4] = [
    ("zones/us-central1-a", "ehr-db-1"),
    ("zones/us-central1-a", "ehr-app-1"),
    ("zones/us-east1-b", "imaging-gw-1"),
    ("zones/us-east1-b", "imaging-worker-2"),
];

/// `janus-ehr-prod` without the settings: nothing judged, each reason naming what is missing.
pub(crate) fn prod_unconfigured() -> Vec<(&'static str, String, &'static str)> {
    let mut t = Vec::new();
    for n in ["ehr-vpc", "janus-vpc", "ehr-backup-vpc"] {
        t.push((SINGLE, net(n), "NOT_APPLICABLE"));
        t.push((PEERING, net(n), "NOT_APPLICABLE"));
    }
    for (zone, name) in PROD_INSTANCES {
        t.push((
            DB_TIER,
            compute(A, zone, "instances", name),
            "NOT_APPLICABLE",
        ));
        t.push((
            BASTION,
            compute(A, zone, "instances", name),
            "NOT_APPLICABLE",
        ));
    }
    t.push((EXTERNAL, project_policy(A), "NOT_APPLICABLE"));
    t
}

/// `janus-analytics` (no network, no instance) and `janus-partner-sandbox` (networks denied).
pub(crate) fn degraded_unconfigured() -> Vec<(&'static str, String, &'static str)> {
    let gw = compute(C, "zones/us-central1-a", "instances", "partner-vpn-gw");
    vec![
        (SINGLE, error(C, "all-regions", "GcpNetwork"), "ERROR"),
        (PEERING, error(C, "all-regions", "GcpNetwork"), "ERROR"),
        (DB_TIER, gw.clone(), "NOT_APPLICABLE"),
        (BASTION, gw, "NOT_APPLICABLE"),
        (EXTERNAL, project_policy(B), "NOT_APPLICABLE"),
        (EXTERNAL, project_policy(C), "NOT_APPLICABLE"),
    ]
}

#[test]
fn segmentation_and_external_members_are_judged_with_the_config() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("phiscan.toml"),
        support::segmentation_toml("janushcp.example"),
    )
    .unwrap();
    let out = support::run(
        phiscan(dir.path())
            .current_dir(dir.path())
            .args(["scan", "gcp", "--format", "json", "--now", NOW])
            .args(["--gcp-endpoint", replay.base_url()])
            .args([
                "--checks",
                &[SINGLE, PEERING, DB_TIER, BASTION, EXTERNAL].join(","),
            ]),
    );
    assert_eq!(
        out.code, 3,
        "the sandbox's networks are unreadable: {}",
        out.stderr
    );
    let report = out.report();
    let inst = |zone: &str, name: &str| compute(A, zone, "instances", name);
    let want = as_map(vec![
        // ehr-vpc: northwind only; janus-vpc: contoso and fabrikam; ehr-backup-vpc: nobody.
        (SINGLE, net("ehr-vpc"), "PASS"),
        (SINGLE, net("janus-vpc"), "FAIL"),
        (SINGLE, net("ehr-backup-vpc"), "PASS"),
        // ehr-vpc <-> janus-vpc joins northwind to contoso and fabrikam; the backup network
        // holds nobody's data.
        (PEERING, net("ehr-vpc"), "FAIL"),
        (PEERING, net("janus-vpc"), "FAIL"),
        (PEERING, net("ehr-backup-vpc"), "PASS"),
        (SINGLE, error(C, "all-regions", "GcpNetwork"), "ERROR"),
        (PEERING, error(C, "all-regions", "GcpNetwork"), "ERROR"),
        // The database: IAP and the bastion's tag are allowed; 5432 from the internet and
        // from the `imaging` tag (carried by no instance on ehr-vpc) are not. The imaging
        // store has no rule on its network.
        (DB_TIER, inst("zones/us-central1-a", "ehr-db-1"), "FAIL"),
        (
            DB_TIER,
            inst("zones/us-east1-b", "imaging-worker-2"),
            "PASS",
        ),
        // ehr-app-1 admits SSH from anywhere (and IAP); imaging-gw-1 has no rule.
        (BASTION, inst("zones/us-central1-a", "ehr-app-1"), "FAIL"),
        (BASTION, inst("zones/us-east1-b", "imaging-gw-1"), "PASS"),
        // Prod: Acme's sync account is an Editor with no end, a stranger reads objects.
        // Analytics: its own accounts, Google agents and the audit account of a scanned
        // project. The sandbox: the organization's group and the audit account.
        (EXTERNAL, project_policy(A), "FAIL"),
        (EXTERNAL, project_policy(B), "PASS"),
        (EXTERNAL, project_policy(C), "PASS"),
    ]);
    assert_verdicts(&verdicts(&report), &want);

    let reason = |check: &str, id: &str| -> String {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check_id"] == check && f["resource"]["id"] == id)
            .map(|f| f["reason"].as_str().unwrap().to_string())
            .unwrap()
    };
    let db = reason(DB_TIER, &inst("zones/us-central1-a", "ehr-db-1"));
    assert!(
        db.contains("allow-postgres-public admits 5432 (PostgreSQL) from 0.0.0.0/0"),
        "{db}"
    );
    assert!(
        db.contains("allow-imaging-to-db")
            && !db.contains("allow-bastion-to-db")
            && !db.contains("allow-iap-ssh"),
        "{db}"
    );
    let iam = reason(EXTERNAL, &project_policy(A));
    assert!(iam.contains("serviceAccount:sync@acme-prod.iam.gserviceaccount.com holds roles/editor: partner \"Acme Backup Co\" is listed for read access but is granted write"), "{iam}");
    assert!(iam.contains("user:contractor.jane@gmail.com holds roles/storage.objectViewer: not on the partner list"), "{iam}");
    assert!(
        !iam.contains("acme-backup.example"),
        "the conditioned partner grant is allowed: {iam}"
    );
    let peering = reason(PEERING, &net("ehr-vpc"));
    assert!(
        peering.contains("to-imaging") && !peering.contains("to-ehr-backup"),
        "{peering}"
    );
    // networks.list was read once per project; the project policy was read at version 3.
    let listed = replay
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/global/networks"))
        .count();
    assert_eq!(listed, 3);
}
