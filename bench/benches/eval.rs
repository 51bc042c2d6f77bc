//! divan statistics for the in-process stages of `phiscan scan --from-inventory` over
//! synthetic inventories (`cargo bench -p phiscan-bench`). The 1M-resource figures come
//! from `ci/bench-eval.sh`, which runs each stage once: a sample of them takes seconds.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use chrono::{TimeZone, Utc};
use divan::Bencher;
use phiscan_bench::{stages, synth};
use phiscan_core::pipeline::Outcome;
use phiscan_core::Inventory;

const SIZES: [usize; 2] = [10_000, 100_000];

fn main() {
    divan::main();
}

/// The saved inventory of `n` resources, generated once per size.
fn text(n: usize) -> &'static str {
    static TEXTS: OnceLock<Mutex<BTreeMap<usize, &'static str>>> = OnceLock::new();
    let mut texts = TEXTS.get_or_init(Default::default).lock().unwrap();
    texts.entry(n).or_insert_with(|| {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
        let mut buf = Vec::new();
        synth::write(n, now, &mut buf).unwrap();
        String::from_utf8(buf).unwrap().leak()
    })
}

fn inventory(n: usize) -> Inventory {
    Inventory::from_json(text(n), "synthetic").unwrap()
}

/// The evaluated (and redacted) scan of `n` resources, made once per size.
fn outcome(n: usize) -> &'static Outcome {
    static OUTCOMES: OnceLock<Mutex<BTreeMap<usize, &'static Outcome>>> = OnceLock::new();
    let mut outcomes = OUTCOMES.get_or_init(Default::default).lock().unwrap();
    outcomes.entry(n).or_insert_with(|| {
        let mut o = stages::evaluate(inventory(n), "synthetic");
        stages::prepare(&mut o.report);
        Box::leak(Box::new(o))
    })
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn load(bencher: Bencher, n: usize) {
    let text = text(n);
    bencher.bench(|| Inventory::from_json(text, "synthetic").unwrap());
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn evaluate(bencher: Bencher, n: usize) {
    bencher
        .with_inputs(|| inventory(n))
        .bench_values(|inv| stages::evaluate(inv, "synthetic"));
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn redact(bencher: Bencher, n: usize) {
    let o = outcome(n);
    bencher
        .with_inputs(|| o.report.clone())
        .bench_refs(stages::prepare);
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn write_json(bencher: Bencher, n: usize) {
    let o = outcome(n);
    bencher.bench(|| stages::write_json(&o.report, std::io::sink()).unwrap());
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn write_table(bencher: Bencher, n: usize) {
    let o = outcome(n);
    bencher.bench(|| stages::write_table(&o.report, std::io::sink()).unwrap());
}

/// One line of many short secrets (`authorization:x,` repeated), redacted: the time of a
/// 200 KB line is ten times that of a 20 KB one when each secret is handled once, and a
/// hundred times when each rescans the rest of the line. This is the measurement behind the
/// redaction property tests, which assert only what is redacted (no test is timed).
#[divan::bench(args = [20_000, 200_000], consts = [0, 1, 2, 3], sample_count = 5)]
fn redact_long_line<const UNIT: usize>(bencher: Bencher, len: usize) {
    let unit = ["authorization:x,", "password=x;", "a?sig=x&", "Bearer x "][UNIT];
    let text = unit.repeat(len / unit.len());
    bencher.bench(|| {
        let mut r = phiscan_output::evidence::redact::Redactor::new();
        r.string(&text)
    });
}
