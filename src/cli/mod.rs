//! Command-line interface (clap derive). Every subcommand returns an exit code; errors are
//! printed once, on one line, to stderr, with exit code 2.

/// One line on stderr, for every diagnostic, log line and error. It goes through the one
/// redaction every output uses (a credential, token or signed URL an error repeats never
/// reaches a terminal or a CI log), and a failed write is ignored: a closed stderr
/// (`phiscan ... 2>&-`, a reader that went away) must not turn a finished scan into a panic
/// with exit code 101.
macro_rules! diag {
    ($($arg:tt)*) => {{
        $crate::cli::stderr_line(&format!($($arg)*));
    }};
}

pub(crate) fn stderr_line(text: &str) {
    use std::io::Write as _;
    let redacted = phiscan_output::evidence::redact::Redactor::new().string(text);
    let _ = writeln!(std::io::stderr(), "{}", redacted.as_deref().unwrap_or(text));
}

mod catalogue;
mod config;
mod doctor;
mod doctor_render;
mod evidence;
mod live_aws;
mod live_azure;
mod live_gcp;
mod merge;
mod output;
mod profiles;
mod progress;
mod report_input;
mod scan;
mod scan_args;
mod shell;

use clap::{Parser, Subcommand};
use phiscan_core::policy::EXIT_USAGE;
use phiscan_core::quote::escape_controls;

const EXIT_CODES: &str = "\
Exit codes of `scan`:
  0  the scan completed and no failure is at or above --fail-on
  1  at least one FAIL at or above --fail-on (default: low)
  2  usage or configuration error (bad flag, unknown check id, unreadable inventory)
  3  the scan is incomplete: some data could not be collected (ERROR findings);
     takes precedence over 1
`evidence verify`: 0 valid, 1 invalid (every problem listed), 2 unreadable input.
`diff`: 0 nothing newly fails, 1 something newly fails, 2 bad input.
`report`: 0 rendered, 1 the bundle fails verification, 2 bad input.
`merge`: the merged report's code (0, 1 or 3, as `scan` would give for the whole estate);
  2 unreadable, tampered, mismatched or missing inputs.
`config check`: 0 valid, 2 invalid (file, line, column and key of the problem).
`doctor`: 0 every probe OK, 3 some probe DENIED, API DISABLED or ERROR, 2 setup error
  (no credentials, unreachable endpoint), as for `scan`.
Exit codes are decided after waivers (phiscan.toml): a waived failure never makes them 1.";

