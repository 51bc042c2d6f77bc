//! Fault rules: how often they fire, and only loopback upstreams.

use super::*;
use std::io::BufRead;
use std::net::TcpListener;

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
