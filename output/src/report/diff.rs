//! Compare two scans (JSON v1 documents, from files or evidence bundles): what newly fails,
//! what was fixed, what still fails, what can newly not be verified, which resources appeared
//! or went away, and how each HIPAA control moved.
//!
//! Findings are matched by (check id, resource id): ids are stable (DESIGN rule 6) and a
//! resource's canonical id does not change while it exists. A FAIL that disappears because
//! its resource is gone is listed under removed resources, not under fixed: deleting a
//! resource is not remediating it.
//!
//! Exit code (for CI gates): 1 when something newly fails at or above the threshold (the NEW
//! scan's `--fail-on` unless overridden), else 0.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::json::{Parsed, ParsedFinding};
use crate::check::{Severity, Status};
use crate::policy::{self, EXIT_FAILURES};

#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub label: String,
    pub version: String,
    pub evaluated_at: chrono::DateTime<chrono::Utc>,
    pub findings: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub check_id: String,
    pub severity: Severity,
    pub provider: crate::Provider,
    pub account: String,
    pub region: String,
    pub resource_id: String,
    pub resource_name: String,
    pub old_status: Option<Status>,
    pub new_status: Option<Status>,
    pub controls: Vec<String>,
    /// The newest reason: the new scan's, or the old one's when the finding is gone.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResourceEntry {
    pub provider: crate::Provider,
    pub account: String,
    pub region: String,
    pub kind: crate::ResourceKind,
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ControlDiff {
    pub id: String,
    pub name: String,
    pub old_verdict: Option<String>,
    pub new_verdict: Option<String>,
    pub newly_failing: usize,
    pub fixed: usize,
    pub still_failing: usize,
    pub newly_error: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub format: &'static str,
    pub old: Side,
    pub new: Side,
    pub fail_on: Severity,
    pub newly_failing: Vec<Change>,
    pub fixed: Vec<Change>,
    pub still_failing: Vec<Change>,
    /// Could be verified before, cannot now (ERROR): the data went missing.
    pub newly_error: Vec<Change>,
    pub new_resources: Vec<ResourceEntry>,
    pub removed_resources: Vec<ResourceEntry>,
    /// Controls where anything changed or still fails, in the order of the regulation.
    pub controls: Vec<ControlDiff>,
    pub exit_code: i32,
}

pub const FORMAT: &str = "phiscan-diff/v1";

fn change(old: Option<&ParsedFinding>, new: Option<&ParsedFinding>) -> Change {
    let f = new.or(old).expect("one side exists");
    Change {
        check_id: f.check_id.clone(),
        severity: f.severity,
        provider: f.provider,
        account: f.account.clone(),
        region: f.region.clone(),
        resource_id: f.resource.id.clone(),
        resource_name: f.resource.name.clone(),
        old_status: old.map(|f| f.status),
        new_status: new.map(|f| f.status),
        controls: f.controls.iter().map(|c| c.id.clone()).collect(),
        reason: f.reason.clone(),
    }
}

fn resources(p: &Parsed) -> BTreeMap<&str, ResourceEntry> {
    p.findings
        .iter()
        // ERROR findings of failed collections name a scope, not a resource.
        .filter(|f| f.status != Status::Error)
        .map(|f| {
            (
                f.resource.id.as_str(),
                ResourceEntry {
                    provider: f.provider,
                    account: f.account.clone(),
                    region: f.region.clone(),
                    kind: f.resource.kind,
                    id: f.resource.id.clone(),
                    name: f.resource.name.clone(),
                },
            )
        })
        .collect()
}

