//! How AWS calls ride out throttling (issue 21): the SDK's standard retry mode with many
//! short attempts while a call is throttled, one retry partition per (service, region)
//! without a retry quota, and the server's `x-amz-retry-after` honoured.
//!
//! AWS throttles with token buckets per account, region and action (EC2: 100 calls at once,
//! then 20 a second for describe calls). The fault proxy's harsh bench has a bucket of 5 and
//! 5 a second for every operation of every service but EC2, and a scan has
//! [`PER_SERVICE_REGION`] = 16 calls in flight per (service, region) (BENCHMARKS.md, "Latency
//! and throttling", for every figure below). Why each part:
//! - **Short backoff.** The n-th retry waits a random time in `[0, min(100 ms x 2^(n-1),
//!   2 s)]` (the SDK's full jitter; [`INITIAL_BACKOFF`], [`MAX_BACKOFF`]). A throttled bucket
//!   loses the tokens it cannot hold while every caller sleeps, so the waiting callers must
//!   ask more often than it refills: 16 callers retrying on average every 1 s ask 16 times a
//!   second against a refill of 5. With the SDK's 1 s / 20 s they ask 1.6 times a second
//!   once backed off, and the bucket idles (the bench, 11 s floor: 18.8 to 20.2 s; with a
//!   10 s cap, 3.2 a second: 15.2 to 15.7 s; with 2 s: 12.6 to 13.2 s).
//! - **Attempts.** A call still throttled after its last attempt is an ERROR for what it
//!   collects. Throttled callers are served in no order (a token goes to whoever asks first
//!   after it arrives), so a call must outlast the others: 16 callers drain a 5/s bucket in
//!   3.2 s on average, but the bench's GetBucketLocation has 60 calls on one bucket (11 s).
//!   [`MAX_ATTEMPTS`] = 20 attempts wait up to 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 14 x 2 = 31 s,
//!   16 s on average (plus 20 round trips). Measured: 10 attempts with a 5 s cap (11 s on
//!   average) and 20 with a 1 s cap (8 s) each left a call throttled to ERROR; 20 with 2 s
//!   none in every run. A call throttled on every attempt gives up after ~16 s.
//!   Only throttling earns them: after any other error (a 5xx, a timeout) the call keeps the
//!   SDK's [`OTHER_ATTEMPTS`] ([`not_throttled`], called by the call log's interceptor after
//!   each attempt, before the SDK decides whether to retry), else an API that keeps failing,
//!   or an operation an emulator lacks, would hold its scope for seconds of backoff.
//! - **Standard mode, not adaptive.** The adaptive mode adds a client-side rate limiter per
//!   retry partition, (service, region), while AWS's buckets are per operation: one throttled
//!   operation slowed every operation of the service (29 to 36 s on the bench). Partitions per
//!   operation (tried: an interceptor setting the call's partition) still took 16.8 s: the
//!   limiter drops to 0.7x the rate it measured and climbs back slowly.
//! - **Partitions.** phiscan builds a client per use, so the retry partition is kept here,
//!   one per (service, region), and cloned into each client. Its retry quota is unlimited:
//!   the quota (500 tokens, 5 a throttled retry) protects a long-running service from retry
//!   storms during an outage, but a scan that runs out of it turns throttling into ERROR
//!   findings (the bench answers 500 to 700 throttling errors), and the attempts are bounded
//!   anyway.
//! - **Retry-After.** The SDK reads `x-amz-retry-after` (milliseconds; AWS's retry
//!   specification) on a retryable error and waits that long instead of its own backoff, but
//!   never longer than [`MAX_BACKOFF`]; [`server_asks_to_wait`] raises that bound for the call
//!   to what the server said, up to [`RETRY_AFTER_CAP`]. The HTTP `Retry-After` header is not
//!   read for AWS (ARM's is, by the Azure collector).
//!
//! `PHISCAN_AWS_RETRY` (`MODE:ATTEMPTS[:INITIAL[:MAX]]`, e.g. `adaptive:10` for the previous
//! default, `standard:20:100ms:2s` for this one) and `PHISCAN_AWS_IN_FLIGHT` (calls in flight
//! per service and region) override the defaults for the benches (`ci/bench-aws.sh`,
//! BENCHMARKS.md); they are not user settings.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use aws_sdk_ec2::config::retry::{RetryConfig, RetryPartition, TokenBucket};
use aws_smithy_types::config_bag::ConfigBag;

/// Attempts per call (the first and its retries) while it is throttled.
pub const MAX_ATTEMPTS: u32 = 20;

/// Attempts per call once an attempt failed with anything but throttling (the SDK's default).
pub const OTHER_ATTEMPTS: u32 = 3;

/// The longest wait before the first retry; it doubles with each retry (the SDK's: 1 s).
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(100);

/// The longest wait before any retry, unless the server says otherwise (the SDK's: 20 s).
pub const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// The longest wait a server's `x-amz-retry-after` gets (the SDK's default backoff cap).
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(20);

/// Calls in flight per (service, region).
pub const PER_SERVICE_REGION: usize = 16;

