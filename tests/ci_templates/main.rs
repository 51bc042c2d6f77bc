//! The CI templates of ci/templates/ parse as YAML, have the parts the README promises, and
//! every phiscan command in them uses subcommands and flags this phiscan has (each checked
//! against `phiscan <subcommand> --help`), with shard numbers that cover every shard; the
//! Kubernetes Indexed Job's shard command lines, run with each pod's JOB_COMPLETION_INDEX,
//! merge to the unsharded scan. The release workflow and the scheduled templates' install
//! of its binaries: [`release`].

#[path = "../support/mod.rs"]
mod support;

mod release;

use std::collections::BTreeSet;
use std::path::Path;

use serde_norway::Value;

fn template(name: &str) -> (String, Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("ci/templates")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let yaml: Value =
        serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (text, yaml)
}

/// Every string of the document (scripts, `run:` blocks, ...).
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Sequence(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Mapping(m) => m.iter().for_each(|(k, v)| {
            strings(k, out);
            strings(v, out);
        }),
        Value::Tagged(t) => strings(&t.value, out),
        _ => {}
    }
}

/// Every string of `v`, one a line: a job's script, a step's `run`.
fn all_text(v: &Value) -> String {
    let mut out = Vec::new();
    strings(v, &mut out);
    out.join("\n")
}

/// The phiscan command lines of the scripts, continuation lines joined.
fn phiscan_commands(yaml: &Value) -> Vec<Vec<String>> {
    let mut texts = Vec::new();
    strings(yaml, &mut texts);
    let mut out = Vec::new();
    for text in texts {
        let joined = text.replace("\\\n", " ");
        for line in joined.lines() {
            let line = line.trim();
            // `if ... then phiscan ...` is not used; commands start their line.
            let Some(rest) = line.strip_prefix("phiscan ") else {
                continue;
            };
            let words: Vec<String> = rest
                .split_whitespace()
                .take_while(|w| !matches!(*w, "||" | "&&" | ";" | "|"))
                .map(str::to_string)
                .collect();
            out.push(words);
        }
    }
    out
}

fn help(sub: &[&str]) -> String {
    let out = support::phiscan().args(sub).arg("--help").output().unwrap();
    assert!(out.status.success(), "phiscan {sub:?} --help fails");
    String::from_utf8(out.stdout).unwrap()
}

/// Check one command: a real subcommand, every flag in its --help; returns the subcommand.
fn check_command(words: &[String]) -> String {
    let nested = ["evidence", "checks", "profiles"];
    let n = if nested.contains(&words[0].as_str()) {
        2
    } else {
        1
    };
    let sub: Vec<&str> = words[..n].iter().map(String::as_str).collect();
    let text = help(&sub);
    for w in &words[n..] {
        let flag = w.split('=').next().unwrap();
        if flag.starts_with("--") {
            assert!(
                text.contains(&format!("{flag} ")) || text.contains(&format!("{flag}\n")),
                "phiscan {}: {flag} is not a flag of this phiscan",
                sub.join(" ")
            );
        } else if flag.len() == 2 && flag.starts_with('-') {
            assert!(
                text.contains(&format!("{flag},")),
                "phiscan {}: {flag} is not a flag of this phiscan",
                sub.join(" ")
            );
        }
    }
    sub.join(" ")
}

fn check_all(yaml: &Value) -> BTreeSet<String> {
    let commands = phiscan_commands(yaml);
    assert!(commands.len() >= 4, "{commands:?}");
    commands.iter().map(|c| check_command(c)).collect()
}

