//! Everything phiscan says on stderr besides errors: notes, live-scan progress and `-v` logs.
//! Stdout carries results only, so `phiscan scan ... --format json | jq` always works.
//!
//! - `-q`: nothing (errors still print, from `cli::run`).
//! - stderr a terminal, no `-v`: one spinner per provider and service (API calls, errors so
//!   far), then a summary per provider (resources found per kind, collection errors).
//! - otherwise (a CI log, a pipe, or `-v`): the same summary as one plain line per provider
//!   once collection is done, and nothing while it runs, so that a scan that cannot start
//!   still prints its error as the one line on stderr. With `-v`, every API call is logged
//!   as it completes (failed ones as WARN); `-vv` adds phiscan's debug lines ([`detail`]).
//!
//! None of it goes through `tracing`: a release build compiles every `tracing` event and
//! span out of every crate (Cargo.toml), and the SDKs' own events are not for the terminal
//! (their debug output can include request details).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::{Mutex, OnceLock};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use phiscan_core::model::ApiCall;
use phiscan_core::{Inventory, Provider, ResourceKind};

#[derive(Clone, Copy)]
struct Settings {
    quiet: bool,
    verbose: u8,
    terminal: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or(Settings {
        quiet: false,
        verbose: 0,
        terminal: false,
    })
}

/// Called once, before any subcommand runs.
pub fn init(quiet: bool, verbose: u8) {
    let s = Settings {
        quiet,
        verbose,
        terminal: std::io::stderr().is_terminal(),
    };
    let _ = SETTINGS.set(s);
    if !quiet {
        // Every API call of the process: the spinners of a live scan, and the `-v` log.
        let _ = phiscan_collect::progress::set_observer(Box::new(Forward));
    }
}

/// A line for the operator (not a result): stderr, unless `-q`.
pub fn note(msg: &str) {
    if !settings().quiet {
        diag!("phiscan: {msg}");
    }
}

/// A warning (an expired or unmatched waiver): stderr, unless `-q`, which promises nothing
/// but errors there; the report itself still lists it.
pub fn warn(msg: &str) {
    if !settings().quiet {
        diag!("warning: {msg}");
    }
}

/// Debug detail of phiscan itself (`-vv`), as a log line like the API calls of `-v`.
pub fn detail(target: &str, message: std::fmt::Arguments<'_>) {
    let s = settings();
    if s.verbose >= 2 && !s.quiet {
        diag!("{} {message}", log_prefix("DEBUG", target));
    }
}

/// The start of every log line: time, level, target.
fn log_prefix(level: &str, target: &str) -> String {
    format!(
        "{} {level:>5} {target}:",
        chrono::Utc::now().format("%H:%M:%S%.3f")
    )
}

/// One API call as a `-v` log line. Operation names only, never a URL.
fn log_api_call(call: &ApiCall) {
    let level = if call.error_code.is_some() {
        "WARN"
    } else {
        "INFO"
    };
    let status = call.http_status.map_or("-".to_string(), |s| s.to_string());
    let error = call
        .error_code
        .as_deref()
        .map_or(String::new(), |code| format!(" error={code}"));
    diag!(
        "{} {} {} {} account={} region={} status={status}{error} {}ms",
        log_prefix(level, "phiscan::api"),
        call.provider,
        call.service,
        call.operation,
        call.account.as_deref().unwrap_or("-"),
        call.region.as_deref().unwrap_or("-"),
        call.duration_ms
    );
}

/// Live progress of one collection; dropped (or [`Collection::finish`]ed) when it ends.
pub struct Collection {
    provider: Provider,
}

impl Collection {
    /// Start showing the collection of `provider`.
    pub fn start(provider: Provider) -> Collection {
        let s = settings();
        if !s.quiet {
            let bars = (s.terminal && s.verbose == 0).then(MultiProgress::new);
            *observer().bars.lock().expect("progress lock") = bars;
        }
        Collection { provider }
    }

