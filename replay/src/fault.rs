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

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

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
    stop: Arc<AtomicBool>,
    addr: SocketAddr,
    thread: Option<JoinHandle<()>>,
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
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let shared = Arc::new(Mutex::new(Shared {
            rules: rules.into_iter().map(|r| (r, 0)).collect(),
            log: Vec::new(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (sh, halt) = (shared.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let sh = sh.clone();
                    std::thread::spawn(move || proxy(stream, upstream, &sh));
                }
            }
        });
        Ok(FaultProxy {
            shared,
            stop,
            addr,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:<port>`
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
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

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A request as read off the client connection.
struct Raw {
    line: String,
    headers: Vec<String>,
    body: Vec<u8>,
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

fn read_raw(reader: &mut BufReader<TcpStream>) -> Option<Raw> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            return None;
        }
        let h = h.trim_end().to_string();
        if h.is_empty() {
            break;
        }
        let (name, value) = h.split_once(':').unwrap_or((&h, ""));
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap_or(0),
            // One request per connection, and we decide about keep-alive ourselves.
            "connection" | "keep-alive" => continue,
            "transfer-encoding" => return None, // the SDK clients send Content-Length
            _ => {}
        }
        headers.push(h);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Raw {
        line: line.trim_end().to_string(),
        headers,
        body,
    })
}

struct Upstream {
    status_line: String,
    headers: Vec<String>,
    body: Vec<u8>,
}

impl Upstream {
    fn whole(self) -> Vec<u8> {
        let n = self.body.len();
        compose_headers(&self.status_line, &self.headers, &self.body, n)
    }
}

/// Send the request upstream on a fresh connection and read the whole answer.
fn forward(raw: &Raw, upstream: SocketAddr) -> Option<Upstream> {
    let mut conn = TcpStream::connect_timeout(&upstream, Duration::from_secs(10)).ok()?;
    let _ = conn.set_read_timeout(Some(Duration::from_secs(60)));
    let mut head = format!("{}\r\n", raw.line);
    for h in &raw.headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("Connection: close\r\n\r\n");
    conn.write_all(head.as_bytes()).ok()?;
    conn.write_all(&raw.body).ok()?;
    let mut reader = BufReader::new(conn);
    let mut status_line = String::new();
    reader.read_line(&mut status_line).ok()?;
    let mut headers = Vec::new();
    let (mut length, mut chunked) = (None, false);
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            break;
        }
        let h = h.trim_end().to_string();
        if h.is_empty() {
            break;
        }
        let (name, value) = h.split_once(':').unwrap_or((&h, ""));
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => {
                length = value.trim().parse::<usize>().ok();
                continue;
            }
            "transfer-encoding" => {
                chunked = value.trim().eq_ignore_ascii_case("chunked");
                continue;
            }
            "connection" | "keep-alive" => continue,
            _ => {}
        }
        headers.push(h);
    }
    let body = if chunked {
        let mut body = Vec::new();
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            let n = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; n + 2];
            reader.read_exact(&mut chunk).ok()?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
        body
    } else if let Some(n) = length {
        let mut body = vec![0; n];
        reader.read_exact(&mut body).ok()?;
        body
    } else {
        let mut body = Vec::new();
        reader.read_to_end(&mut body).ok()?;
        body
    };
    Some(Upstream {
        status_line: status_line.trim_end().to_string(),
        headers,
        body,
    })
}

fn compose(status: u16, headers: &[(String, String)], body: &[u8], length: usize) -> Vec<u8> {
    let lines: Vec<String> = headers.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    compose_headers(&format!("HTTP/1.1 {status} Fault"), &lines, body, length)
}

/// A response with `length` as Content-Length (more than `body.len()` to truncate).
fn compose_headers(status_line: &str, headers: &[String], body: &[u8], length: usize) -> Vec<u8> {
    let mut out = format!("{status_line}\r\n");
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str(&format!(
        "Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-shot upstream answering every connection with `body`.
    fn upstream(body: &'static str) -> String {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for s in l.incoming().flatten() {
                let mut r = BufReader::new(s.try_clone().unwrap());
                let mut line = String::new();
                while r.read_line(&mut line).unwrap_or(0) > 2 {
                    line.clear();
                }
                let mut w = s;
                let _ = write!(
                    w,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        format!("http://127.0.0.1:{port}")
    }

    fn get(base: &str, path: &str) -> (String, Vec<u8>) {
        let mut s = TcpStream::connect(base.strip_prefix("http://").unwrap()).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        let text = String::from_utf8_lossy(&out).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        (head.to_string(), body.as_bytes().to_vec())
    }

    #[test]
    fn faults_apply_as_many_times_as_the_rule_says() {
        let up = upstream(r#"{"items":[1,2,3,4]}"#);
        let p = FaultProxy::start(
            &up,
            vec![
                Rule::once("/throttled", Fault::throttle()),
                Rule::always("/truncated", Fault::Truncate),
                Rule::always("/garbled", Fault::Malformed),
                Rule::always("/closed", Fault::Close),
            ],
        )
        .unwrap();
        let base = p.base_url();
        let (head, _) = get(&base, "/throttled");
        assert!(head.starts_with("HTTP/1.1 429"), "{head}");
        let (head, body) = get(&base, "/throttled");
        assert!(
            head.starts_with("HTTP/1.1 200"),
            "second try passes: {head}"
        );
        assert_eq!(body, br#"{"items":[1,2,3,4]}"#);
        let (head, body) = get(&base, "/truncated");
        assert!(head.contains("Content-Length: 19"), "{head}");
        assert_eq!(body.len(), 9);
        let (_, body) = get(&base, "/garbled");
        assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
        let (head, body) = get(&base, "/closed");
        assert!(head.is_empty() && body.is_empty());
        let (head, _) = get(&base, "/plain");
        assert!(head.starts_with("HTTP/1.1 200"));
        assert_eq!(p.faults_applied(), 4);
        assert_eq!(p.log().len(), 6);
    }

    #[test]
    fn only_loopback_upstreams() {
        assert!(FaultProxy::start("http://10.0.0.1:80", vec![]).is_err());
        assert!(FaultProxy::start("https://127.0.0.1:80", vec![]).is_err());
    }
}
