//! The emulator's own floor: the requests a scan made (recorded by the proxy, see
//! [`super::Options::record`]) sent again, as fast as the emulator answers them, by
//! `concurrency` connections kept alive. No client can collect the same data from that
//! emulator faster than this, whatever its order or concurrency.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use base64::Engine;
use serde::Serialize;

use super::wire::{read_raw, UpstreamConn};

/// One replay of the recorded requests.
#[derive(Debug, Clone, Serialize)]
pub struct FloorRun {
    pub calls: usize,
    pub concurrency: usize,
    pub seconds: f64,
    pub calls_per_s: f64,
    /// Requests that got no answer (an answer with an error status still counts: the
    /// emulator did the work).
    pub unanswered: usize,
}

/// Send every request recorded in `path` to `upstream` over `concurrency` connections.
pub fn replay_recorded(
    path: &Path,
    upstream: &str,
    concurrency: usize,
) -> Result<FloorRun, String> {
    let addr = super::loopback(upstream)?;
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut requests = Vec::new();
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let v: serde_json::Value = serde_json::from_str(&line).map_err(|e| e.to_string())?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(v["request"].as_str().unwrap_or_default())
            .map_err(|e| e.to_string())?;
        let raw = read_raw(&mut &bytes[..]).ok_or("a recorded request does not parse")?;
        requests.push(raw);
    }
    let concurrency = concurrency.max(1);
    let next = AtomicUsize::new(0);
    let unanswered = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..concurrency {
            scope.spawn(|| {
                let mut up = UpstreamConn::new(addr);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(raw) = requests.get(i) else { break };
                    if up.forward(raw).is_none() {
                        unanswered.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let seconds = start.elapsed().as_secs_f64();
    Ok(FloorRun {
        calls: requests.len(),
        concurrency,
        seconds,
        calls_per_s: requests.len() as f64 / seconds.max(1e-9),
        unanswered: unanswered.into_inner(),
    })
}
