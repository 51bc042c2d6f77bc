//! How AWS calls ride out throttling (issue 21): the SDK's adaptive retry mode, more
//! attempts than its default three, and one retry partition per (service, region) shared by
//! every client of that service and region, without a retry quota.
//!
//! Why each part:
//! - **Adaptive mode.** AWS throttles with token buckets per account, region and action
//!   (EC2: 100 calls at once, then 20 a second for describe calls). The standard mode only
//!   backs off the call that was throttled, so the other calls in flight keep emptying the
//!   bucket; the adaptive mode also slows the sending rate of the whole partition to what
//!   the service lets through (a client-side token bucket whose rate follows the throttling
//!   answers), then raises it again.
//! - **Attempts.** A call still throttled after its last attempt is an ERROR for what it
//!   collects. Three attempts (the SDK's default) are not enough when a bucket is empty for
//!   seconds; [`MAX_ATTEMPTS`] with the SDK's capped exponential backoff spans ~a minute.
//!   Only throttling earns them: after any other error (a 5xx, a timeout) the call keeps the
//!   SDK's [`OTHER_ATTEMPTS`] ([`not_throttled`], called by the call log's interceptor after
//!   each attempt, before the SDK decides whether to retry), else an API that keeps failing,
//!   or an operation an emulator lacks, would hold its scope for a minute of backoff.
//! - **Partitions.** The adaptive state lives in the retry partition. phiscan builds a client
//!   per use, so the partition is kept here, one per (service, region), and cloned into each
//!   client: clones share their rate limiter. Its retry quota is unlimited: the quota
//!   (500 tokens, 5 a throttled retry) protects a long-running service from retry storms
//!   during an outage, but a scan that runs out of it turns throttling into ERROR findings,
//!   and the attempts are bounded anyway.
//!
//! `PHISCAN_AWS_RETRY` (`adaptive:10`, `standard:3`) and `PHISCAN_AWS_IN_FLIGHT` (calls in
//! flight per service and region) override the defaults for the benches
//! (`ci/bench-aws.sh`, BENCHMARKS.md).

use std::collections::HashMap;
use std::sync::Mutex;

use aws_sdk_ec2::config::retry::{RetryConfig, RetryPartition, TokenBucket};
use aws_smithy_types::config_bag::ConfigBag;

/// Attempts per call (the first and its retries).
pub const MAX_ATTEMPTS: u32 = 10;

/// Attempts per call once an attempt failed with anything but throttling (the SDK's default).
pub const OTHER_ATTEMPTS: u32 = 3;

/// Calls in flight per (service, region).
pub const PER_SERVICE_REGION: usize = 16;

/// The retry configuration of every client: adaptive, [`MAX_ATTEMPTS`].
pub(crate) fn config() -> RetryConfig {
    let (mode, attempts) = std::env::var("PHISCAN_AWS_RETRY")
        .ok()
        .and_then(|v| parse_override(&v))
        .unwrap_or((Mode::Adaptive, MAX_ATTEMPTS));
    match mode {
        Mode::Adaptive => RetryConfig::adaptive(),
        Mode::Standard => RetryConfig::standard(),
    }
    .with_max_attempts(attempts)
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

/// `adaptive:10`, `standard:3`.
fn parse_override(v: &str) -> Option<(Mode, u32)> {
    let (mode, n) = v.split_once(':')?;
    let mode = match mode {
        "adaptive" => Mode::Adaptive,
        "standard" => Mode::Standard,
        _ => return None,
    };
    Some((mode, n.parse().ok().filter(|n| *n > 0)?))
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

    #[test]
    fn overrides_parse_and_refuse_nonsense() {
        assert_eq!(parse_override("adaptive:10"), Some((Mode::Adaptive, 10)));
        assert_eq!(parse_override("standard:3"), Some((Mode::Standard, 3)));
        assert_eq!(parse_override("standard:0"), None);
        assert_eq!(parse_override("fast:3"), None);
        assert_eq!(parse_override("adaptive"), None);
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
    fn one_partition_per_service_and_region() {
        let p = Partitions::default();
        assert_eq!(p.get("ec2", "us-east-1"), p.get("ec2", "us-east-1"));
        assert_ne!(p.get("ec2", "us-east-1"), p.get("ec2", "eu-west-1"));
        assert_ne!(p.get("ec2", "us-east-1"), p.get("s3", "us-east-1"));
    }

    #[test]
    fn the_default_is_adaptive_with_more_attempts_than_the_sdk() {
        // The tests run without the override.
        if std::env::var_os("PHISCAN_AWS_RETRY").is_none() {
            let c = config();
            assert_eq!(c.mode(), aws_sdk_ec2::config::retry::RetryMode::Adaptive);
            assert_eq!(c.max_attempts(), MAX_ATTEMPTS);
            assert!(MAX_ATTEMPTS > RetryConfig::standard().max_attempts());
        }
    }
}
