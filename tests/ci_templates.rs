//! The CI templates of ci/templates/ parse as YAML, have the parts the README promises, and
//! every phiscan command in them uses subcommands and flags this phiscan has (each checked
//! against `phiscan <subcommand> --help`), with shard numbers that cover every shard.

mod support;

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
    for sub in ["scan", "merge", "report", "diff"] {
        assert!(subs.contains(sub), "{sub} missing: {subs:?}");
    }
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
    for sub in ["scan", "merge", "report", "diff"] {
        assert!(subs.contains(sub), "{sub} missing: {subs:?}");
    }
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
