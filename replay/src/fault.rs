//! A fault-injecting HTTP proxy for tests: it sits on 127.0.0.1 in front of moto or a replay
//! server and, for the requests a rule matches, answers with throttling or server errors,
//! closes the connection without an answer, delays, truncates the body, or garbles it.
//!
//! Rules match a substring of the request line plus body (`GET /compute/v1/...`, or
//! `Action=DescribeVolumes` in an AWS query-protocol body) and apply a number of times
//! (`times: Some(1)` for a transient fault the client should ride out by retrying) or to
//! every matching request (`None`). Every request is logged with the fault it got, so a test
//! can prove its faults were really hit. Connections are kept alive on both sides, as a
//! cloud API's are: a fresh connection per call would add latency of the proxy's own.
//!
//! Started with [`Options`], it also behaves like a real cloud API under load: a fixed
//! latency with jitter on every call, token buckets per (service, region, operation) that
//! answer with the service's own throttling error when empty ([`shapes`]), and a cap on
//! requests in flight. [`FaultProxy::stats`] (also `GET /__fault-proxy/stats`) counts the
//! throttling answers and gives the floor those settings put under any client's wall time.
//! `src/bin/fault-proxy.rs` runs it from the command line for the benches.

use std::io::{BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod floor;
pub mod limits;
mod network;
pub mod shapes;
mod wire;

use crate::listen::Listening;
pub use floor::{replay_recorded, FloorRun};
use limits::InFlight;
pub use limits::{Buckets, Latency, Rate};
use network::{Network, Verdict};
pub use network::{Options, Stats};
use wire::{compose, compose_headers, read_raw, Raw, UpstreamConn};

/// The path the proxy answers itself with its [`Stats`] as JSON.
pub const STATS_PATH: &str = "/__fault-proxy/stats";

/// What the proxy does to a matching request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer this instead of forwarding (throttling: 429 with `Retry-After`, or a 5xx).
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Read the request and close the connection without answering.
    Close,
    /// Read the request and never answer (the connection stays open until the client gives
    /// up or the proxy stops): only a client-side timeout ends it.
    Hang,
    /// Wait, then forward normally.
    Delay(Duration),
    /// Forward, but send only the first half of the body under the full Content-Length.
    Truncate,
    /// Forward the status and headers with a body that is not what the content type says.
    Malformed,
}

impl Fault {
    /// 429 Too Many Requests with `Retry-After: 0` and a Google/Azure-style error body.
    pub fn throttle() -> Fault {
        Fault::Respond {
            status: 429,
            headers: vec![("Retry-After".into(), "0".into())],
            body: r#"{"error":{"code":429,"message":"Quota exceeded (fault proxy).","status":"RESOURCE_EXHAUSTED"}}"#.into(),
        }
    }

    /// 503 with an AWS query-protocol throttling body (`RequestLimitExceeded`).
    pub fn aws_throttle() -> Fault {
        Fault::Respond {
            status: 503,
            headers: vec![("Content-Type".into(), "text/xml".into())],
            body: "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded (fault proxy).</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>".into(),
        }
    }

    pub fn server_error() -> Fault {
        Fault::Respond {
            status: 500,
            headers: vec![],
            body: r#"{"error":{"code":500,"message":"Internal error (fault proxy).","status":"INTERNAL"}}"#.into(),
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Fault::Respond { .. } => "respond",
            Fault::Close => "close",
            Fault::Hang => "hang",
            Fault::Delay(_) => "delay",
            Fault::Truncate => "truncate",
            Fault::Malformed => "malformed",
        }
    }
}

/// The log's label of a throttling answer of the latency and throttling mode.
pub const THROTTLED: &str = "throttled";

/// A fault for the requests whose line or body contains `pattern`.
#[derive(Debug, Clone)]
pub struct Rule {
    pub pattern: String,
    pub fault: Fault,
    /// How many matching requests get the fault; `None`: all of them.
    pub times: Option<usize>,
}

