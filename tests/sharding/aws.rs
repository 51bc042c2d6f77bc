//! A live AWS account split by region, against moto (the scenario of tests/aws_moto.rs).

use super::*;

use support::moto::Moto;

fn scan(moto: &Moto, extra: &[&str]) -> Run {
    support::run(
        support::aws("testing", "testing")
            .args(["scan", "aws", "--endpoint-url", &moto.url])
            .args([
                "--regions",
                "us-east-1,eu-west-1",
                "--format",
                "json",
                "--now",
                NOW,
            ])
            .args(extra),
    )
}

#[test]
fn aws_regions_split_over_shards_and_merge_into_the_whole_scan() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    let dir = tempfile::tempdir().unwrap();
    let whole = scan(&moto, &[]);
    // 3: moto does not implement AWS Backup recovery points (expected collection errors).
    assert_eq!(whole.code, 3, "{}", whole.stderr);
    let whole_report = json(&whole.stdout);

    // With 3 shards (pinned by the shard unit tests): us-east-1 in 1, eu-west-1 in 3
    // (with the account-wide data: the first region alphabetically), nothing in 2.
    let mut parts = Vec::new();
    let mut regions = Vec::new();
    for i in 1..=3 {
        let path = dir.path().join(format!("aws-{i}.json"));
        let shard = format!("{i}/3");
        let out = scan(&moto, &["--shard", &shard, "-o", path.to_str().unwrap()]);
        assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
        let report = json(&std::fs::read_to_string(&path).unwrap());
        let scope = report["scan"]["scope"].as_array().unwrap();
        regions.push(match scope.first() {
            Some(s) => s["regions"].clone(),
            None => Value::Null,
        });
        parts.push(path);
    }
    assert_eq!(
        regions,
        [
            serde_json::json!(["us-east-1"]),
            Value::Null,
            serde_json::json!(["eu-west-1"])
        ]
    );
    // The account-wide data (the S3 account public access block) is in one shard only.
    let account_wide = |report: &Value| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["resource"]["kind"] == "AwsS3AccountPublicAccessBlock")
            .count()
    };
    let part = |i: usize| json(&std::fs::read_to_string(&parts[i]).unwrap());
    assert!(account_wide(&whole_report) > 0);
    assert_eq!(account_wide(&part(0)), 0);
    assert_eq!(account_wide(&part(2)), account_wide(&whole_report));

    let refs: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
    let out = merge(&refs, &["--format", "json"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    let merged = json(&out.stdout);
    assert_eq!(findings(&merged), findings(&whole_report));
    for field in ["counts", "exit_code", "checks_run"] {
        assert_eq!(
            merged["scan"][field], whole_report["scan"][field],
            "{field}"
        );
    }
    // Regions are united in sorted order; the unsharded scope keeps --regions order.
    assert_eq!(
        merged["scan"]["scope"][0]["regions"],
        serde_json::json!(["eu-west-1", "us-east-1"])
    );
}
