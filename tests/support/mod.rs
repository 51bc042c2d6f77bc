//! Helpers shared by the end-to-end tests: the binary with an isolated environment, its
//! output, and the verdicts of a JSON report.
// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod moto;
pub mod per_resource;
pub mod raw;

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// Variables through which the machine running the tests could hand the binary a
/// credential, profile, endpoint, signing key or log filter of its own.
const FROM_THE_MACHINE: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "GOOGLE_OAUTH_ACCESS_TOKEN",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GOOGLE_CLOUD_PROJECT",
    "GOOGLE_CLOUD_QUOTA_PROJECT",
    "GOOGLE_CLOUD_UNIVERSE_DOMAIN",
    "PHISCAN_GCP_ENDPOINT",
    "AZURE_ACCESS_TOKEN",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_AUTHORITY_HOST",
    "PHISCAN_AZURE_ENDPOINT",
    "IDENTITY_ENDPOINT",
    "IDENTITY_HEADER",
    "MSI_ENDPOINT",
    "PHISCAN_SIGNING_KEY",
    "JOB_COMPLETION_INDEX",
    "RUST_LOG",
];

/// The binary with nothing from the machine that could change what it does: none of
/// `FROM_THE_MACHINE`, no AWS profile files or instance metadata, and GCP's metadata server
/// a closed port should credentials ever fall back to it.
pub fn phiscan() -> Command {
    let mut c = Command::cargo_bin("phiscan").expect("binary built");
    for var in FROM_THE_MACHINE {
        c.env_remove(var);
    }
    c.env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("GCE_METADATA_HOST", "127.0.0.1:9");
    c
}

/// `phiscan()` with static AWS keys and `us-east-1` as the default region.
pub fn aws(key_id: &str, secret: &str) -> Command {
    let mut c = phiscan();
    c.env("AWS_ACCESS_KEY_ID", key_id)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_DEFAULT_REGION", "us-east-1");
    c
}

/// `phiscan()` with a static GCP token, and gcloud's configuration (and HOME) in `home`, so
/// that no gcloud login of the machine is found.
pub fn gcp(token: &str, home: &Path) -> Command {
    let mut c = phiscan();
    c.env("GOOGLE_OAUTH_ACCESS_TOKEN", token)
        .env("CLOUDSDK_CONFIG", home)
        .env("HOME", home);
    c
}

/// `phiscan()` with a static Azure token.
pub fn azure(token: &str) -> Command {
    let mut c = phiscan();
    c.env("AZURE_ACCESS_TOKEN", token);
    c
}

/// What a run of the binary printed, and its exit code.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as JSON; panics with the exit code and stderr when it is not. A JSON v1 report
    /// must also validate against docs/json-v1.schema.json ([`json`]).
    pub fn report(&self) -> Value {
        json(self.stdout.as_bytes())
            .unwrap_or_else(|e| panic!("{e}; exit {}; stderr: {}", self.code, self.stderr))
    }
}

/// Parse JSON output; a JSON v1 report (`scan.format` = `phiscan-json/v1`) must also
/// validate against the published schema, docs/json-v1.schema.json, so a field the schema
/// (and docs/json-v1.md) does not know fails the test that wrote it.
pub fn json(bytes: &[u8]) -> Result<Value, String> {
    let v: Value =
        serde_json::from_slice(bytes).map_err(|e| format!("output is not JSON ({e})"))?;
    if v["scan"]["format"] == "phiscan-json/v1" {
        let errors: Vec<String> = report_schema()
            .iter_errors(&v)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .take(10)
            .collect();
        if !errors.is_empty() {
            return Err(format!(
                "the report does not validate against docs/json-v1.schema.json:\n{}",
                errors.join("\n")
            ));
        }
    }
    Ok(v)
}

fn report_schema() -> &'static jsonschema::Validator {
    static SCHEMA: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json-v1.schema.json");
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .expect("docs/json-v1.schema.json is JSON");
        jsonschema::draft7::new(&schema).expect("docs/json-v1.schema.json compiles")
    })
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

/// `text` says every one of `phrases` (a table a person reads, a message).
pub fn assert_says(text: &str, phrases: &[&str]) {
    for says in phrases {
        assert!(text.contains(says), "{says:?} is not in:\n{text}");
    }
}

/// A saved inventory of one AWS account and region whose EBS volumes could not be listed
/// (`reason`), written to `dir/inv.json`: the smallest estate with an ERROR finding.
pub fn inventory_with_volume_error(dir: &Path, reason: &str) -> std::path::PathBuf {
    let path = dir.join("inv.json");
    let inv = serde_json::json!({
        "format": "phiscan-inventory/v1",
        "collected_at": "2026-06-01T12:00:00Z",
        "scopes": [{"provider": "aws", "account": "111122223333", "regions": ["us-east-1"]}],
        "errors": [{"provider": "aws", "account": "111122223333", "region": "us-east-1",
                    "kind": "AwsEbsVolume", "reason": reason}]
    });
    std::fs::write(&path, inv.to_string()).unwrap();
    path
}

/// (check id, resource id) -> status.
pub type Verdicts = BTreeMap<(String, String), String>;

/// The verdicts of a `--format json` report; panics on two findings of one check on one
/// resource, which a map would silently merge.
pub fn verdicts(report: &Value) -> Verdicts {
    let mut out = BTreeMap::new();
    for f in report["findings"].as_array().expect("findings") {
        let key = (
            f["check_id"].as_str().unwrap().to_string(),
            f["resource"]["id"].as_str().unwrap().to_string(),
        );
        let prev = out.insert(key.clone(), f["status"].as_str().unwrap().to_string());
        assert!(prev.is_none(), "two findings for {key:?}");
    }
    out
}

/// The ids of a report's scopes (accounts, projects or subscriptions), in report order.
pub fn scope_accounts(report: &Value) -> Vec<String> {
    report["scan"]["scope"]
        .as_array()
        .expect("scope")
        .iter()
        .map(|s| s["account"].as_str().unwrap().to_string())
        .collect()
}

/// phiscan.toml for issue 14's checks: the issue's `[segmentation]` and partner (Acme Backup
/// Co, read until 2027-06-30, on all three clouds), and `organization.gcp_domains`.
pub fn segmentation_toml(gcp_domain: &str) -> String {
    format!(
        r#"
[segmentation]
customer_tag = "customer"
bastion_tag = "role=bastion"
data_tier_tag = "tier=data"
admin_cidrs = ["10.8.0.0/16"]

[[third_parties]]
name = "Acme Backup Co"
aws_accounts = ["210987654321"]
gcp_members = ["domain:acme-backup.example", "serviceAccount:sync@acme-prod.iam.gserviceaccount.com"]
azure_tenants = ["7f3e0c52-1b8d-4f6a-9c2e-5d4b3a2f1e0d"]
access = "read"
expires = 2027-06-30

[organization]
gcp_domains = ["{gcp_domain}"]
"#
    )
}
