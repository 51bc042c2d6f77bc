//! Issue 14 on Azure: virtual networks and their peerings, the data tier's NSGs, Bastions and
//! Lighthouse delegations in `two-subscriptions` (see
//! fixtures/azure/two_subscriptions_segmentation.py for the scenario). Without
//! `[segmentation]` the segmentation checks are NOT_APPLICABLE and, without a partner list,
//! every delegation fails ([`prod_unconfigured`], asserted with every other verdict in
//! `subscriptions.rs`); with the phiscan.toml (`support::segmentation_toml`) each one
//! has its verdict.

use super::*;

const VNET: &str = "Microsoft.Network/virtualNetworks";
const NSG: &str = "Microsoft.Network/networkSecurityGroups";
const BASTION: &str = "Microsoft.Network/bastionHosts";

const SINGLE: &str = "azure-vnet-single-customer";
const PEERING: &str = "azure-vnet-no-cross-customer-peering";
const DB_TIER: &str = "azure-nsg-db-tier-bastion-only";
const RESTRICTED: &str = "azure-bastion-restricted";
const LIGHTHOUSE: &str = "azure-lighthouse-partners";

fn vnet(rg: &str) -> String {
    rid(PROD, rg, VNET, &format!("vnet-{rg}"))
}

fn delegation(n: u8) -> String {
    format!("/subscriptions/{PROD}/providers/Microsoft.ManagedServices/registrationAssignments/5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e0{n}")
}

const NSGS: [(&str, &str); 5] = [
    ("rg-ephi-prod", "ehr-db-nsg"),
    ("rg-qolty-legacy", "bastion-nsg"),
    ("rg-web", "web-nsg"),
    ("rg-ephi-prod", "bastion-subnet-nsg"),
    ("rg-ephi-prod", "psql-subnet-nsg"),
];

/// The prod verdicts of issue 14's checks without `[segmentation]` or `[[third_parties]]`.
pub(crate) fn prod_unconfigured() -> Vec<(&'static str, String, &'static str)> {
    let mut t = Vec::new();
    for rg in ["rg-ephi-prod", "rg-qolty-legacy", "rg-analytics"] {
        t.push((SINGLE, vnet(rg), "NOT_APPLICABLE"));
        t.push((PEERING, vnet(rg), "NOT_APPLICABLE"));
    }
    for (rg, name) in NSGS {
        t.push((DB_TIER, rid(PROD, rg, NSG, name), "NOT_APPLICABLE"));
    }
    t.push((
        RESTRICTED,
        rid(PROD, "rg-ephi-prod", BASTION, "bas-ehr-prod"),
        "NOT_APPLICABLE",
    ));
    t.push((
        RESTRICTED,
        rid(PROD, "rg-qolty-legacy", BASTION, "bas-legacy"),
        "NOT_APPLICABLE",
    ));
    // No partner list: every delegation is a finding.
    for n in 1..=3 {
        t.push((LIGHTHOUSE, delegation(n), "FAIL"));
    }
    t
}

/// dev: no networks or Bastions; its registration assignments may not be read (403), and
/// its MySQL servers (a data store that may sit in a network) may not be listed (409), so
/// the checks placing resources in networks are ERROR there, configured or not.
pub(crate) fn dev_unconfigured() -> Vec<(&'static str, String, &'static str)> {
    let mysql = error_id(DEV, "AzureMysqlFlexibleServer");
    vec![
        (
            LIGHTHOUSE,
            error_id(DEV, "AzureLighthouseAssignment"),
            "ERROR",
        ),
        (SINGLE, mysql.clone(), "ERROR"),
        (PEERING, mysql.clone(), "ERROR"),
        (DB_TIER, mysql, "ERROR"),
    ]
}