#[derive(Parser)]
#[command(
    name = "phiscan",
    version,
    about = "Prove, resource by resource, whether a cloud estate holding ePHI keeps its HIPAA security promises",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Print nothing on stderr but errors (no progress, no notes)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,

    /// Log to stderr what phiscan does: -v each API call (service, operation, region,
    /// status; never URLs, headers or tokens), -vv also debug detail
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[derive(Subcommand)]
enum Command {
    /// Scan an estate (a cloud, the built-in demo, or a saved inventory) and report
    Scan(Box<scan::ScanArgs>),
    /// Before a scan: who the credential is, what it sees, and one read-only probe per
    /// resource kind the selected checks read (OK, DENIED with the missing permission, or
    /// API DISABLED with the command that enables it). Exit 0 when all are OK, else 3
    Doctor(Box<doctor::DoctorArgs>),
    /// List the checks, or show one check's documentation
    Checks {
        #[command(subcommand)]
        command: catalogue::ChecksCommand,
    },
    /// Policy profiles: a written HIPAA policy's technical promises and the checks that
    /// verify them
    Profiles {
        #[command(subcommand)]
        command: profiles::ProfilesCommand,
    },
    /// The HIPAA Security Rule matrix: every standard and implementation specification and
    /// how phiscan covers it
    Controls(catalogue::ControlsArgs),
    /// Evidence bundles: verify one offline
    Evidence {
        #[command(subcommand)]
        command: evidence::EvidenceCommand,
    },
    /// Make an Ed25519 key pair for signing evidence bundles
    Keygen(evidence::KeygenArgs),
    /// Render any format from an evidence bundle (or JSON v1 report) without rescanning
    Report(evidence::ReportArgs),
    /// The configuration file, phiscan.toml: validate it without scanning
    Config {
        #[command(subcommand)]
        command: config::ConfigCommand,
    },
    /// Compare two scans (bundles or JSON v1 reports): newly failing, fixed, still failing,
    /// new and removed resources, per control. Exit 1 when something newly fails
    Diff(evidence::DiffArgs),
    /// Combine the reports or bundles of a sharded scan (`scan --shard I/N`) into one report
    Merge(merge::MergeArgs),
    /// Print the shell completion script for bash, zsh, fish, PowerShell or elvish
    Completions(shell::CompletionsArgs),
    /// Print the man page (roff), or write one page per subcommand into a directory
    Man(shell::ManArgs),
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout with success, usage errors to stderr.
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    progress::init(cli.quiet, cli.verbose);
    std::panic::set_hook(Box::new(report_panic));
    let result = match cli.command {
        Command::Scan(args) => scan::run(*args),
        Command::Doctor(args) => doctor::run(*args),
        Command::Checks { command } => catalogue::checks(command),
        Command::Controls(args) => catalogue::controls(args),
        Command::Profiles { command } => profiles::run(command),
        Command::Evidence { command } => evidence::evidence(command),
        Command::Keygen(args) => evidence::keygen(args),
        Command::Report(args) => evidence::report(args),
        Command::Diff(args) => evidence::diff(args),
        Command::Merge(args) => merge::run(args),
        Command::Config { command } => config::run(command),
        Command::Completions(args) => shell::completions(args),
        Command::Man(args) => shell::man(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // Last guard: whatever an error repeats, no control character reaches the terminal.
            diag!("error: {}", escape_controls(&one_line(&e)));
            EXIT_USAGE
        }
    }
}

/// A panic on one escaped line: a check's panic is caught by the engine (that check becomes
/// ERROR) but the default hook would print its message raw, over several lines, and the
/// message may repeat data read from a cloud.
fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    let payload = info.payload();
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("panic without a message");
    let at = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    diag!(
        "phiscan: internal error{at}: {} (please report this)",
        phiscan_core::quote::shorten(what)
    );
}

/// anyhow's chain on one line: "outer: inner: root".
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain().map(|c| c.to_string()) {
        // An error whose message already repeats its source's ("x: No such file or
        // directory") would otherwise print that source twice.
        if line.contains(&cause) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&cause);
    }
    line
}

/// Write `text` to `path`, or to stdout when `None`.
fn emit(text: &str, path: Option<&std::path::Path>) -> anyhow::Result<()> {
    emit_with(path, |out| out.write_all(text.as_bytes()))
}

/// Write what `write` produces to `path`, or to stdout when `None`, as it is produced: a
/// report of a million findings is never held whole in memory before it is written.
fn emit_with(
    path: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::{BufWriter, Write};
    match path {
        Some(p) => std::fs::File::create(p)
            .and_then(|f| {
                let mut out = BufWriter::with_capacity(1 << 16, f);
                write(&mut out)?;
                out.flush()
            })
            .with_context(|| format!("cannot write {}", p.display())),
        None => {
            let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            // A closed pipe (`| head`) is not an error worth a message.
            match write(&mut out).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to stdout"),
            }
        }
    }
}

/// Width to wrap tables to: the terminal's when stdout is one, else a fixed width so files,
/// pipes and CI logs stay readable (and deterministic).
fn table_width(to_file: bool) -> u16 {
    use std::io::IsTerminal;
    const FILE_WIDTH: u16 = 160;
    if !to_file && std::io::stdout().is_terminal() {
        comfy_table::Table::new().width().unwrap_or(FILE_WIDTH)
    } else {
        FILE_WIDTH
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = anyhow::Error::new(io).context("inv.json: no such file");
        assert_eq!(super::one_line(&e), "inv.json: no such file");
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = anyhow::Error::new(io).context("cannot read inv.json");
        assert_eq!(super::one_line(&e), "cannot read inv.json: no such file");
    }
}
