//! `phiscan doctor azure` on the two-subscriptions replay: in qolty-dev the credential may
//! not read disks (AuthorizationFailed: DENIED, Microsoft.Compute/disks/read, with the README
//! line of the Reader role) and Microsoft.DBforMySQL is not registered (API DISABLED, with
//! the `az provider register` command); exit 3. In qolty-ephi-prod all three lists answer:
//! exit 0. The identity comes from the token's claims; the token itself is never printed.

use base64::Engine as _;

use super::*;

const CHECKS: &str =
    "azure-disk-encrypted,azure-mysql-flexible-tls-required,azure-nsg-no-public-admin-ports";

/// An ARM-shaped JWT (unsigned: phiscan only reads its claims, ARM is the replay).
fn jwt() -> String {
    let b64 = |v: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    format!(
        "{}.{}.{}",
        b64(serde_json::json!({"alg": "RS256", "typ": "JWT"})),
        b64(serde_json::json!({
            "oid": "3f1c9a2e-7b4d-4e8a-9c1f-0a2b3c4d5e6f",
            "upn": "phiscan-reader@qolty.example",
            "tid": "9a8b7c6d-0000-4000-8000-00000000beef",
        })),
        TOKEN
    )
}

fn doctor(replay: &Replay, sub: &str, extra: &[&str]) -> support::Run {
    support::run(
        support::azure(&jwt())
            .args(["doctor", "azure", "--azure-endpoint", replay.base_url()])
            .args(["--subscription", sub, "--checks", CHECKS])
            .args(extra),
    )
}

#[test]
fn doctor_names_the_denied_action_and_the_unregistered_provider() {
    let replay = scenario("two-subscriptions");
    let out = doctor(&replay, DEV, &["--format", "json"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    let d: Value = serde_json::from_str(&out.stdout).unwrap();
    let got: BTreeMap<&str, (&str, &str)> = d["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["scope"], DEV);
            (
                p["kind"].as_str().unwrap(),
                (
                    p["status"].as_str().unwrap(),
                    p["permission"].as_str().unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(
        got,
        BTreeMap::from([
            ("AzureDisk", ("DENIED", "Microsoft.Compute/disks/read")),
            (
                "AzureMysqlFlexibleServer",
                ("API_DISABLED", "Microsoft.DBforMySQL/flexibleServers/read")
            ),
            (
                "AzureNetworkSecurityGroup",
                ("OK", "Microsoft.Network/networkSecurityGroups/read")
            ),
        ])
    );
    let probe = |kind: &str| {
        d["probes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["kind"] == kind)
            .unwrap()
            .clone()
    };
    assert_eq!(
        probe("AzureMysqlFlexibleServer")["enable"],
        format!("az provider register --namespace Microsoft.DBforMySQL --subscription {DEV}")
    );
    let grant = &probe("AzureDisk")["grant"];
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let line = readme
        .lines()
        .nth(grant["line"].as_u64().unwrap() as usize - 1)
        .unwrap();
    assert!(line.contains("**Reader**"), "{line}");
    let identity = d["identity"].to_string();
    for claim in [
        "3f1c9a2e-7b4d-4e8a-9c1f-0a2b3c4d5e6f",
        "phiscan-reader@qolty.example",
        "AZURE_ACCESS_TOKEN",
    ] {
        assert!(identity.contains(claim), "{claim}: {identity}");
    }
    assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
    assert_eq!(d["scopes"][0]["name"], "qolty-dev");
    // Only GETs of recorded routes: the subscription, then one page per probe.
    let requests = replay.requests();
    assert_eq!(requests.len(), 4, "{requests:?}");
    assert!(requests.iter().all(|r| r.method == "GET" && r.matched));

    let out = doctor(&replay, DEV, &[]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    support::assert_says(
        &out.stdout,
        &[
            "DENIED",
            "missing Microsoft.Compute/disks/read",
            "README.md line",
            "API DISABLED",
            "az provider register --namespace Microsoft.DBforMySQL",
        ],
    );
}

#[test]
fn doctor_exits_0_when_everything_is_readable_and_2_when_it_cannot_start() {
    let replay = scenario("two-subscriptions");
    let out = doctor(&replay, PROD, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("everything a scan needs is readable"));

    // A subscription that cannot be read: every probe names the subscription read.
    let out = doctor(&replay, DENIED, &["--format", "json"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    let d: Value = serde_json::from_str(&out.stdout).unwrap();
    for p in d["probes"].as_array().unwrap() {
        assert_eq!(p["status"], "DENIED", "{p}");
        assert_eq!(
            p["permission"], "Microsoft.Resources/subscriptions/read",
            "{p}"
        );
        assert_eq!(p["operation"], "Subscriptions_Get", "{p}");
    }

    let out = support::run(support::azure(TOKEN).args([
        "doctor",
        "azure",
        "--azure-endpoint",
        "http://10.0.0.1",
    ]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("loopback"), "{}", out.stderr);
}
