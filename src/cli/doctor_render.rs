//! How `phiscan doctor` prints what it found: a summary and a table (probes that agree in
//! every region on one row), or one JSON object; and where the README grants a permission.
//!
//! The README is compiled in: the line it names is the line of the policy or role table a
//! user copies, so the two cannot disagree (a test holds every probe's permission to a line).

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use phiscan_collect::doctor::{Diagnosis, Probe, ProbeStatus};
use phiscan_core::Provider;
use serde_json::json;

const README: &str = include_str!("../../README.md");
/// The marker before the AWS policy block (the read-only tests parse the same block).
const AWS_POLICY_MARKER: &str = "<!-- phiscan-aws-read-only-policy -->";

/// A README line that grants a probe's permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// 1-based line number in README.md.
    pub line: usize,
    pub text: String,
}

/// Where the README grants what `probe` needs: the IAM policy's action line (AWS), the row
/// of the role table naming the probe's broadest role (GCP), the Reader role (Azure).
pub fn grant(provider: Provider, probe: &Probe) -> Option<Grant> {
    let lines = README.lines().enumerate();
    match provider {
        Provider::Aws => {
            let quoted = format!("\"{}\"", probe.permission);
            let start = README.lines().position(|l| l.contains(AWS_POLICY_MARKER))?;
            lines
                .skip(start)
                .find(|(_, l)| l.trim().trim_end_matches(',') == quoted)
                .map(|(i, l)| Grant {
                    line: i + 1,
                    text: l.trim().trim_end_matches(',').to_string(),
                })
        }
        Provider::Gcp | Provider::Azure => {
            let role = probe.roles.first()?;
            let needle = match provider {
                Provider::Gcp => format!("(`{role}`)"),
                _ => format!("**{role}**"),
            };
            lines
                .into_iter()
                .find(|(_, l)| l.contains(&needle))
                .map(|(i, l)| {
                    // A table row: its first cell names the role; a sentence: the role itself.
                    let text = match l.trim().strip_prefix('|') {
                        Some(row) => row.split('|').next().unwrap_or(role).trim().to_string(),
                        None => format!("{role} role"),
                    };
                    Grant { line: i + 1, text }
                })
        }
    }
}

/// What to do about a probe that is not OK.
fn remedy(provider: Provider, p: &Probe) -> String {
    match p.status {
        ProbeStatus::Ok => String::new(),
        ProbeStatus::ApiDisabled => p.enable.clone().unwrap_or_default(),
        ProbeStatus::Error => p.reason.clone().unwrap_or_default(),
        ProbeStatus::Denied => {
            let mut s = format!("missing {}", p.permission);
            match (grant(provider, p), p.roles.as_slice()) {
                (Some(g), _) => s.push_str(&format!("; README.md line {}: {}", g.line, g.text)),
                (None, [role, ..]) => s.push_str(&format!("; granted by {role}")),
                (None, []) => {}
            }
            if let [_, narrower, ..] = p.roles.as_slice() {
                s.push_str(&format!(" (or {narrower})"));
            }
            s
        }
    }
}

/// Probes that agree but for the region, on one row with their regions.
fn rows(d: &Diagnosis) -> Vec<(Vec<String>, &Probe)> {
    let mut out: Vec<(Vec<String>, &Probe)> = Vec::new();
    for p in &d.probes {
        let same = |q: &Probe| {
            (&q.scope, q.kind, &q.operation, q.status) == (&p.scope, p.kind, &p.operation, p.status)
        };
        match out.iter_mut().find(|(_, q)| same(q)) {
            Some((regions, _)) => regions.extend(p.region.clone()),
            None => out.push((p.region.iter().cloned().collect(), p)),
        }
    }
    out
}