/// The retry configuration of every client: [`DEFAULT`] unless `PHISCAN_AWS_RETRY` says
/// otherwise.
pub(crate) fn config() -> RetryConfig {
    std::env::var("PHISCAN_AWS_RETRY")
        .ok()
        .and_then(|v| Policy::parse(&v))
        .unwrap_or(DEFAULT)
        .config()
}

/// An attempt failed with something other than throttling: from now on this call has
/// [`OTHER_ATTEMPTS`] at most. The SDK reads the retry configuration from the call's config
/// bag after each attempt, so a layer put here applies to this call alone.
pub(crate) fn not_throttled(cfg: &mut ConfigBag) {
    let Some(rc) = cfg.load::<RetryConfig>().cloned() else {
        return;
    };
    if rc.max_attempts() > OTHER_ATTEMPTS {
        cfg.interceptor_state()
            .store_put(rc.with_max_attempts(OTHER_ATTEMPTS));
    }
}

/// Calls in flight per (service, region): [`PER_SERVICE_REGION`] unless overridden.
pub(crate) fn in_flight() -> usize {
    std::env::var("PHISCAN_AWS_IN_FLIGHT")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(PER_SERVICE_REGION)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Adaptive,
    Standard,
}

/// What a client's retries do: the SDK's mode, attempts, and the bounds of its exponential
/// backoff (full jitter: the n-th retry waits a random time in `[0, min(initial x 2^(n-1),
/// max)]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Policy {
    mode: Mode,
    attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

/// The default (the module doc says why).
const DEFAULT: Policy = Policy {
    mode: Mode::Standard,
    attempts: MAX_ATTEMPTS,
    initial_backoff: INITIAL_BACKOFF,
    max_backoff: MAX_BACKOFF,
};

impl Policy {
    fn config(self) -> RetryConfig {
        match self.mode {
            Mode::Adaptive => RetryConfig::adaptive(),
            Mode::Standard => RetryConfig::standard(),
        }
        .with_max_attempts(self.attempts)
        .with_initial_backoff(self.initial_backoff)
        .with_max_backoff(self.max_backoff)
    }

    /// `MODE:ATTEMPTS[:INITIAL[:MAX]]`: `standard:10`, `standard:10:100ms:5s`, `adaptive:10:1s:20s`.
    /// A backoff left out is the SDK's (1 s, 20 s), so `adaptive:10` is the SDK's adaptive mode
    /// with 10 attempts.
    fn parse(v: &str) -> Option<Policy> {
        let mut parts = v.split(':');
        let mode = match parts.next()? {
            "adaptive" => Mode::Adaptive,
            "standard" => Mode::Standard,
            _ => return None,
        };
        let attempts = parts.next()?.parse().ok().filter(|n| *n > 0)?;
        let sdk = RetryConfig::standard();
        let mut backoff = |default: Duration| match parts.next() {
            None => Some(default),
            Some(d) => parse_duration(d),
        };
        let initial_backoff = backoff(sdk.initial_backoff())?;
        let max_backoff = backoff(sdk.max_backoff())?;
        if parts.next().is_some() || initial_backoff > max_backoff {
            return None;
        }
        Some(Policy {
            mode,
            attempts,
            initial_backoff,
            max_backoff,
        })
    }
}

/// `100ms`, `5s`.
fn parse_duration(v: &str) -> Option<Duration> {
    let (n, unit) = match v.strip_suffix("ms") {
        Some(n) => (n, Duration::from_millis(1)),
        None => (v.strip_suffix('s')?, Duration::from_secs(1)),
    };
    Some(unit * n.parse::<u32>().ok().filter(|n| *n > 0)?)
}

/// The server said how long to wait (`x-amz-retry-after`, milliseconds, on an attempt that
/// failed): this call's next retry waits that long, up to [`RETRY_AFTER_CAP`]. The SDK already
/// waits what the header says, but never longer than the configured [`MAX_BACKOFF`]; a layer
/// in the call's config bag (read after each attempt, as in [`not_throttled`]) raises the
/// bound for this call alone.
pub(crate) fn server_asks_to_wait(cfg: &mut ConfigBag, header: &str) {
    let Some(wait) = header.trim().parse::<u64>().ok().map(Duration::from_millis) else {
        return;
    };
    let Some(rc) = cfg.load::<RetryConfig>().cloned() else {
        return;
    };
    let bound = wait.min(RETRY_AFTER_CAP);
    if bound > rc.max_backoff() {
        cfg.interceptor_state()
            .store_put(rc.with_max_backoff(bound));
    }
}

