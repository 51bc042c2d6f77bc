//! Setup problems: one-line errors with exit code 2, an unreachable endpoint, a denied folder.

use super::*;

fn one_line_error(cmd: &mut Command, wanted: &[&str]) {
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    for w in wanted {
        assert!(stderr.contains(w), "{w:?} not in {stderr}");
    }
    assert!(out.stdout.is_empty());
    assert!(!stderr.contains(TOKEN));
}

#[test]
fn setup_problems_are_one_line_errors() {
    // The project search is refused: nothing can be attributed to a project.
    let replay = Replay::start(scenario("search-denied")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    one_line_error(
        phiscan(dir.path()).args(["scan", "gcp", "--gcp-endpoint", replay.base_url()]),
        &[
            "projects.search",
            "PERMISSION_DENIED",
            "resourcemanager.projects.list",
            "--project",
        ],
    );

    // No token and a credential file that does not exist.
    let mut cmd = phiscan(dir.path());
    cmd.env_remove("GOOGLE_OAUTH_ACCESS_TOKEN")
        .env(
            "GOOGLE_APPLICATION_CREDENTIALS",
            dir.path().join("missing.json"),
        )
        .args([
            "scan",
            "gcp",
            "--project",
            A,
            "--gcp-endpoint",
            replay.base_url(),
        ]);
    one_line_error(&mut cmd, &["credentials"]);
    assert!(replay
        .requests()
        .iter()
        .all(|r| r.path == "/v3/projects:search"));

    one_line_error(
        phiscan(dir.path()).args(["scan", "gcp", "--project", "Not_A_Project"]),
        &["--project", "Not_A_Project"],
    );
    one_line_error(
        phiscan(dir.path()).args(["scan", "gcp", "--gcp-endpoint", "not a url", "--project", A]),
        &["--gcp-endpoint"],
    );
    one_line_error(
        phiscan(dir.path()).args(["scan", "--demo", "--project", A]),
        &["live GCP scans only"],
    );
}

#[test]
fn an_unreachable_endpoint_is_error_and_names_no_url() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let out = phiscan(dir.path())
        .args([
            "scan",
            "gcp",
            "--project",
            A,
            "--checks",
            DISK,
            "--format",
            "json",
        ])
        .args(["--gcp-endpoint", &format!("http://127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got = verdicts(&report);
    assert_eq!(
        got,
        as_map(vec![(
            DISK,
            error(A, "all-regions", "GcpComputeDisk"),
            "ERROR"
        )])
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ConnectError") && text.contains("after 4 attempts"),
        "{text}"
    );
    assert!(
        !text.contains("127.0.0.1") && !text.contains("maxResults"),
        "{text}"
    );
}

#[test]
fn a_denied_folder_is_a_setup_error_naming_it_and_the_permission() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    one_line_error(
        phiscan(dir.path()).args([
            "scan",
            "gcp",
            "--gcp-endpoint",
            replay.base_url(),
            "--folder",
            "400000000005",
        ]),
        &[
            "folders/400000000005",
            "folders.list",
            "PERMISSION_DENIED",
            "resourcemanager.folders.list",
        ],
    );
    one_line_error(
        phiscan(dir.path()).args([
            "scan",
            "gcp",
            "--gcp-endpoint",
            replay.base_url(),
            "--organization",
            "100000000001",
            "--folder",
            "500000000006",
        ]),
        &["folders/500000000006", "resourcemanager.projects.list"],
    );
    // Nothing was scanned.
    assert!(replay
        .requests()
        .iter()
        .all(|r| r.path.starts_with("/v3/") && !r.path.contains(":getIamPolicy")));
    one_line_error(
        phiscan(dir.path()).args(["scan", "gcp", "--folder", "../x"]),
        &["--folder", "numeric"],
    );
}