fn headline(d: &Diagnosis, checks: usize) -> String {
    let bad = d
        .probes
        .iter()
        .filter(|p| p.status != ProbeStatus::Ok)
        .count();
    let verdict = if bad == 0 {
        "everything a scan needs is readable (exit 0)".to_string()
    } else {
        format!("{bad} of {} probes are not OK (exit 3)", d.probes.len())
    };
    format!(
        "phiscan doctor {}: {} probe(s) for the resource kinds {checks} selected check(s) read; {verdict}",
        d.provider,
        d.probes.len()
    )
}

/// The readable form: who, what is seen, then per scope one row per probe (regions folded;
/// no region column where no probe is regional).
pub fn table(d: &Diagnosis, checks: usize) -> String {
    let mut out = format!("{}\n\nCredential\n", headline(d, checks));
    let width = d.identity.iter().map(|f| f.label.len()).max().unwrap_or(0);
    for f in &d.identity {
        out.push_str(&format!("  {:width$}  {}\n", f.label, f.value));
    }
    let rows = rows(d);
    let regional = d.probes.iter().any(|p| p.region.is_some());
    for s in &d.scopes {
        let name = s
            .name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let regions = match s.regions.as_slice() {
            [] => String::new(),
            r => format!(": regions {}", r.join(", ")),
        };
        out.push_str(&format!("\n{} {}{name}{regions}\n", s.provider, s.account));
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(super::table_width(false));
        let mut header = vec!["kind", "call", "status", "what to do"];
        if regional {
            header.insert(0, "region");
        }
        t.set_header(header);
        for (regions, p) in rows.iter().filter(|(_, p)| p.scope == s.account) {
            let mut row = vec![
                p.kind.as_str().to_string(),
                p.operation.clone(),
                p.status.label().to_string(),
                remedy(d.provider, p),
            ];
            if regional {
                row.insert(0, regions.join(", "));
            }
            t.add_row(row);
        }
        out.push_str(&format!("{t}\n"));
    }
    out
}

/// The JSON form (`phiscan-doctor/v1`): every probe, with the README line of its grant.
pub fn json(d: &Diagnosis, checks: usize) -> String {
    let probes: Vec<serde_json::Value> = d
        .probes
        .iter()
        .map(|p| {
            let mut v = serde_json::to_value(p).unwrap_or_default();
            if let Some(g) = grant(d.provider, p) {
                v["grant"] = json!({"file": "README.md", "line": g.line, "text": g.text});
            }
            v
        })
        .collect();
    let doc = json!({
        "format": "phiscan-doctor/v1",
        "provider": d.provider,
        "checks_selected": checks,
        "exit_code": if d.all_ok() { 0 } else { 3 },
        "identity": d.identity,
        "scopes": d.scopes,
        "probes": probes,
        "api_calls": d.api_calls,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use phiscan_core::ResourceKind;

    fn probe(permission: &str, roles: &[&str]) -> Probe {
        Probe {
            scope: "s".into(),
            region: None,
            kind: ResourceKind::AwsEbsVolume,
            operation: permission.into(),
            permission: permission.into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            status: ProbeStatus::Denied,
            reason: None,
            enable: None,
        }
    }

    /// The README line named is the policy's action line, or the role's row.
    #[test]
    fn grants_point_at_the_readme_lines_that_grant() {
        let g = grant(Provider::Aws, &probe("ec2:DescribeVolumes", &[])).unwrap();
        assert_eq!(g.text, "\"ec2:DescribeVolumes\"");
        assert!(README
            .lines()
            .nth(g.line - 1)
            .unwrap()
            .contains("\"ec2:DescribeVolumes\""));
        assert_eq!(grant(Provider::Aws, &probe("ec2:RunInstances", &[])), None);
        let g = grant(
            Provider::Gcp,
            &probe("compute.disks.list", &["roles/viewer"]),
        )
        .unwrap();
        assert_eq!(g.text, "Viewer (`roles/viewer`)");
        let g = grant(
            Provider::Azure,
            &probe("Microsoft.Compute/disks/read", &["Reader"]),
        )
        .unwrap();
        assert!(README
            .lines()
            .nth(g.line - 1)
            .unwrap()
            .contains("**Reader**"));
    }
}
