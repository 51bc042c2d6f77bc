//! What a real cloud API adds to an emulator's answers: latency with jitter, token buckets
//! per (service, region, operation), and a cap on requests in flight. All three are
//! functions of an explicit clock (`Duration` since the proxy started), so tests drive them
//! without sleeping.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// A token bucket's shape: `burst` tokens at most, `refill` tokens a second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub burst: f64,
    pub refill: f64,
}

impl Rate {
    /// `BURST:REFILL` (`100:20`: EC2's documented non-mutating bucket).
    pub fn parse(spec: &str) -> Result<Rate, String> {
        let (b, r) = spec
            .split_once(':')
            .ok_or_else(|| format!("bucket {spec:?}: expected BURST:REFILL"))?;
        let num = |s: &str| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| *v > 0.0)
                .ok_or_else(|| format!("bucket {spec:?}: {s:?} is not a positive number"))
        };
        Ok(Rate {
            burst: num(b)?,
            refill: num(r)?,
        })
    }
}

/// One bucket, refilled lazily from the clock at each take.
#[derive(Debug, Clone)]
pub struct Bucket {
    rate: Rate,
    tokens: f64,
    at: Duration,
}

impl Bucket {
    /// A full bucket at `now`.
    pub fn new(rate: Rate, now: Duration) -> Bucket {
        Bucket {
            rate,
            tokens: rate.burst,
            at: now,
        }
    }

    /// Take a token at `now`; `Err(wait)`: empty, the next token comes after `wait`.
    pub fn take(&mut self, now: Duration) -> Result<(), Duration> {
        let elapsed = now.saturating_sub(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate.refill).min(self.rate.burst);
        self.at = self.at.max(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - self.tokens) / self.rate.refill,
            ))
        }
    }
}

/// Which rate each service's buckets have; a bucket per (service, region, operation).
#[derive(Debug, Clone, Default)]
pub struct Buckets {
    /// Services without their own line; `None`: unlimited.
    pub default: Option<Rate>,
    /// By service name as the proxy reads it from the request (`ec2`, `s3`, `compute`,
    /// `microsoft.compute`).
    pub services: BTreeMap<String, Rate>,
}

impl Buckets {
    pub fn rate(&self, service: &str) -> Option<Rate> {
        self.services.get(service).copied().or(self.default)
    }
    pub fn is_empty(&self) -> bool {
        self.default.is_none() && self.services.is_empty()
    }
}

/// The key of one bucket.
pub type BucketKey = (String, String, String);

/// Every bucket met so far, and how many requests each let through.
#[derive(Debug, Default)]
pub struct Limiter {
    pub config: Buckets,
    buckets: BTreeMap<BucketKey, (Bucket, u64)>,
}

impl Limiter {
    pub fn new(config: Buckets) -> Limiter {
        Limiter {
            config,
            buckets: BTreeMap::new(),
        }
    }

    /// Admit one request of `key` at `now`, or say how long until a token.
    pub fn admit(&mut self, key: &BucketKey, now: Duration) -> Result<(), Duration> {
        let Some(rate) = self.config.rate(&key.0) else {
            return Ok(());
        };
        let (bucket, admitted) = self
            .buckets
            .entry(key.clone())
            .or_insert_with(|| (Bucket::new(rate, now), 0));
        bucket.take(now)?;
        *admitted += 1;
        Ok(())
    }

    /// The least time any client needs for the requests admitted so far: each bucket
    /// lets `burst` through at once and then `refill` a second, and buckets drain in
    /// parallel, so the slowest bucket sets the floor.
    pub fn floor(&self) -> Duration {
        let secs = self
            .buckets
            .values()
            .map(|(b, n)| ((*n as f64) - b.rate.burst).max(0.0) / b.rate.refill)
            .fold(0.0, f64::max);
        Duration::from_secs_f64(secs)
    }
}

/// A fixed latency per call, uniformly jittered by +/- `jitter`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Latency {
    pub base: Duration,
    pub jitter: Duration,
}

impl Latency {
    /// The delay for draw `u` in [0, 1).
    pub fn delay(&self, u: f64) -> Duration {
        let span = self.jitter.as_secs_f64();
        let d = self.base.as_secs_f64() + span * (2.0 * u - 1.0);
        Duration::from_secs_f64(d.max(0.0))
    }
}

/// A small deterministic generator for jitter (xorshift64*): no dependency, and the same
/// seed gives the same delays from run to run.
#[derive(Debug)]
pub struct Jitter(u64);

