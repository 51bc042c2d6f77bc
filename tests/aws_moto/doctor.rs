//! `phiscan doctor aws` against moto with IAM enforced: the denied user of the scenario
//! (`seed.py denied-user`: allowed `*` but denied ec2:DescribeVolumes and
//! iam:GetAccountSummary) is told exactly those two permissions, with the README policy line
//! granting each, and exit code 3; a selection that needs none of them exits 0; a credential
//! that cannot be identified is a setup error, exit 2. Every probe is a read the README's
//! policy allows, and every request moto received is a read.

use super::read_only::{
    assert_moto_received_only_reads, iam_action, is_read_only, readme_policy_actions,
};
use super::*;

/// Probes moto 5.2.5 cannot answer when it enforces IAM: its signature check fails for these
/// REST and JSON services (SignatureDoesNotMatch, HTTP 403), and DescribeServerlessCaches is
/// not implemented. They are ERROR, never DENIED: the answer does not say the user is denied.
const MOTO_GAPS: [(&str, &str); 7] = [
    ("backup:ListBackupVaults", "SignatureDoesNotMatch"),
    (
        "elasticfilesystem:DescribeFileSystems",
        "SignatureDoesNotMatch",
    ),
    ("guardduty:ListDetectors", "SignatureDoesNotMatch"),
    ("cloudfront:ListDistributions", "SignatureDoesNotMatch"),
    ("apigateway:GET", "SignatureDoesNotMatch"),
    ("es:ListDomainNames", "SignatureDoesNotMatch"),
    ("elasticache:DescribeServerlessCaches", "does not implement"),
];

/// `doctor aws` with the denied user's keys against `moto`, in both REGIONS.
fn doctor(moto: &Moto, truth: &Value, extra: &[&str]) -> support::Run {
    let key = truth["credentials"]["access_key_id"].as_str().unwrap();
    let secret = truth["credentials"]["secret_access_key"].as_str().unwrap();
    support::run(
        support::aws(key, secret)
            .args(["doctor", "aws", "--endpoint-url", &moto.url])
            .args(["--regions", REGIONS])
            .args(extra),
    )
}

#[test]
fn doctor_names_each_denied_permission_and_its_policy_line() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("denied-user");
    moto.api("/moto-api/recorder/start-recording", "");
    let out = doctor(&moto, &truth, &["--format", "json"]);
    moto.api("/moto-api/recorder/stop-recording", "");
    assert_eq!(
        out.code, 3,
        "a denied probe exits 3; stderr: {}",
        out.stderr
    );
    let d: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(d["format"], "phiscan-doctor/v1");
    assert_eq!(d["exit_code"], 3);
    let facts: Vec<&str> = d["identity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_str().unwrap())
        .collect();
    assert!(
        facts.contains(&"arn:aws:iam::123456789012:user/auditor"),
        "{facts:?}"
    );
    assert_eq!(d["scopes"][0]["account"], ACCOUNT);
    assert_eq!(
        d["scopes"][0]["regions"],
        serde_json::json!(["us-east-1", "eu-west-1"])
    );

    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let probes = d["probes"].as_array().unwrap();
    let denied: BTreeSet<(&str, &str)> = probes
        .iter()
        .filter(|p| p["status"] == "DENIED")
        .map(|p| {
            let permission = p["permission"].as_str().unwrap();
            // The README line named grants exactly that permission.
            let line = p["grant"]["line"].as_u64().unwrap() as usize;
            let text = readme.lines().nth(line - 1).unwrap();
            assert!(
                text.contains(&format!("\"{permission}\"")),
                "{line}: {text}"
            );
            (permission, p["region"].as_str().unwrap_or("account-wide"))
        })
        .collect();
    assert_eq!(
        denied,
        BTreeSet::from([
            ("ec2:DescribeVolumes", "eu-west-1"),
            ("ec2:DescribeVolumes", "us-east-1"),
            ("iam:GetAccountSummary", "us-east-1"),
        ])
    );
    // Every other probe is OK but for moto's known gaps, which are ERROR with their reason.
    for p in probes
        .iter()
        .filter(|p| !matches!(p["status"].as_str(), Some("OK" | "DENIED")))
    {
        let op = p["operation"].as_str().unwrap();
        let reason = p["reason"].as_str().unwrap();
        assert_eq!(p["status"], "ERROR", "{p}");
        assert!(
            MOTO_GAPS
                .iter()
                .any(|(o, why)| *o == op && reason.contains(why)),
            "unexpected: {p}"
        );
    }
    // Whatever a probe needs, the README's policy grants, on the line the doctor names.
    for p in probes {
        let line = p["grant"]["line"]
            .as_u64()
            .unwrap_or_else(|| panic!("no grant: {p}"));
        let text = readme.lines().nth(line as usize - 1).unwrap();
        assert!(text.contains(p["permission"].as_str().unwrap()), "{p}");
    }
    let kinds: BTreeSet<&str> = probes.iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert!(
        kinds.len() > 35,
        "one probe per kind the checks read: {kinds:?}"
    );

    // Read-only: every call logged is a read the README's policy allows, and so is every
    // request moto received.
    let allowed = readme_policy_actions();
    let calls = d["api_calls"].as_array().unwrap();
    for c in calls {
        let op = c["operation"].as_str().unwrap();
        assert!(is_read_only(op), "{op}");
        let action = iam_action(c["service"].as_str().unwrap(), op);
        assert!(allowed.contains(&action), "README's policy lacks {action}");
    }
    assert!(assert_moto_received_only_reads(&moto) > 0);

    // The table says the same to a person.
    let out = doctor(&moto, &truth, &["--checks", "aws-ebs-volume-encrypted"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    support::assert_says(
        &out.stdout,
        &[
            "DENIED",
            "missing ec2:DescribeVolumes",
            "README.md line",
            "arn:aws:iam::123456789012:user/auditor",
            "regions us-east-1, eu-west-1",
        ],
    );
}

#[test]
fn doctor_exits_0_when_every_probe_is_ok_and_2_without_an_identity() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("denied-user");
    let out = doctor(
        &moto,
        &truth,
        &["--checks", "aws-ec2-sg-*,aws-rds-instance-encrypted"],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("everything a scan needs is readable"));
    assert!(!out.stdout.contains("DENIED"), "{}", out.stdout);

    // Keys moto does not know: STS cannot say who they are; setup error, as for `scan`.
    let out = support::run(
        support::aws("AKIAUNKNOWN000000000", SECRET)
            .args(["doctor", "aws", "--endpoint-url", &moto.url])
            .args(["--regions", REGIONS]),
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("sts:GetCallerIdentity"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}
