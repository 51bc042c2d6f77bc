//! The stages of `phiscan scan --from-inventory FILE --format json|table`, run one after
//! the other in this process the way the CLI runs them, each with its wall time and the peak
//! resident memory reached while it ran.
//!
//! Peak memory per stage: Linux keeps the process's high-water mark (`VmHWM` in
//! /proc/self/status) and resets it to the current RSS when "5" is written to
//! /proc/self/clear_refs. Each stage's peak therefore includes what earlier stages still
//! hold (the inventory's scopes and errors stay alive until the end, as in the CLI; its
//! resources are released once evaluated).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use phiscan_core::pipeline::{self, Clock, Outcome, Request, Selection, Target};
use phiscan_core::policy::Policy;
use phiscan_core::{Inventory, ResourceKind};
use phiscan_output::report::{json, table, Report, Source};

/// Width the CLI wraps tables to when writing a file.
pub const TABLE_WIDTH: u16 = 160;

/// One stage's figures.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub wall: Duration,
    /// Peak resident set while the stage ran, in bytes; `None` where /proc is not there.
    pub peak_rss: Option<u64>,
    /// What the stage produced (resources loaded, findings, bytes written).
    pub produced: String,
}

/// The peak resident set since the last [`reset_peak`], in bytes.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Start a new peak-memory window at the current resident set.
pub fn reset_peak() {
    // Not fatal when unavailable: the figure is then the process's peak so far.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn timed<T>(name: &'static str, out: &mut Vec<Stage>, f: impl FnOnce() -> (T, String)) -> T {
    reset_peak();
    let start = Instant::now();
    let (value, produced) = f();
    out.push(Stage {
        name,
        wall: start.elapsed(),
        peak_rss: peak_rss(),
        produced,
    });
    value
}

/// Evaluate `inventory` with every registered check, as `phiscan scan --from-inventory`
/// without a configuration file does.
pub fn evaluate(inventory: Inventory, source: &str) -> Outcome {
    let registry = phiscan_checks::registry();
    let now = Utc::now();
    let request: Request<'_, std::convert::Infallible> = Request {
        target: Target::Inventory {
            inventory: Box::new(inventory),
            source: Source::Inventory(source.to_string()),
            // As the CLI without --evidence or --save-inventory.
            keep_resources: false,
        },
        selection: Selection {
            registry: &registry,
            cloud: None,
            include: Vec::new(),
            exclude: Vec::new(),
            profile: None,
        },
        params: Default::default(),
        check_params: Default::default(),
        segmentation: None,
        third_parties: Vec::new(),
        organization: Default::default(),
        policy: Policy::default(),
        framework: Default::default(),
        clock: Clock {
            fixed: None,
            started_at: now,
        },
        shard: None,
    };
    match pipeline::run(request) {
        Ok(outcome) => outcome,
        Err(e) => panic!("the synthetic inventory evaluates: {e}"),
    }
}

/// What the CLI does to a report before any format sees it (no evidence bundle).
pub fn prepare(report: &mut Report) {
    phiscan_output::evidence::redact::outputs::redact_report(report);
}

/// The JSON v1 document, written to `out`.
pub fn write_json(report: &Report, out: impl std::io::Write) -> std::io::Result<()> {
    json::write(report, out)
}

/// The table, as written to a file.
pub fn write_table(report: &Report, out: impl std::io::Write) -> std::io::Result<()> {
    table::write(report, Some(TABLE_WIDTH), out)
}

/// Run every stage over the saved inventory at `path`; the formats go to `out_dir`.
pub fn run(path: &Path, out_dir: &Path) -> anyhow::Result<Vec<Stage>> {
    let mut stages = Vec::new();
    let inventory = timed("load", &mut stages, || {
        let inv = Inventory::load(path);
        let n: usize = inv
            .as_ref()
            .map_or(0, |i| ResourceKind::ALL.iter().map(|k| k.count_in(i)).sum());
        (inv, format!("{n} resources"))
    })?;
    let mut outcome = timed("evaluate", &mut stages, || {
        let o = evaluate(inventory, &path.display().to_string());
        let n = o.report.findings.len();
        (o, format!("{n} findings"))
    });
    timed("redact", &mut stages, || {
        prepare(&mut outcome.report);
        ((), String::new())
    });
    for (name, file) in [("json", "report.json"), ("table", "report.txt")] {
        let target = out_dir.join(file);
        timed(name, &mut stages, || {
            let written = write_to(&target, |w| match name {
                "json" => write_json(&outcome.report, w),
                _ => write_table(&outcome.report, w),
            });
            let size = written.as_ref().map_or(0, |_| file_size(&target));
            (written, format!("{size} bytes"))
        })
        .with_context(|| format!("cannot write {}", target.display()))?;
    }
    Ok(stages)
}

fn write_to(
    path: &Path,
    f: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(path)?);
    f(&mut w)?;
    std::io::Write::flush(&mut w)
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}