/// Compare `old` with `new`. `fail_on`: the exit-code threshold; `None` takes the new scan's.
pub fn diff(
    old: &Parsed,
    old_label: &str,
    new: &Parsed,
    new_label: &str,
    fail_on: Option<Severity>,
) -> Diff {
    let key = |f: &ParsedFinding| (f.check_id.clone(), f.resource.id.clone());
    let old_by: BTreeMap<_, &ParsedFinding> = old.findings.iter().map(|f| (key(f), f)).collect();
    let new_by: BTreeMap<_, &ParsedFinding> = new.findings.iter().map(|f| (key(f), f)).collect();
    let (mut newly_failing, mut fixed, mut still_failing, mut newly_error) =
        (vec![], vec![], vec![], vec![]);
    for (k, n) in &new_by {
        let o = old_by.get(k).copied();
        let os = o.map(|f| f.status);
        match n.status {
            Status::Fail if os == Some(Status::Fail) => still_failing.push(change(o, Some(n))),
            // Also a FAIL whose waiver expired or was removed: it counts again.
            Status::Fail => newly_failing.push(change(o, Some(n))),
            Status::Error if os != Some(Status::Error) => newly_error.push(change(o, Some(n))),
            Status::Pass | Status::NotApplicable
                if matches!(os, Some(Status::Fail | Status::Waived)) =>
            {
                fixed.push(change(o, Some(n)))
            }
            // A waived failure is an accepted risk: never newly failing.
            _ => {}
        }
    }
    let old_res = resources(old);
    let new_res = resources(new);
    let new_resources: Vec<ResourceEntry> = new_res
        .iter()
        .filter(|(id, _)| !old_res.contains_key(*id))
        .map(|(_, r)| r.clone())
        .collect();
    let removed_resources: Vec<ResourceEntry> = old_res
        .iter()
        .filter(|(id, _)| !new_res.contains_key(*id))
        .map(|(_, r)| r.clone())
        .collect();

    // Per control, in the order of the regulation (the JSON's controls order).
    let mut order: Vec<(String, String)> = Vec::new();
    for row in new.controls.iter().chain(&old.controls) {
        if !order.iter().any(|(id, _)| *id == row.id) {
            order.push((row.id.clone(), row.name.clone()));
        }
    }
    let verdict = |p: &Parsed, id: &str| {
        p.controls
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.verdict.clone())
    };
    let count = |list: &[Change], id: &str| {
        list.iter()
            .filter(|c| c.controls.iter().any(|x| x == id))
            .count()
    };
    let controls: Vec<ControlDiff> = order
        .into_iter()
        .map(|(id, name)| ControlDiff {
            old_verdict: verdict(old, &id),
            new_verdict: verdict(new, &id),
            newly_failing: count(&newly_failing, &id),
            fixed: count(&fixed, &id),
            still_failing: count(&still_failing, &id),
            newly_error: count(&newly_error, &id),
            id,
            name,
        })
        .filter(|c| {
            c.old_verdict != c.new_verdict
                || c.newly_failing + c.fixed + c.still_failing + c.newly_error > 0
        })
        .collect();

    let fail_on = fail_on.unwrap_or(new.scan.fail_on);
    let exit_code = policy::regression_exit_code(newly_failing.iter().map(|c| c.severity), fail_on);
    let side = |p: &Parsed, label: &str| Side {
        label: label.to_string(),
        version: p.scan.version.clone(),
        evaluated_at: p.scan.evaluated_at,
        findings: p.findings.len(),
    };
    Diff {
        format: FORMAT,
        old: side(old, old_label),
        new: side(new, new_label),
        fail_on,
        newly_failing,
        fixed,
        still_failing,
        newly_error,
        new_resources,
        removed_resources,
        controls,
        exit_code,
    }
}

pub fn render_json(d: &Diff) -> String {
    // Plain data: serialization cannot fail.
    serde_json::to_string_pretty(d).expect("diff serializes") + "\n"
}

fn status(s: Option<Status>) -> &'static str {
    s.map(|s| s.as_str()).unwrap_or("absent")
}

pub fn render_table(d: &Diff) -> String {
    let t = |x: &chrono::DateTime<chrono::Utc>| x.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let mut out = format!(
        "phiscan diff\n  old: {} (phiscan {}, evaluated at {}, {} findings)\n  new: {} (phiscan {}, evaluated at {}, {} findings)\n\n",
        d.old.label, d.old.version, t(&d.old.evaluated_at), d.old.findings,
        d.new.label, d.new.version, t(&d.new.evaluated_at), d.new.findings
    );
    let section = |out: &mut String, title: &str, list: &[Change], show_old: bool| {
        if list.is_empty() {
            return;
        }
        out.push_str(&format!("{title} ({})\n", list.len()));
        let mut sorted: Vec<&Change> = list.iter().collect();
        sorted.sort_by_key(|c| std::cmp::Reverse(c.severity));
        for c in sorted {
            let was = if show_old {
                format!(" [was {}]", status(c.old_status))
            } else {
                String::new()
            };
            out.push_str(&format!(
                "  {:<8} {}  {}{}\n           {}\n",
                c.severity.as_str(),
                c.check_id,
                c.resource_id,
                was,
                c.reason
            ));
        }
        out.push('\n');
    };
    section(&mut out, "Newly failing", &d.newly_failing, true);
    section(&mut out, "Newly unverifiable (ERROR)", &d.newly_error, true);
    section(&mut out, "Fixed", &d.fixed, false);
    section(&mut out, "Still failing", &d.still_failing, false);
    for (title, list) in [
        ("New resources", &d.new_resources),
        ("Removed resources", &d.removed_resources),
    ] {
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!("{title} ({})\n", list.len()));
        for r in list {
            out.push_str(&format!("  {} {}  {}\n", r.provider, r.kind.as_str(), r.id));
        }
        out.push('\n');
    }
    if !d.controls.is_empty() {
        out.push_str("HIPAA controls\n");
        for c in &d.controls {
            out.push_str(&format!(
                "  {} {}: {} -> {} ({} newly failing, {} fixed, {} still failing, {} newly unverifiable)\n",
                c.id,
                c.name,
                c.old_verdict.as_deref().unwrap_or("absent"),
                c.new_verdict.as_deref().unwrap_or("absent"),
                c.newly_failing,
                c.fixed,
                c.still_failing,
                c.newly_error
            ));
        }
        out.push('\n');
    }
    let unique = |l: &[Change]| {
        l.iter()
            .map(|c| &c.resource_id)
            .collect::<BTreeSet<_>>()
            .len()
    };
    out.push_str(&format!(
        "{} newly failing ({} resources), {} fixed, {} still failing, {} newly unverifiable, {} new and {} removed resources.\n",
        d.newly_failing.len(),
        unique(&d.newly_failing),
        d.fixed.len(),
        d.still_failing.len(),
        d.newly_error.len(),
        d.new_resources.len(),
        d.removed_resources.len()
    ));
    out.push_str(&if d.exit_code == EXIT_FAILURES {
        format!(
            "Exit code 1: something newly fails at or above severity {}.\n",
            d.fail_on
        )
    } else {
        format!(
            "Exit code 0: nothing newly fails at or above severity {}.\n",
            d.fail_on
        )
    });
    out
}