#[test]
fn github_actions_workflow_uses_real_commands_and_covers_every_shard() {
    let (text, yaml) = template("github-actions.yml");
    let on = &yaml["on"];
    assert!(on["schedule"][0]["cron"].as_str().is_some());
    assert!(on.get("workflow_dispatch").is_some());
    let scan = &yaml["jobs"]["scan"];
    assert_eq!(scan["permissions"]["id-token"], "write");
    let merge = &yaml["jobs"]["merge"];
    assert_eq!(merge["needs"], "scan");
    assert_eq!(merge["permissions"]["security-events"], "write");
    for action in [
        "aws-actions/configure-aws-credentials@",
        "github/codeql-action/upload-sarif@",
        "actions/upload-artifact@",
        "actions/download-artifact@",
    ] {
        assert!(text.contains(action), "{action}");
    }
    let subs = check_all(&yaml);
    for sub in ["scan", "merge", "report", "diff", "doctor"] {
        assert!(subs.contains(sub), "{sub} missing: {subs:?}");
    }
    // GCP (workload identity federation) and Azure (federated credential) jobs, on OIDC.
    let clouds = &yaml["jobs"]["scan-clouds"];
    assert_eq!(clouds["permissions"]["id-token"], "write");
    assert_eq!(
        clouds["strategy"]["matrix"]["cloud"],
        serde_norway::from_str::<Value>("[gcp, azure]").unwrap()
    );
    let step = |uses: &str| -> Value {
        clouds["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(uses)))
            .unwrap_or_else(|| panic!("no {uses} step"))
            .clone()
    };
    let gcp = step("google-github-actions/auth@");
    assert_eq!(gcp["if"], "matrix.cloud == 'gcp'");
    assert!(gcp["with"]["workload_identity_provider"].as_str().is_some());
    let azure = step("azure/login@");
    assert_eq!(azure["if"], "matrix.cloud == 'azure'");
    for key in ["client-id", "tenant-id", "subscription-id"] {
        assert!(azure["with"][key].as_str().is_some(), "{key}");
    }
    assert!(text.contains("phiscan scan \"${{ matrix.cloud }}\""));
    // The matrix lists shards 1..=N for the N the scan uses.
    let n: u64 = yaml["env"]["SHARDS"].as_str().unwrap().parse().unwrap();
    let shards: Vec<u64> = scan["strategy"]["matrix"]["shard"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(shards, (1..=n).collect::<Vec<_>>());
    assert!(text.contains("--shard \"${{ matrix.shard }}/$SHARDS\""));
}

#[test]
fn gitlab_ci_uses_real_commands_and_reports() {
    let (text, yaml) = template("gitlab-ci.yml");
    let scan = &yaml["phiscan-scan"];
    assert_eq!(scan["parallel"].as_u64(), Some(4));
    assert!(scan["id_tokens"]["AWS_OIDC_TOKEN"]["aud"]
        .as_str()
        .is_some());
    let merge = &yaml["phiscan-merge"];
    assert_eq!(merge["artifacts"]["reports"]["junit"], "phiscan.junit.xml");
    assert!(text.contains("$CI_PIPELINE_SOURCE == \"schedule\""));
    assert!(text.contains("--shard \"$CI_NODE_INDEX/$CI_NODE_TOTAL\""));
    let subs = check_all(&yaml);
    for sub in ["scan", "merge", "report", "diff", "doctor"] {
        assert!(subs.contains(sub), "{sub} missing: {subs:?}");
    }
    // GCP: the job's OIDC token as the subject token of an external_account file (workload
    // identity federation); Azure: the token as AZURE_FEDERATED_TOKEN_FILE.
    let gcp = &yaml["phiscan-scan-gcp"];
    assert!(gcp["id_tokens"]["GCP_OIDC_TOKEN"]["aud"].as_str().is_some());
    let script = all_text(&gcp["script"]);
    for says in [
        "\"type\": \"external_account\"",
        "\"credential_source\": {\"file\"",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "phiscan scan gcp",
    ] {
        assert!(script.contains(says), "{says}");
    }
    let azure = &yaml["phiscan-scan-azure"];
    assert_eq!(
        azure["id_tokens"]["AZURE_OIDC_TOKEN"]["aud"],
        "api://AzureADTokenExchange"
    );
    let script = all_text(&azure["script"]);
    for says in [
        "AZURE_FEDERATED_TOKEN_FILE",
        "AZURE_CLIENT_ID",
        "AZURE_TENANT_ID",
        "phiscan scan azure",
    ] {
        assert!(script.contains(says), "{says}");
    }
}

/// The first container of a Job manifest.
fn container(job: &Value) -> &Value {
    &job["spec"]["template"]["spec"]["containers"][0]
}

/// A word of a shell command line with its double quotes and the variables the test
/// stands in for expanded.
fn expand(word: &str, vars: &[(&str, &str)]) -> String {
    let mut w = word.replace('"', "");
    for (k, v) in vars {
        w = w.replace(&format!("${k}"), v);
    }
    w
}

#[test]
fn kubernetes_indexed_job_shards_merge_to_the_unsharded_scan() {
    let (_, scan) = template("kubernetes-scan.yml");
    let (_, merge) = template("kubernetes-merge.yml");
    assert_eq!(scan["kind"], "Job");
    assert_eq!(scan["spec"]["completionMode"], "Indexed");
    let n = scan["spec"]["completions"].as_u64().unwrap();
    assert_eq!(scan["spec"]["parallelism"].as_u64(), Some(n));
    let env = container(&scan)["env"].as_sequence().unwrap();
    let shards = env
        .iter()
        .find(|e| e["name"] == "SHARDS")
        .and_then(|e| e["value"].as_str())
        .unwrap();
    assert_eq!(shards, n.to_string(), "SHARDS is the Job's completions");
    // Both Jobs share the reports volume.
    let claim = |job: &Value| job["spec"]["template"]["spec"]["volumes"][0].clone();
    assert_eq!(claim(&scan), claim(&merge));
    let mount = container(&scan)["volumeMounts"][0]["mountPath"]
        .as_str()
        .unwrap();
    assert_eq!(container(&merge)["volumeMounts"][0]["mountPath"], mount);
    assert!(check_all_of(&[&scan, &merge]).contains("merge"));

    // The shard command line, run as each pod would run it: over the demo estate instead of
    // AWS, with the pod's JOB_COMPLETION_INDEX.
    let scan_cmd = &phiscan_commands(&scan)[0];
    assert_eq!(scan_cmd[..2], ["scan".to_string(), "aws".to_string()]);
    assert!(
        scan_cmd.contains(&"\"auto/$SHARDS\"".to_string()),
        "{scan_cmd:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().to_str().unwrap();
    let now = "2026-06-01T12:00:00Z";
    for index in 0..n {
        let i = index.to_string();
        let vars = [("SHARDS", shards), ("JOB_COMPLETION_INDEX", i.as_str())];
        let args: Vec<String> = scan_cmd[2..]
            .iter()
            .map(|w| expand(w, &vars).replace(mount, reports))
            .collect();
        let out = support::run(
            support::phiscan()
                .args(["scan", "--demo", "--now", now])
                .args(&args)
                .env("JOB_COMPLETION_INDEX", &i),
        );
        assert!(matches!(out.code, 0 | 1 | 3), "{args:?}: {}", out.stderr);
    }
    // The merge Job's command line, its glob expanded as the shell would.
    let merge_cmd = &phiscan_commands(&merge)[0];
    assert_eq!(merge_cmd[0], "merge");
    let mut parts: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .filter(|p| p.ends_with(".json"))
        .collect();
    parts.sort();
    assert_eq!(parts.len() as u64, n, "one report per pod: {parts:?}");
    let mut args = Vec::new();
    for w in &merge_cmd[1..] {
        let w = expand(w, &[]).replace(mount, reports);
        if w.contains('*') {
            args.extend(parts.iter().cloned());
        } else {
            args.push(w);
        }
    }
    let out = support::run(support::phiscan().arg("merge").args(&args));
    assert!(matches!(out.code, 0 | 1 | 3), "{args:?}: {}", out.stderr);
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let merged = read(&dir.path().join("phiscan.json"));
    let whole_path = dir.path().join("whole.out");
    let out = support::run(support::phiscan().args([
        "scan",
        "--demo",
        "--now",
        now,
        "--format",
        "json",
        "-o",
        whole_path.to_str().unwrap(),
    ]));
    assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
    let whole = read(&whole_path);
    let findings = |r: &serde_json::Value| -> BTreeSet<String> {
        let list = r["findings"].as_array().unwrap();
        list.iter().map(|f| f.to_string()).collect()
    };
    assert!(!findings(&whole).is_empty());
    assert_eq!(findings(&merged), findings(&whole));
    for field in ["counts", "exit_code", "scope", "checks_run"] {
        assert_eq!(merged["scan"][field], whole["scan"][field], "scan.{field}");
    }
    assert_eq!(merged["controls"], whole["controls"]);
}

#[test]
fn shard_auto_without_a_completion_index_is_a_usage_error() {
    for (index, says) in [
        (None, "not set"),
        (Some("4"), "0 to 3"),
        (Some("x"), "0 to 3"),
    ] {
        let mut cmd = support::phiscan();
        cmd.args(["scan", "--demo", "--shard", "auto/4", "--format", "json"]);
        if let Some(i) = index {
            cmd.env("JOB_COMPLETION_INDEX", i);
        }
        let out = support::run(&mut cmd);
        assert_eq!(out.code, 2, "{index:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("JOB_COMPLETION_INDEX"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains(says), "{index:?}: {}", out.stderr);
    }
}

fn check_all_of(jobs: &[&Value]) -> BTreeSet<String> {
    let commands: Vec<Vec<String>> = jobs.iter().flat_map(|j| phiscan_commands(j)).collect();
    commands.iter().map(|c| check_command(c)).collect()
}

#[test]
fn the_flag_check_catches_a_made_up_flag() {
    let words: Vec<String> = ["scan", "aws", "--no-such-flag"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let caught = std::panic::catch_unwind(|| check_command(&words));
    assert!(caught.is_err());
}
