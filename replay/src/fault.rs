//! A fault-injecting HTTP proxy for tests: it sits on 127.0.0.1 in front of moto or a replay
//! server and, for the requests a rule matches, answers with throttling or server errors,
//! closes the connection without an answer, delays, truncates the body, or garbles it.
//!
//! Rules match a substring of the request line plus body (`GET /compute/v1/...`, or
//! `Action=DescribeVolumes` in an AWS query-protocol body) and apply a number of times
//! (`times: Some(1)` for a transient fault the client should ride out by retrying) or to
//! every matching request (`None`). Every request is logged with the fault it got, so a test
//! can prove its faults were really hit. Each request gets its own upstream connection with
//! `Connection: close`, and the proxy closes the client connection after each answer.

use std::io::{BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod wire;

use crate::listen::Listening;
use wire::{compose, compose_headers, forward, read_raw, Raw};

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
}

/// A running proxy; stops when dropped.
pub struct FaultProxy {
    shared: Arc<Mutex<Shared>>,
    listening: Listening,
}

impl FaultProxy {
    /// Proxy `upstream` (`http://127.0.0.1:PORT`) on a free port of 127.0.0.1.
    pub fn start(upstream: &str, rules: Vec<Rule>) -> Result<FaultProxy, String> {
        let host = upstream
            .strip_prefix("http://")
            .ok_or_else(|| format!("fault proxy: upstream {upstream:?} is not http://"))?
            .trim_end_matches('/');
        let upstream: SocketAddr = host
            .parse()
            .map_err(|e| format!("fault proxy: upstream {host:?}: {e}"))?;
        if !upstream.ip().is_loopback() {
            return Err(format!("fault proxy: upstream {upstream} is not loopback"));
        }
        let shared = Arc::new(Mutex::new(Shared {
            rules: rules.into_iter().map(|r| (r, 0)).collect(),
            log: Vec::new(),
        }));
        let sh = shared.clone();
        let listening = Listening::start(move |stream| proxy(stream, upstream, &sh))?;
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
}

/// One request per connection: read it, pick a fault, answer, close.
fn proxy(client: TcpStream, upstream: SocketAddr, shared: &Mutex<Shared>) {
    let _ = client.set_read_timeout(Some(Duration::from_secs(60)));
    let Ok(mut writer) = client.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(client);
    let Some(raw) = read_raw(&mut reader) else {
        return;
    };
    let fault = pick(shared, &raw);
    let response = match &fault {
        Some(Fault::Respond {
            status,
            headers,
            body,
        }) => Some(compose(*status, headers, body.as_bytes(), body.len())),
        Some(Fault::Close) => None,
        Some(Fault::Hang) => {
            // Until the client closes its side (a timeout) or ten minutes pass.
            let _ = reader
                .get_ref()
                .set_read_timeout(Some(Duration::from_secs(600)));
            let mut sink = [0u8; 64];
            while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
            None
        }
        Some(Fault::Delay(d)) => {
            std::thread::sleep(*d);
            forward(&raw, upstream).map(|r| r.whole())
        }
        Some(Fault::Truncate) => forward(&raw, upstream).map(|r| {
            let half = &r.body[..r.body.len() / 2];
            compose_headers(&r.status_line, &r.headers, half, r.body.len())
        }),
        Some(Fault::Malformed) => forward(&raw, upstream).map(|r| {
            let garbage = b"{\"garbled\": <fault proxy> not the document you asked for";
            compose_headers(&r.status_line, &r.headers, garbage, garbage.len())
        }),
        None => forward(&raw, upstream).map(|r| r.whole()),
    };
    if let Some(bytes) = response {
        let _ = writer.write_all(&bytes).and_then(|_| writer.flush());
    }
    let _ = writer.shutdown(std::net::Shutdown::Both);
}

/// The fault of the first rule that matches and has applications left; logs the request.
fn pick(shared: &Mutex<Shared>, raw: &Raw) -> Option<Fault> {
    let text = format!("{}\n{}", raw.line, String::from_utf8_lossy(&raw.body));
    let Ok(mut s) = shared.lock() else {
        return None;
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
    fault
}

#[cfg(test)]
mod tests;