impl Jitter {
    pub fn new(seed: u64) -> Jitter {
        Jitter(seed.max(1))
    }
    /// A draw in [0, 1).
    pub fn draw(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let v = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (v >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// At most `max` requests in flight; the others wait their turn, as behind a connection
/// budget.
#[derive(Debug)]
pub struct InFlight {
    max: usize,
    now: Mutex<usize>,
    freed: Condvar,
}

impl InFlight {
    pub fn new(max: usize) -> InFlight {
        InFlight {
            max: max.max(1),
            now: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Wait for a slot; it is freed when the guard drops.
    pub fn enter(&self) -> Slot<'_> {
        let mut n = self.now.lock().expect("in-flight lock");
        while *n >= self.max {
            n = self.freed.wait(n).expect("in-flight lock");
        }
        *n += 1;
        Slot(self)
    }

    pub fn max(&self) -> usize {
        self.max
    }
}

pub struct Slot<'a>(&'a InFlight);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Ok(mut n) = self.0.now.lock() {
            *n -= 1;
            self.0.freed.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EC2: Rate = Rate {
        burst: 100.0,
        refill: 20.0,
    };

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_bucket_lets_its_burst_through_then_its_refill_rate() {
        let mut b = Bucket::new(EC2, ms(0));
        for i in 0..100 {
            assert_eq!(b.take(ms(0)), Ok(()), "burst token {i}");
        }
        // Empty: the next token is 1/20 s away.
        assert_eq!(b.take(ms(0)), Err(ms(50)));
        assert!(b.take(ms(49)).is_err());
        assert_eq!(b.take(ms(50)), Ok(()));
        assert!(b.take(ms(50)).is_err());
        // One second refills 20 tokens, not more.
        for _ in 0..20 {
            assert_eq!(b.take(ms(1050)), Ok(()));
        }
        assert!(b.take(ms(1050)).is_err());
    }

    #[test]
    fn a_bucket_never_holds_more_than_its_burst() {
        let mut b = Bucket::new(EC2, ms(0));
        let admitted = (0..500).filter(|_| b.take(ms(3_600_000)).is_ok()).count();
        assert_eq!(admitted, 100);
    }

    #[test]
    fn a_clock_going_back_takes_nothing_back() {
        let mut b = Bucket::new(Rate::parse("1:1").unwrap(), ms(1000));
        assert_eq!(b.take(ms(1000)), Ok(()));
        assert!(b.take(ms(500)).is_err());
        assert_eq!(b.take(ms(2000)), Ok(()));
    }

    #[test]
    fn buckets_are_per_service_region_and_operation() {
        let mut config = Buckets::default();
        config
            .services
            .insert("ec2".into(), Rate::parse("2:1").unwrap());
        let mut l = Limiter::new(config);
        let key = |s: &str, r: &str, o: &str| (s.to_string(), r.to_string(), o.to_string());
        let vols = key("ec2", "us-east-1", "DescribeVolumes");
        assert!(l.admit(&vols, ms(0)).is_ok());
        assert!(l.admit(&vols, ms(0)).is_ok());
        assert!(l.admit(&vols, ms(0)).is_err());
        // Another operation, another region: their own buckets.
        assert!(l
            .admit(&key("ec2", "us-east-1", "DescribeSnapshots"), ms(0))
            .is_ok());
        assert!(l
            .admit(&key("ec2", "eu-west-1", "DescribeVolumes"), ms(0))
            .is_ok());
        // A service without a rate and no default: unlimited.
        for _ in 0..1000 {
            assert!(l.admit(&key("s3", "us-east-1", "GET"), ms(0)).is_ok());
        }
    }

    #[test]
    fn the_floor_is_the_slowest_bucket() {
        let mut config = Buckets::default();
        config.services.insert("ec2".into(), EC2);
        config.default = Some(Rate::parse("10:5").unwrap());
        let mut l = Limiter::new(config);
        let key = |s: &str, o: &str| (s.to_string(), "r".to_string(), o.to_string());
        // 140 EC2 calls over 2 s of clock: 100 at once, 40 at 20/s = 2 s.
        for i in 0..140u64 {
            let mut t = i * 1000 / 20;
            while l.admit(&key("ec2", "DescribeVolumes"), ms(t)).is_err() {
                t += 1;
            }
        }
        assert!(
            (l.floor().as_secs_f64() - 2.0).abs() < 1e-9,
            "{:?}",
            l.floor()
        );
        // 20 KMS calls: 10 at once, 10 at 5/s = 2 s; a tie, still 2 s.
        for t in 0..20u64 {
            let _ = l.admit(&key("kms", "ListKeys"), ms(t * 200));
        }
        assert!((l.floor().as_secs_f64() - 2.0).abs() < 1e-9);
    }

    #[test]
    fn bucket_specs_parse_and_refuse_nonsense() {
        assert_eq!(Rate::parse("100:20"), Ok(EC2));
        assert!(Rate::parse("100").is_err());
        assert!(Rate::parse("0:20").is_err());
        assert!(Rate::parse("x:1").is_err());
    }

    #[test]
    fn latency_stays_within_its_jitter_and_averages_its_base() {
        let l = Latency {
            base: ms(50),
            jitter: ms(10),
        };
        let mut j = Jitter::new(7);
        let draws: Vec<Duration> = (0..10_000).map(|_| l.delay(j.draw())).collect();
        assert!(draws.iter().all(|d| *d >= ms(40) && *d <= ms(60)));
        let mean = draws.iter().map(Duration::as_secs_f64).sum::<f64>() / draws.len() as f64;
        assert!((mean - 0.050).abs() < 0.001, "{mean}");
        assert_eq!(l.delay(0.5), ms(50));
    }

    #[test]
    fn in_flight_waits_for_a_free_slot() {
        use std::sync::Arc;
        let f = Arc::new(InFlight::new(2));
        let a = f.enter();
        let _b = f.enter();
        let g = f.clone();
        let waiter = std::thread::spawn(move || {
            let _c = g.enter();
        });
        std::thread::sleep(ms(50));
        assert!(!waiter.is_finished(), "a third request waits");
        drop(a);
        waiter.join().unwrap();
    }
}