#[test]
fn segmentation_bastions_and_delegations_are_judged_with_the_config() {
    let replay = scenario("two-subscriptions");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("phiscan.toml"),
        support::segmentation_toml("qolty.example"),
    )
    .unwrap();
    let out = support::run(phiscan(&replay).current_dir(dir.path()).args([
        "--checks",
        &[SINGLE, PEERING, DB_TIER, RESTRICTED, LIGHTHOUSE].join(","),
    ]));
    assert_eq!(
        out.code, 3,
        "dev's delegations are unreadable: {}",
        out.stderr
    );
    let report = out.report();
    let want: BTreeMap<(String, String), String> = [
        // One customer (northwind) in the EHR network; the legacy network (contoso) holds
        // fabrikam's Bastion; the analytics network holds nothing.
        (SINGLE, vnet("rg-ephi-prod"), "PASS"),
        (SINGLE, vnet("rg-qolty-legacy"), "FAIL"),
        (SINGLE, vnet("rg-analytics"), "PASS"),
        // The EHR <-> legacy peering joins northwind and contoso/fabrikam; the analytics
        // network joins no customer's data to another's.
        (PEERING, vnet("rg-ephi-prod"), "FAIL"),
        (PEERING, vnet("rg-qolty-legacy"), "FAIL"),
        (PEERING, vnet("rg-analytics"), "PASS"),
        // The database VM's subnet NSG admits the app subnet and the Bastion subnet, and a
        // Deny closes AllowVnetInBound; the PostgreSQL subnet admits the legacy network and
        // an ASG no bastion is in. NSGs in front of no data store are not judged.
        (
            DB_TIER,
            rid(PROD, "rg-ephi-prod", NSG, "ehr-db-nsg"),
            "PASS",
        ),
        (
            DB_TIER,
            rid(PROD, "rg-ephi-prod", NSG, "psql-subnet-nsg"),
            "FAIL",
        ),
        // bas-ehr-prod's subnet admits the VPN and GatewayManager only; bas-legacy's subnet
        // has no NSG and shareable links are on; the jump box (role=bastion) admits RDP from
        // anywhere.
        (
            RESTRICTED,
            rid(PROD, "rg-ephi-prod", BASTION, "bas-ehr-prod"),
            "PASS",
        ),
        (
            RESTRICTED,
            rid(PROD, "rg-qolty-legacy", BASTION, "bas-legacy"),
            "FAIL",
        ),
        (
            RESTRICTED,
            rid(
                PROD,
                "rg-qolty-legacy",
                "Microsoft.Compute/virtualMachines",
                "vm-legacy-jumpbox",
            ),
            "FAIL",
        ),
        // Acme reads (PASS); Acme with Contributor (a read partner writing); an unlisted MSP.
        (LIGHTHOUSE, delegation(1), "PASS"),
        (LIGHTHOUSE, delegation(2), "FAIL"),
        (LIGHTHOUSE, delegation(3), "FAIL"),
    ]
    .into_iter()
    .chain(dev_unconfigured())
    .map(|(c, id, s)| ((c.to_string(), id), s.to_string()))
    .collect();
    assert_eq!(verdicts(&report), want);

    let reason = |check: &str, id: &str| -> String {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check_id"] == check && f["resource"]["id"] == id)
            .map(|f| f["reason"].as_str().unwrap().to_string())
            .unwrap()
    };
    let psql = reason(DB_TIER, &rid(PROD, "rg-ephi-prod", NSG, "psql-subnet-nsg"));
    assert!(psql.contains("allow-legacy-5432 (priority 110) admits 5432 (PostgreSQL) from private addresses outside the network"), "{psql}");
    assert!(psql.contains("allow-reporting-asg"), "{psql}");
    let legacy = reason(
        RESTRICTED,
        &rid(PROD, "rg-qolty-legacy", BASTION, "bas-legacy"),
    );
    assert!(
        legacy.contains("no NSG") && legacy.contains("shareable links"),
        "{legacy}"
    );
    let msp = reason(LIGHTHOUSE, &delegation(3));
    assert!(msp.contains("not on the partner list"), "{msp}");
    let denied = reason(LIGHTHOUSE, &error_id(DEV, "AzureLighthouseAssignment"));
    assert!(
        denied.contains("AuthorizationFailed (HTTP 403)"),
        "{denied}"
    );
    // The three new lists were read once per subscription, with GET only.
    let requests = replay.requests();
    for path in ["virtualNetworks", "bastionHosts", "registrationAssignments"] {
        let n = requests.iter().filter(|r| r.path.ends_with(path)).count();
        assert_eq!(n, 2, "{path}: {n} requests");
    }
    assert!(requests.iter().all(|r| r.method == "GET" && r.matched));
}