impl Rule {
    pub fn always(pattern: &str, fault: Fault) -> Rule {
        Rule {
            pattern: pattern.to_string(),
            fault,
            times: None,
        }
    }
    pub fn once(pattern: &str, fault: Fault) -> Rule {
        Rule {
            pattern: pattern.to_string(),
            fault,
            times: Some(1),
        }
    }
}

/// One proxied request: its request line and the fault it got, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proxied {
    pub request_line: String,
    pub fault: Option<&'static str>,
}

struct Shared {
    rules: Vec<(Rule, usize)>,
    log: Vec<Proxied>,
    network: Network,
}

/// A running proxy; stops when dropped.
pub struct FaultProxy {
    shared: Arc<Mutex<Shared>>,
    listening: Listening,
}

impl FaultProxy {
    /// Proxy `upstream` (`http://127.0.0.1:PORT`) on a free port of 127.0.0.1.
    pub fn start(upstream: &str, rules: Vec<Rule>) -> Result<FaultProxy, String> {
        FaultProxy::start_with(upstream, rules, Options::default())
    }

    /// As [`FaultProxy::start`], with latency, throttling and recording.
    pub fn start_with(
        upstream: &str,
        rules: Vec<Rule>,
        opts: Options,
    ) -> Result<FaultProxy, String> {
        let upstream = loopback(upstream)?;
        let opts_cap = opts.max_in_flight;
        let shared = Arc::new(Mutex::new(Shared {
            rules: rules.into_iter().map(|r| (r, 0)).collect(),
            log: Vec::new(),
            network: Network::new(opts)?,
        }));
        let sh = shared.clone();
        let cap = opts_cap.map(|n| Arc::new(InFlight::new(n)));
        let listening =
            Listening::start(move |stream| serve(stream, upstream, &sh, cap.as_deref()))?;
        Ok(FaultProxy { shared, listening })
    }

    /// `http://127.0.0.1:<port>`
    pub fn base_url(&self) -> String {
        self.listening.base_url()
    }

    /// Every request proxied so far, with the fault it got.
    pub fn log(&self) -> Vec<Proxied> {
        self.shared
            .lock()
            .map(|s| s.log.clone())
            .unwrap_or_default()
    }

    /// How many requests got a fault.
    pub fn faults_applied(&self) -> usize {
        self.log().iter().filter(|p| p.fault.is_some()).count()
    }

    /// The latency and throttling mode's counts and floor.
    pub fn stats(&self) -> Stats {
        self.shared
            .lock()
            .map(|s| s.network.stats())
            .unwrap_or_default()
    }
}

/// `http://127.0.0.1:PORT` as an address; nothing but loopback.
pub(crate) fn loopback(upstream: &str) -> Result<SocketAddr, String> {
    let host = upstream
        .strip_prefix("http://")
        .ok_or_else(|| format!("fault proxy: upstream {upstream:?} is not http://"))?
        .trim_end_matches('/');
    let addr: SocketAddr = host
        .parse()
        .map_err(|e| format!("fault proxy: upstream {host:?}: {e}"))?;
    if !addr.ip().is_loopback() {
        return Err(format!("fault proxy: upstream {addr} is not loopback"));
    }
    Ok(addr)
}

/// The requests of one client connection, in turn, over one upstream connection.
fn serve(client: TcpStream, upstream: SocketAddr, shared: &Mutex<Shared>, cap: Option<&InFlight>) {
    let _ = client.set_read_timeout(Some(Duration::from_secs(60)));
    let _ = client.set_nodelay(true);
    let Ok(mut writer) = client.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(client);
    let mut up = UpstreamConn::new(upstream);
    while let Some(raw) = read_raw(&mut reader) {
        let (response, close) = if raw.line.starts_with(&format!("GET {STATS_PATH} ")) {
            let stats = shared.lock().map(|s| s.network.stats()).unwrap_or_default();
            let body = serde_json::to_string(&stats).unwrap_or_default();
            let json = [("Content-Type".to_string(), "application/json".to_string())];
            (
                Some(compose(200, &json, body.as_bytes(), raw.close)),
                raw.close,
            )
        } else {
            // The cap on requests in flight covers the whole answer, latency included.
            let _slot = cap.map(InFlight::enter);
            answer(&raw, &mut reader, &mut up, shared)
        };
        if let Some(bytes) = response {
            if writer
                .write_all(&bytes)
                .and_then(|_| writer.flush())
                .is_err()
            {
                return;
            }
        }
        if close {
            break;
        }
    }
    let _ = writer.shutdown(std::net::Shutdown::Both);
}