    /// Clear the spinners and print what was found: per kind, resources and errors.
    pub fn finish(self, found: &Tally) {
        let s = settings();
        if s.quiet {
            return;
        }
        clear_bars();
        let mut kinds: Vec<String> = Vec::new();
        let mut total = 0;
        for (kind, &(n, errors)) in &found.kinds {
            total += n;
            if n > 0 || errors > 0 {
                kinds.push(match errors {
                    0 => format!("{} {n}", kind.as_str()),
                    e => format!("{} {n} ({e} error(s))", kind.as_str()),
                });
            }
        }
        let (scopes, errors, calls) = (found.scopes, found.errors, found.api_calls);
        diag!(
            "phiscan: {}: {total} resource(s) in {scopes} {}(s), {} collection error(s), {} API call(s){}",
            self.provider,
            self.provider.scope_noun(),
            errors,
            calls,
            if kinds.is_empty() {
                String::new()
            } else {
                format!(": {}", kinds.join(", "))
            }
        );
    }
}

/// What a collection found, counted part by part (an organization's accounts are dropped
/// once evaluated, so the summary cannot be read off one inventory at the end).
pub struct Tally {
    provider: Provider,
    /// Per kind of the provider, in declaration order: (resources, collection errors).
    kinds: BTreeMap<ResourceKind, (usize, usize)>,
    scopes: usize,
    errors: usize,
    api_calls: usize,
}

impl Tally {
    pub fn new(provider: Provider) -> Tally {
        Tally {
            provider,
            kinds: BTreeMap::new(),
            scopes: 0,
            errors: 0,
            api_calls: 0,
        }
    }

    /// Count one part of the collection.
    pub fn add(&mut self, inv: &Inventory) {
        for &kind in ResourceKind::ALL
            .iter()
            .filter(|k| k.provider() == self.provider)
        {
            let errors = inv.errors.iter().filter(|e| e.kind == kind).count();
            let n = self.kinds.entry(kind).or_default();
            n.0 += kind.count_in(inv);
            n.1 += errors;
        }
        self.scopes += inv
            .scopes
            .iter()
            .filter(|s| s.provider == self.provider)
            .count();
        self.errors += inv.errors.len();
        self.api_calls += inv.api_calls.len();
    }
}

impl Drop for Collection {
    /// A collection that fails still leaves a clean terminal for the error line.
    fn drop(&mut self) {
        clear_bars();
    }
}

/// Stop and erase every spinner (idempotent).
fn clear_bars() {
    let state = observer();
    let bars = state.bars.lock().expect("progress lock").take();
    if let Some(bars) = bars {
        for service in state.services.lock().expect("progress lock").values_mut() {
            if let Some(bar) = service.bar.take() {
                bar.finish_and_clear();
            }
        }
        let _ = bars.clear();
    }
}

/// One provider's service so far: its spinner (on a terminal), calls and failed calls.
#[derive(Default)]
struct Service {
    calls: u64,
    errors: u64,
    bar: Option<ProgressBar>,
}

#[derive(Default)]
struct State {
    bars: Mutex<Option<MultiProgress>>,
    services: Mutex<BTreeMap<(Provider, String), Service>>,
}

fn observer() -> &'static State {
    static STATE: OnceLock<State> = OnceLock::new();
    STATE.get_or_init(State::default)
}

struct Forward;

impl phiscan_collect::progress::Observer for Forward {
    fn api_call(&self, call: &ApiCall) {
        if settings().verbose > 0 {
            log_api_call(call);
        }
        let state = observer();
        let bars = state.bars.lock().expect("progress lock");
        let mut services = state.services.lock().expect("progress lock");
        let entry = services
            .entry((call.provider, call.service.clone()))
            .or_insert_with(|| {
                let bar = bars.as_ref().map(|m| {
                    let bar = m.add(ProgressBar::new_spinner());
                    bar.set_style(
                        ProgressStyle::with_template("{spinner} {prefix:>14} {msg}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    );
                    bar.set_prefix(format!("{} {}", call.provider, call.service));
                    bar.enable_steady_tick(std::time::Duration::from_millis(120));
                    bar
                });
                Service {
                    bar,
                    ..Service::default()
                }
            });
        entry.calls += 1;
        if call.error_code.is_some() {
            entry.errors += 1;
        }
        if let Some(bar) = &entry.bar {
            bar.set_message(format!(
                "{} API call(s), {} error(s)",
                entry.calls, entry.errors
            ));
        }
    }
}
