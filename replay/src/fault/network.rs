//! The proxy's latency and throttling mode: the settings ([`Options`]), the state the
//! connections share (buckets, jitter, the recording of forwarded requests), and what it
//! counted ([`Stats`]), with the floor those settings put under any client's wall time.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::Engine;
use serde::Serialize;

use super::limits::{Buckets, Jitter, Latency, Limiter};
use super::shapes::{classify, Call};
use super::wire::Raw;

/// Latency, buckets, a cap on requests in flight, and where to record what was forwarded.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub latency: Latency,
    pub buckets: Buckets,
    /// Requests served at once, at most (the "permitted concurrency" of the floor);
    /// `None`: no cap.
    pub max_in_flight: Option<usize>,
    /// Append every forwarded request, as sent, to this file (JSON lines, base64): what
    /// `replay_recorded` sends again to measure the emulator's own floor.
    pub record: Option<PathBuf>,
    /// The jitter's seed (the same seed, the same delays).
    pub seed: u64,
}

/// What the proxy counted, and the floor its settings impose.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Stats {
    /// Requests answered (forwarded or throttled; rule faults are in the log only).
    pub requests: u64,
    /// Requests forwarded upstream: the calls a client needed.
    pub forwarded: u64,
    /// Throttling answers, by service.
    pub throttled: BTreeMap<String, u64>,
    pub throttled_total: u64,
    pub latency_ms: f64,
    pub jitter_ms: f64,
    pub max_in_flight: Option<usize>,
    /// The slowest bucket: (forwarded - burst) / refill.
    pub bucket_floor_s: f64,
    /// forwarded x latency / max_in_flight (0 without a cap).
    pub latency_floor_s: f64,
    /// The larger of the two.
    pub floor_s: f64,
}

pub(super) struct Network {
    opts: Options,
    started: Instant,
    limiter: Limiter,
    jitter: Jitter,
    record: Option<BufWriter<File>>,
    stats: Stats,
}

/// What to do with a request that no fault rule took.
pub(super) enum Verdict {
    /// Wait this long, then forward.
    Forward(Duration),
    /// Wait this long, then answer with the service's throttling error.
    Throttle(Duration, Call, Duration),
}

impl Network {
    pub(super) fn new(opts: Options) -> Result<Network, String> {
        let record = match &opts.record {
            Some(p) => Some(BufWriter::new(
                File::create(p).map_err(|e| format!("fault proxy: {}: {e}", p.display()))?,
            )),
            None => None,
        };
        Ok(Network {
            started: Instant::now(),
            limiter: Limiter::new(opts.buckets.clone()),
            jitter: Jitter::new(opts.seed ^ 0x9E37_79B9_7F4A_7C15),
            record,
            stats: Stats::default(),
            opts,
        })
    }

    /// Decide about `raw` at the proxy's clock now.
    pub(super) fn verdict(&mut self, raw: &Raw) -> Verdict {
        let delay = self.opts.latency.delay(self.jitter.draw());
        self.stats.requests += 1;
        if self.opts.buckets.is_empty() {
            return Verdict::Forward(delay);
        }
        let call = classify(raw);
        let key = (
            call.service.clone(),
            call.region.clone(),
            call.operation.clone(),
        );
        match self.limiter.admit(&key, self.started.elapsed()) {
            Ok(()) => Verdict::Forward(delay),
            Err(wait) => {
                self.stats.throttled_total += 1;
                *self
                    .stats
                    .throttled
                    .entry(call.service.clone())
                    .or_default() += 1;
                Verdict::Throttle(delay, call, wait)
            }
        }
    }

    /// A request went upstream; record it when asked.
    pub(super) fn forwarded(&mut self, raw: &Raw) {
        self.stats.forwarded += 1;
        if let Some(w) = &mut self.record {
            let line = serde_json::json!({
                "request": base64::engine::general_purpose::STANDARD.encode(raw.bytes())
            });
            let _ = writeln!(w, "{line}").and_then(|_| w.flush());
        }
    }

    pub(super) fn stats(&self) -> Stats {
        let mut s = self.stats.clone();
        let latency = self.opts.latency;
        s.latency_ms = latency.base.as_secs_f64() * 1000.0;
        s.jitter_ms = latency.jitter.as_secs_f64() * 1000.0;
        s.max_in_flight = self.opts.max_in_flight;
        s.bucket_floor_s = self.limiter.floor().as_secs_f64();
        s.latency_floor_s = s.max_in_flight.map_or(0.0, |c| {
            s.forwarded as f64 * latency.base.as_secs_f64() / c as f64
        });
        s.floor_s = s.bucket_floor_s.max(s.latency_floor_s);
        s
    }
}
