//! `phiscan doctor gcp` on the replay (fixtures/gcp/doctor: the estate's own recorded
//! answers, asked for one item a page): janus-analytics has the Cloud SQL Admin API disabled
//! (API DISABLED, with the `gcloud services enable` command), janus-partner-sandbox may not
//! list disks (DENIED, compute.disks.list, with the README row of the role that grants it);
//! exit 3. janus-ehr-prod reads both: exit 0. The principal is tokeninfo's answer. A project search that is refused is a setup
//! error (exit 2), as for `scan`.

use super::*;

fn doctor(replay: &Replay, extra: &[&str]) -> support::Run {
    let dir = tempfile::tempdir().unwrap();
    support::run(
        phiscan(dir.path())
            .args(["doctor", "gcp", "--gcp-endpoint", replay.base_url()])
            .args([
                "--checks",
                "gcp-compute-disk-cmek,gcp-sql-instance-tls-required",
            ])
            .args(extra),
    )
}

/// (project, kind) -> (status, permission, enable command) of a doctor JSON document.
fn statuses(d: &Value) -> BTreeMap<(String, String), (String, String, String)> {
    d["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
            (
                (s("scope"), s("kind")),
                (s("status"), s("permission"), s("enable")),
            )
        })
        .collect()
}

#[test]
fn doctor_names_the_disabled_api_and_the_missing_permission() {
    let replay = Replay::start(scenario("doctor")).unwrap();
    let out = doctor(
        &replay,
        &["--project", &format!("{B},{C}"), "--format", "json"],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    let d: Value = serde_json::from_str(&out.stdout).unwrap();
    let got = statuses(&d);
    let want = |status: &str, permission: &str, enable: &str| {
        (
            status.to_string(),
            permission.to_string(),
            enable.to_string(),
        )
    };
    let key = |p: &str, k: &str| (p.to_string(), k.to_string());
    assert_eq!(
        got,
        BTreeMap::from([
            (
                key(B, "GcpComputeDisk"),
                want("OK", "compute.disks.list", "")
            ),
            (
                key(B, "GcpSqlInstance"),
                want(
                    "API_DISABLED",
                    "cloudsql.instances.list",
                    "gcloud services enable sqladmin.googleapis.com --project janus-analytics"
                )
            ),
            (
                key(C, "GcpComputeDisk"),
                want("DENIED", "compute.disks.list", "")
            ),
            (
                key(C, "GcpSqlInstance"),
                want("OK", "cloudsql.instances.list", "")
            ),
        ])
    );
    let denied = &d["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["status"] == "DENIED")
        .unwrap();
    assert_eq!(denied["grant"]["text"], "Viewer (`roles/viewer`)");
    assert_eq!(
        denied["roles"],
        serde_json::json!(["roles/viewer", "roles/compute.viewer"])
    );
    // Who: tokeninfo's answer, and where the token came from.
    assert_eq!(d["identity"][0]["label"], "principal");
    assert_eq!(
        d["identity"][0]["value"],
        "phiscan-scanner@janus-ehr-prod.iam.gserviceaccount.com"
    );
    assert!(d["identity"][1]["value"]
        .as_str()
        .unwrap()
        .contains("GOOGLE_OAUTH_ACCESS_TOKEN"));
    assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
    // One GET per probe, each a recorded route, and the tokeninfo read (a POST, so that the
    // token is in no URL): nothing but reads, nothing unforeseen.
    let requests = replay.requests();
    assert_eq!(requests.len(), 5, "{requests:?}");
    assert!(requests
        .iter()
        .all(|r| r.matched && r.query.is_empty() == (r.method == "POST")));
    let gets = requests.iter().filter(|r| r.method == "GET");
    assert!(gets.clone().all(|r| r.had_authorization));
    assert_eq!(gets.count(), 4);

    // The table: the command to run and the permission with its README line.
    let out = doctor(&replay, &["--project", &format!("{B},{C}")]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    support::assert_says(
        &out.stdout,
        &[
            "API DISABLED",
            "gcloud services enable sqladmin.googleapis.com --project janus-analytics",
            "DENIED",
            "missing compute.disks.list",
            "README.md line",
            "Viewer (`roles/viewer`)",
        ],
    );
}

#[test]
fn doctor_exits_0_when_everything_is_readable_and_2_when_it_cannot_start() {
    let replay = Replay::start(scenario("doctor")).unwrap();
    let out = doctor(&replay, &["--project", A]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("everything a scan needs is readable"));

    // The project search is refused: no project to probe, exit 2 with one line.
    let replay = Replay::start(scenario("search-denied")).unwrap();
    let out = doctor(&replay, &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("projects.search"), "{}", out.stderr);
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
}