/// The answer to one request (`None`: none at all), and whether the connection closes
/// after it.
fn answer(
    raw: &Raw,
    reader: &mut BufReader<TcpStream>,
    up: &mut UpstreamConn,
    shared: &Mutex<Shared>,
) -> (Option<Vec<u8>>, bool) {
    let close = raw.close;
    let (fault, logged) = pick(shared, raw);
    let forward = |up: &mut UpstreamConn| {
        let r = up.forward(raw);
        if r.is_some() {
            if let Ok(mut s) = shared.lock() {
                s.network.forwarded(raw);
            }
        }
        r
    };
    match &fault {
        Some(Fault::Respond {
            status,
            headers,
            body,
        }) => (
            Some(compose(*status, headers, body.as_bytes(), close)),
            close,
        ),
        Some(Fault::Close) => (None, true),
        Some(Fault::Hang) => {
            // Until the client closes its side (a timeout) or ten minutes pass.
            let _ = reader
                .get_ref()
                .set_read_timeout(Some(Duration::from_secs(600)));
            let mut sink = [0u8; 64];
            while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
            (None, true)
        }
        Some(Fault::Delay(d)) => {
            std::thread::sleep(*d);
            let r = forward(up);
            (r.map(|r| r.whole(close)), close)
        }
        // The client waits for the rest of the body until the connection closes.
        Some(Fault::Truncate) => {
            let r = forward(up).map(|r| {
                let half = &r.body[..r.body.len() / 2];
                compose_headers(&r.status_line, &r.headers, half, r.body.len(), true)
            });
            (r, true)
        }
        Some(Fault::Malformed) => {
            let r = forward(up).map(|r| {
                let garbage = b"{\"garbled\": <fault proxy> not the document you asked for";
                compose_headers(&r.status_line, &r.headers, garbage, garbage.len(), close)
            });
            (r, close)
        }
        None => network(raw, logged, up, shared, forward),
    }
}

/// A request no rule took: the latency and throttling mode (forwarded at once without it).
fn network(
    raw: &Raw,
    logged: usize,
    up: &mut UpstreamConn,
    shared: &Mutex<Shared>,
    forward: impl Fn(&mut UpstreamConn) -> Option<wire::Upstream>,
) -> (Option<Vec<u8>>, bool) {
    let close = raw.close;
    let verdict = match shared.lock() {
        Ok(mut s) => s.network.verdict(raw),
        Err(_) => Verdict::Forward(Duration::ZERO),
    };
    match verdict {
        Verdict::Forward(delay) => {
            std::thread::sleep(delay);
            (forward(up).map(|r| r.whole(close)), close)
        }
        Verdict::Throttle(delay, call, wait) => {
            if let Ok(mut s) = shared.lock() {
                s.log[logged].fault = Some(THROTTLED);
            }
            std::thread::sleep(delay);
            let (status, headers, body) = shapes::throttled(&call, wait, logged as u64);
            (
                Some(compose(status, &headers, body.as_bytes(), close)),
                close,
            )
        }
    }
}

/// The fault of the first rule that matches and has applications left, and the request's
/// index in the log.
fn pick(shared: &Mutex<Shared>, raw: &Raw) -> (Option<Fault>, usize) {
    let text = format!("{}\n{}", raw.line, String::from_utf8_lossy(&raw.body));
    let Ok(mut s) = shared.lock() else {
        return (None, 0);
    };
    let fault = s
        .rules
        .iter_mut()
        .find(|(r, used)| text.contains(&r.pattern) && r.times.is_none_or(|t| *used < t))
        .map(|(r, used)| {
            *used += 1;
            r.fault.clone()
        });
    s.log.push(Proxied {
        request_line: raw.line.clone(),
        fault: fault.as_ref().map(Fault::label),
    });
    (fault, s.log.len() - 1)
}

#[cfg(test)]
mod tests;