/// The retry partitions of one scan, one per (service, region).
#[derive(Debug, Default)]
pub(crate) struct Partitions(Mutex<HashMap<(&'static str, String), RetryPartition>>);

impl Partitions {
    /// The partition of `service` in `region`: the same rate limiter for every client of it.
    pub(crate) fn get(&self, service: &'static str, region: &str) -> RetryPartition {
        self.0
            .lock()
            .expect("retry partitions lock")
            .entry((service, region.to_string()))
            .or_insert_with(|| {
                RetryPartition::custom(format!("phiscan-{service}-{region}"))
                    .token_bucket(TokenBucket::unlimited())
                    .build()
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(mode: Mode, attempts: u32, initial_ms: u64, max_ms: u64) -> Option<Policy> {
        Some(Policy {
            mode,
            attempts,
            initial_backoff: Duration::from_millis(initial_ms),
            max_backoff: Duration::from_millis(max_ms),
        })
    }

    #[test]
    fn overrides_parse_and_refuse_nonsense() {
        use Mode::*;
        // Backoffs left out are the SDK's.
        for (v, want) in [
            ("adaptive:10", policy(Adaptive, 10, 1000, 20_000)),
            ("standard:3", policy(Standard, 3, 1000, 20_000)),
            ("standard:10:100ms", policy(Standard, 10, 100, 20_000)),
            ("standard:10:50ms:5s", policy(Standard, 10, 50, 5000)),
            ("standard:10:2s:3000ms", policy(Standard, 10, 2000, 3000)),
        ] {
            assert_eq!(Policy::parse(v), want, "{v}");
        }
        for bad in [
            "standard:0",
            "fast:3",
            "adaptive",
            "standard:10:100",
            "standard:10:0ms",
            "standard:10:5s:1s",
            "standard:10:1s:5s:9s",
            "standard:10:-1s",
        ] {
            assert_eq!(Policy::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_override_reaches_the_sdk_configuration() {
        let c = Policy::parse("adaptive:7:200ms:3s").unwrap().config();
        assert_eq!(c.mode(), aws_sdk_ec2::config::retry::RetryMode::Adaptive);
        assert_eq!(c.max_attempts(), 7);
        assert_eq!(c.initial_backoff(), Duration::from_millis(200));
        assert_eq!(c.max_backoff(), Duration::from_secs(3));
    }

    #[test]
    fn an_error_other_than_throttling_keeps_the_sdk_s_attempts() {
        let mut cfg = ConfigBag::base();
        cfg.interceptor_state()
            .store_put(RetryConfig::adaptive().with_max_attempts(MAX_ATTEMPTS));
        not_throttled(&mut cfg);
        let rc = cfg.load::<RetryConfig>().unwrap();
        assert_eq!(rc.max_attempts(), OTHER_ATTEMPTS);
        assert_eq!(rc.mode(), aws_sdk_ec2::config::retry::RetryMode::Adaptive);
        // Never raised: a configuration with fewer attempts keeps them.
        let mut cfg = ConfigBag::base();
        cfg.interceptor_state()
            .store_put(RetryConfig::standard().with_max_attempts(2));
        not_throttled(&mut cfg);
        assert_eq!(cfg.load::<RetryConfig>().unwrap().max_attempts(), 2);
    }

    #[test]
    fn a_server_s_retry_after_raises_the_bound_of_this_call_only() {
        let bag = || {
            let mut cfg = ConfigBag::base();
            cfg.interceptor_state().store_put(DEFAULT.config());
            cfg
        };
        let bound = |cfg: &ConfigBag| cfg.load::<RetryConfig>().unwrap().max_backoff();
        let mut cfg = bag();
        server_asks_to_wait(&mut cfg, "7500");
        assert_eq!(bound(&cfg), Duration::from_millis(7500));
        // Capped.
        let mut cfg = bag();
        server_asks_to_wait(&mut cfg, "600000");
        assert_eq!(bound(&cfg), RETRY_AFTER_CAP);
        // Shorter than the bound, or unreadable: the SDK's own handling stands.
        for header in ["500", "soon", "-3", ""] {
            let mut cfg = bag();
            server_asks_to_wait(&mut cfg, header);
            assert_eq!(bound(&cfg), MAX_BACKOFF, "{header:?}");
        }
        // Attempts and mode untouched.
        let mut cfg = bag();
        server_asks_to_wait(&mut cfg, "7500");
        let rc = cfg.load::<RetryConfig>().unwrap();
        assert_eq!(rc.max_attempts(), MAX_ATTEMPTS);
        assert_eq!(rc.initial_backoff(), INITIAL_BACKOFF);
    }

    #[test]
    fn one_partition_per_service_and_region() {
        let p = Partitions::default();
        assert_eq!(p.get("ec2", "us-east-1"), p.get("ec2", "us-east-1"));
        assert_ne!(p.get("ec2", "us-east-1"), p.get("ec2", "eu-west-1"));
        assert_ne!(p.get("ec2", "us-east-1"), p.get("s3", "us-east-1"));
    }

    #[test]
    fn the_default_is_standard_with_many_short_first_attempts() {
        // The tests run without the override.
        if std::env::var_os("PHISCAN_AWS_RETRY").is_none() {
            let c = config();
            let sdk = RetryConfig::standard();
            assert_eq!(c.mode(), aws_sdk_ec2::config::retry::RetryMode::Standard);
            assert_eq!(c.max_attempts(), MAX_ATTEMPTS);
            assert!(MAX_ATTEMPTS > sdk.max_attempts());
            assert_eq!(c.initial_backoff(), INITIAL_BACKOFF);
            assert!(c.initial_backoff() < sdk.initial_backoff());
            assert_eq!(c.max_backoff(), MAX_BACKOFF);
        }
    }
}
