//! The fault proxy for the benches (`ci/bench-aws.sh`):
//!
//!   fault-proxy serve --upstream URL [--latency-ms 50] [--jitter-ms 10]
//!                     [--bucket SERVICE=BURST:REFILL]... [--default-bucket BURST:REFILL]
//!                     [--max-in-flight N] [--record FILE] [--seed N]
//!       proxies URL on a free loopback port, prints its URL, and runs until killed;
//!       `GET /__fault-proxy/stats` answers its counts and floor as JSON.
//!   fault-proxy floor --upstream URL --recorded FILE [--concurrency 4,8,16]
//!       sends the recorded requests again at each concurrency and prints one JSON line per
//!       run, then the fastest as `{"best": ...}`.

use std::path::PathBuf;
use std::time::Duration;

use phiscan_replay::fault::{replay_recorded, FaultProxy, Options, Rate};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = run(&args) {
        eprintln!("fault-proxy: {e}");
        std::process::exit(2);
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let (command, rest) = args
        .split_first()
        .ok_or("usage: fault-proxy serve|floor ...")?;
    let mut upstream = None;
    let mut opts = Options::default();
    let mut recorded = None;
    let mut levels = vec![4, 8, 16];
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or(format!("{flag} needs a value"));
        let ms = |v: String| {
            v.parse::<u64>()
                .map(Duration::from_millis)
                .map_err(|e| format!("{flag}: {e}"))
        };
        match flag.as_str() {
            "--upstream" => upstream = Some(value()?),
            "--latency-ms" => opts.latency.base = ms(value()?)?,
            "--jitter-ms" => opts.latency.jitter = ms(value()?)?,
            "--bucket" => {
                let v = value()?;
                let (service, rate) = v
                    .split_once('=')
                    .ok_or(format!("--bucket {v}: SERVICE=BURST:REFILL"))?;
                opts.buckets
                    .services
                    .insert(service.to_ascii_lowercase(), Rate::parse(rate)?);
            }
            "--default-bucket" => opts.buckets.default = Some(Rate::parse(&value()?)?),
            "--max-in-flight" => {
                opts.max_in_flight = Some(value()?.parse().map_err(|e| format!("{flag}: {e}"))?)
            }
            "--record" => opts.record = Some(PathBuf::from(value()?)),
            "--seed" => opts.seed = value()?.parse().map_err(|e| format!("{flag}: {e}"))?,
            "--recorded" => recorded = Some(PathBuf::from(value()?)),
            "--concurrency" => {
                levels = value()?
                    .split(',')
                    .map(|n| n.trim().parse().map_err(|e| format!("{flag}: {e}")))
                    .collect::<Result<_, _>>()?
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let upstream = upstream.ok_or("--upstream URL is required")?;
    match command.as_str() {
        "serve" => serve(&upstream, opts),
        "floor" => floor(
            &upstream,
            &recorded.ok_or("--recorded FILE is required")?,
            &levels,
        ),
        other => Err(format!("unknown command {other}: serve or floor")),
    }
}

fn serve(upstream: &str, opts: Options) -> Result<(), String> {
    let proxy = FaultProxy::start_with(upstream, vec![], opts)?;
    println!("{}", proxy.base_url());
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

fn floor(upstream: &str, recorded: &std::path::Path, levels: &[usize]) -> Result<(), String> {
    let mut best: Option<phiscan_replay::fault::FloorRun> = None;
    for &c in levels {
        let run = replay_recorded(recorded, upstream, c)?;
        println!(
            "{}",
            serde_json::to_string(&run).map_err(|e| e.to_string())?
        );
        if best.as_ref().is_none_or(|b| run.seconds < b.seconds) {
            best = Some(run);
        }
    }
    let best = serde_json::to_value(best.ok_or("--concurrency names no level")?)
        .map_err(|e| e.to_string())?;
    println!("{}", serde_json::json!({ "best": best }));
    Ok(())
}
