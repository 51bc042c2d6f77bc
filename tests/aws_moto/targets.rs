//! Which regions and kinds a scan collects, from flags, the environment and phiscan.toml.

use super::*;

#[test]
fn only_the_planned_kinds_are_collected() {
    let Some(moto) = Moto::start() else { return };
    // The endpoint from the standard variable, not the flag.
    let (report, code, stderr) = run(support::aws("testing", SECRET)
        .env("AWS_ENDPOINT_URL", &moto.url)
        .args([
            "scan",
            "aws",
            "--regions",
            "eu-west-1",
            "--format",
            "json",
            "--checks",
            "aws-ebs-volume-encrypted",
        ]));
    assert_eq!(code, 0, "{stderr}");
    let ops: Vec<(&str, &str)> = report["scan"]["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["operation"].as_str().unwrap(),
                c["region"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ops,
        [
            ("GetCallerIdentity", "us-east-1"),
            ("DescribeVolumes", "eu-west-1")
        ]
    );
}

#[test]
fn all_enabled_regions_when_none_are_named() {
    let Some(moto) = Moto::start() else { return };
    let (report, code, stderr) = run(support::aws("testing", SECRET).args([
        "scan",
        "aws",
        "--endpoint-url",
        &moto.url,
        "--format",
        "json",
        "--checks",
        "aws-ebs-volume-encrypted",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let regions: Vec<&str> = report["scan"]["scope"][0]["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    // moto lists every region as enabled; opt-in regions it reports as not opted in are dropped.
    for r in ["us-east-1", "eu-west-1", "ap-southeast-2"] {
        assert!(regions.contains(&r), "{r} missing from {regions:?}");
    }
    let described = report["scan"]["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["operation"] == "DescribeVolumes")
        .count();
    assert_eq!(described, regions.len(), "one DescribeVolumes per region");
}

/// phiscan.toml on a live AWS scan: endpoint, regions and check selection come from the
/// file; a flag overrides its key.
#[test]
fn targets_and_selection_come_from_phiscan_toml() {
    let Some(moto) = Moto::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("phiscan.toml"),
        format!(
            "[aws]\nregions = [\"eu-west-1\"]\nendpoint_url = \"{}\"\n\n[checks]\ninclude = [\"aws-ebs-volume-encrypted\"]\n",
            moto.url
        ),
    )
    .unwrap();
    let described = |report: &Value| -> Vec<String> {
        report["scan"]["api_calls"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["operation"] == "DescribeVolumes")
            .map(|c| c["region"].as_str().unwrap().to_string())
            .collect()
    };
    let (report, code, stderr) = run(support::aws("testing", SECRET)
        .current_dir(dir.path())
        .args(["scan", "aws", "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        report["scan"]["checks_run"],
        serde_json::json!(["aws-ebs-volume-encrypted"])
    );
    assert_eq!(described(&report), ["eu-west-1"]);
    let (report, code, stderr) = run(support::aws("testing", SECRET)
        .current_dir(dir.path())
        .args(["scan", "aws", "--format", "json", "--regions", "us-east-1"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(described(&report), ["us-east-1"]);
}
