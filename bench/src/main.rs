//! `phiscan-bench generate RESOURCES FILE` writes a synthetic inventory;
//! `phiscan-bench stages FILE [OUT_DIR]` prints the time and peak memory of each stage of
//! `phiscan scan --from-inventory FILE` (see the crate documentation).

use std::path::PathBuf;

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};

const USAGE: &str = "usage: phiscan-bench generate RESOURCES FILE [--now RFC3339]\n       phiscan-bench stages FILE [OUT_DIR]";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate", n, file, rest @ ..] => {
            let n: usize = n
                .replace('_', "")
                .parse()
                .with_context(|| format!("RESOURCES {n:?} is not a number"))?;
            let now = match rest {
                [] => Utc::now(),
                ["--now", t] => DateTime::parse_from_rfc3339(t)
                    .with_context(|| format!("--now {t:?} is not an RFC 3339 time"))?
                    .with_timezone(&Utc),
                _ => bail!("{USAGE}"),
            };
            let out =
                std::fs::File::create(file).with_context(|| format!("cannot create {file}"))?;
            let s = phiscan_bench::synth::write(n, now, out)
                .with_context(|| format!("cannot write {file}"))?;
            let size = std::fs::metadata(file).map_or(0, |m| m.len());
            println!(
                "{file}: {} resources in {} replicas of the demo estate ({} scopes), {:.1} MB",
                s.resources,
                s.replicas,
                s.scopes,
                size as f64 / 1e6
            );
        }
        ["stages", file, rest @ ..] => {
            let out_dir = match rest {
                [] => std::env::temp_dir(),
                [dir] => PathBuf::from(dir),
                _ => bail!("{USAGE}"),
            };
            let stages = phiscan_bench::stages::run(file.as_ref(), &out_dir)?;
            println!(
                "{:<10} {:>10} {:>14}  produced",
                "stage", "wall s", "peak RSS MB"
            );
            for s in &stages {
                let rss = s
                    .peak_rss
                    .map_or("-".to_string(), |b| format!("{:.0}", b as f64 / 1e6));
                println!(
                    "{:<10} {:>10.3} {:>14}  {}",
                    s.name,
                    s.wall.as_secs_f64(),
                    rss,
                    s.produced
                );
            }
        }
        _ => bail!("{USAGE}"),
    }
    Ok(())
}
