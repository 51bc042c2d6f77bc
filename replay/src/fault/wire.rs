//! The proxy's side of HTTP/1.1: raw requests read from a client connection kept alive,
//! forwarded over an upstream connection kept alive too (a fresh TCP connection per call
//! would add its own latency to every call), and answers composed byte by byte (faults need
//! malformed ones too).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// A request as read off the client connection.
pub(crate) struct Raw {
    pub(crate) line: String,
    pub(crate) headers: Vec<String>,
    pub(crate) body: Vec<u8>,
    /// The client said `Connection: close` (or spoke HTTP/1.0).
    pub(crate) close: bool,
}

impl Raw {
    /// The request as sent upstream: line, headers, body (Content-Length among the
    /// headers; connection management is the proxy's own).
    pub(crate) fn bytes(&self) -> Vec<u8> {
        let mut head = format!("{}\r\n", self.line);
        for h in &self.headers {
            head.push_str(h);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        let mut out = head.into_bytes();
        out.extend_from_slice(&self.body);
        out
    }

    fn is_head(&self) -> bool {
        self.line.starts_with("HEAD ")
    }
}

pub(crate) fn read_raw(reader: &mut impl BufRead) -> Option<Raw> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut headers = Vec::new();
    let mut length = 0usize;
    let mut close = line.trim_end().ends_with("HTTP/1.0");
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
            // The proxy manages its connections on each side itself.
            "connection" => {
                close |= value.trim().eq_ignore_ascii_case("close");
                continue;
            }
            "keep-alive" => continue,
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
        close,
    })
}

/// One upstream connection, opened on first use and kept alive while upstream allows.
pub(crate) struct UpstreamConn {
    addr: SocketAddr,
    conn: Option<BufReader<TcpStream>>,
}

impl UpstreamConn {
    pub(crate) fn new(addr: SocketAddr) -> UpstreamConn {
        UpstreamConn { addr, conn: None }
    }

    /// Send the request and read the whole answer. A kept-alive connection upstream closed
    /// meanwhile fails before any answer byte: then once more on a fresh connection.
    pub(crate) fn forward(&mut self, raw: &Raw) -> Option<Upstream> {
        let reused = self.conn.is_some();
        match self.exchange(raw) {
            Some(answer) => Some(answer),
            None if reused => {
                self.conn = None;
                self.exchange(raw)
            }
            None => None,
        }
    }

    fn exchange(&mut self, raw: &Raw) -> Option<Upstream> {
        let answer = self.try_exchange(raw);
        if answer.as_ref().is_none_or(|a| a.close) {
            self.conn = None;
        }
        answer
    }

    fn try_exchange(&mut self, raw: &Raw) -> Option<Upstream> {
        if self.conn.is_none() {
            let conn = TcpStream::connect_timeout(&self.addr, Duration::from_secs(10)).ok()?;
            let _ = conn.set_read_timeout(Some(Duration::from_secs(60)));
            let _ = conn.set_nodelay(true);
            self.conn = Some(BufReader::new(conn));
        }
        let reader = self.conn.as_mut()?;
        let conn = reader.get_mut();
        conn.write_all(&raw.bytes()).ok()?;
        conn.flush().ok()?;
        read_answer(reader, raw.is_head())
    }
}

pub(crate) struct Upstream {
    pub(crate) status_line: String,
    pub(crate) headers: Vec<String>,
    pub(crate) body: Vec<u8>,
    /// Upstream closes the connection after this answer.
    close: bool,
}

impl Upstream {
    pub(crate) fn whole(self, close: bool) -> Vec<u8> {
        let n = self.body.len();
        compose_headers(&self.status_line, &self.headers, &self.body, n, close)
    }
}

fn read_answer(reader: &mut BufReader<TcpStream>, head: bool) -> Option<Upstream> {
    let mut status_line = String::new();
    if reader.read_line(&mut status_line).ok()? == 0 {
        return None;
    }
    let status: u16 = status_line.split_whitespace().nth(1)?.parse().ok()?;
    let mut headers = Vec::new();
    let (mut length, mut chunked) = (None, false);
    let mut close = status_line.starts_with("HTTP/1.0");
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
            "connection" => {
                close |= value.trim().eq_ignore_ascii_case("close");
                continue;
            }
            "keep-alive" => continue,
            _ => {}
        }
        headers.push(h);
    }
    let body = if head || status == 204 || status == 304 || (100..200).contains(&status) {
        Vec::new()
    } else if chunked {
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
        // No length: the body ends with the connection.
        close = true;
        let mut body = Vec::new();
        reader.read_to_end(&mut body).ok()?;
        body
    };
    Some(Upstream {
        status_line: status_line.trim_end().to_string(),
        headers,
        body,
        close,
    })
}

pub(crate) fn compose(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    close: bool,
) -> Vec<u8> {
    let lines: Vec<String> = headers.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let reason = crate::http::reason(status);
    compose_headers(
        &format!("HTTP/1.1 {status} {reason}"),
        &lines,
        body,
        body.len(),
        close,
    )
}

/// A response with `length` as Content-Length (more than `body.len()` to truncate), that
/// closes the connection when `close`.
pub(crate) fn compose_headers(
    status_line: &str,
    headers: &[String],
    body: &[u8],
    length: usize,
    close: bool,
) -> Vec<u8> {
    let mut out = format!("{status_line}\r\n");
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str(&format!("Content-Length: {length}\r\n"));
    if close {
        out.push_str("Connection: close\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}
