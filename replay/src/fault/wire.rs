//! The proxy's side of HTTP/1.1: one raw request read from a client, forwarded upstream,
//! and answers composed byte by byte (faults need malformed ones too).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// A request as read off the client connection.
pub(super) struct Raw {
    pub(super) line: String,
    pub(super) headers: Vec<String>,
    pub(super) body: Vec<u8>,
}

pub(super) fn read_raw(reader: &mut BufReader<TcpStream>) -> Option<Raw> {
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

pub(super) struct Upstream {
    pub(super) status_line: String,
    pub(super) headers: Vec<String>,
    pub(super) body: Vec<u8>,
}

impl Upstream {
    pub(super) fn whole(self) -> Vec<u8> {
        let n = self.body.len();
        compose_headers(&self.status_line, &self.headers, &self.body, n)
    }
}

/// Send the request upstream on a fresh connection and read the whole answer.
pub(super) fn forward(raw: &Raw, upstream: SocketAddr) -> Option<Upstream> {
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

pub(super) fn compose(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    length: usize,
) -> Vec<u8> {
    let lines: Vec<String> = headers.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    compose_headers(&format!("HTTP/1.1 {status} Fault"), &lines, body, length)
}

/// A response with `length` as Content-Length (more than `body.len()` to truncate).
pub(super) fn compose_headers(
    status_line: &str,
    headers: &[String],
    body: &[u8],
    length: usize,
) -> Vec<u8> {
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
