//! Matching recorded requests.

use super::*;
use std::io::{Read, Write};

fn get(base: &str, path_query: &str) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path_query} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    let body = out.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

#[test]
fn matches_ignores_dollar_params_sequences_and_404s() {
    let dir = std::env::temp_dir().join(format!("replay-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("page2.json"),
        r#"{"items": [2], "next": "{{base}}/x"}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("routes.json"),
        r#"[
          {"method": "GET", "path": "/a/b", "query": {"pageToken": "t 2"}, "body_file": "page2.json"},
          {"method": "GET", "path": "/list", "body": {"page": 1}},
          {"method": "GET", "path": "/list", "query": {"$skiptoken": "p2"}, "body": {"page": 2}},
          {"method": "GET", "path": "/seq", "sequence": [
            {"status": 429, "headers": {"Retry-After": "1"}, "body": {"error": {"code": 429}}},
            {"status": 200, "body": {"ok": true}}]}
        ]"#,
    )
    .unwrap();
    let r = Replay::start(&dir).unwrap();
    let (s, body) = get(r.base_url(), "/a/b?pageToken=t%202&%24alt=json");
    assert_eq!(s, 200);
    assert!(body.contains(&format!("{}/x", r.base_url())), "{body}");
    assert_eq!(get(r.base_url(), "/seq").0, 429);
    assert_eq!(get(r.base_url(), "/seq").0, 200);
    assert_eq!(get(r.base_url(), "/seq").0, 200);
    let (s, body) = get(r.base_url(), "/a/b?pageToken=other");
    assert_eq!(s, 404);
    assert!(body.contains("no recorded response for GET /a/b"), "{body}");
    // A `$`-parameter a route names is significant for every route of that path.
    assert_eq!(get(r.base_url(), "/list?%24top=5").1, r#"{"page":1}"#);
    assert_eq!(
        get(r.base_url(), "/list?%24skiptoken=p2").1,
        r#"{"page":2}"#
    );
    assert_eq!(get(r.base_url(), "/list?%24skiptoken=p3").0, 404);
    let log = r.requests();
    assert_eq!(log.len(), 8);
    assert!(log[0].had_authorization && log[0].matched && !log[4].matched);
    assert_eq!(log[0].query[1], ("$alt".to_string(), "json".to_string()));
    std::fs::remove_dir_all(&dir).unwrap();
}
