//! Fault rules: how often they fire, and only loopback upstreams; connections kept alive;
//! the latency and throttling mode; recording and the emulator floor.

use super::*;
use std::io::BufRead;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

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
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
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

/// An upstream that keeps connections alive, answers `ok` to every request, and counts
/// the connections it accepted.
fn keep_alive_upstream() -> (String, Arc<Mutex<usize>>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let accepted = Arc::new(Mutex::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            *count.lock().unwrap() += 1;
            std::thread::spawn(move || {
                let mut w = s.try_clone().unwrap();
                let mut r = BufReader::new(s);
                while let Some(Ok(_)) = crate::http::read_request(&mut r) {
                    let _ = write!(w, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                }
            });
        }
    });
    (format!("http://127.0.0.1:{port}"), accepted)
}

/// `n` requests on one connection; each answer's head and body.
fn on_one_connection(base: &str, requests: &[String]) -> Vec<(String, String)> {
    let s = TcpStream::connect(base.strip_prefix("http://").unwrap()).unwrap();
    let mut w = s.try_clone().unwrap();
    let mut r = BufReader::new(s);
    requests
        .iter()
        .map(|req| {
            w.write_all(req.as_bytes()).unwrap();
            let mut head = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                r.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                head.push_str(&line);
            }
            let mut body = vec![0; length];
            r.read_exact(&mut body).unwrap();
            (head, String::from_utf8(body).unwrap())
        })
        .collect()
}

fn ec2_call(action: &str) -> String {
    let body = format!("Action={action}&Version=2016-11-15");
    format!(
        "POST / HTTP/1.1\r\nHost: x\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIA/20261206/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn connections_stay_alive_on_both_sides() {
    let (up, accepted) = keep_alive_upstream();
    let p = FaultProxy::start(&up, vec![]).unwrap();
    let calls: Vec<String> = (0..5).map(|_| ec2_call("DescribeVolumes")).collect();
    let answers = on_one_connection(&p.base_url(), &calls);
    assert_eq!(answers.len(), 5);
    assert!(answers
        .iter()
        .all(|(h, b)| h.starts_with("HTTP/1.1 200") && b == "ok"));
    assert!(answers
        .iter()
        .all(|(h, _)| !h.contains("Connection: close")));
    assert_eq!(
        *accepted.lock().unwrap(),
        1,
        "one upstream connection for five calls"
    );
}

#[test]
fn throttling_mode_answers_with_the_service_error_and_counts_it() {
    let (up, _) = keep_alive_upstream();
    let mut opts = Options {
        latency: Latency {
            base: Duration::from_millis(30),
            jitter: Duration::from_millis(5),
        },
        max_in_flight: Some(4),
        ..Options::default()
    };
    // Two calls at once, then one every 1000 s: the third is throttled.
    opts.buckets
        .services
        .insert("ec2".into(), Rate::parse("2:0.001").unwrap());
    let p = FaultProxy::start_with(&up, vec![], opts).unwrap();
    let started = std::time::Instant::now();
    let calls: Vec<String> = (0..3).map(|_| ec2_call("DescribeVolumes")).collect();
    let answers = on_one_connection(&p.base_url(), &calls);
    assert!(
        started.elapsed() >= Duration::from_millis(75),
        "latency on every call"
    );
    assert!(answers[0].0.starts_with("HTTP/1.1 200"));
    assert!(answers[1].0.starts_with("HTTP/1.1 200"));
    assert!(answers[2].0.starts_with("HTTP/1.1 503"), "{:?}", answers[2]);
    assert!(answers[2].1.contains("<Code>RequestLimitExceeded</Code>"));
    // Another operation has its own bucket.
    let other = on_one_connection(&p.base_url(), &[ec2_call("DescribeSnapshots")]);
    assert!(other[0].0.starts_with("HTTP/1.1 200"));
    let stats = p.stats();
    assert_eq!((stats.requests, stats.forwarded), (4, 3));
    assert_eq!(stats.throttled.get("ec2"), Some(&1));
    assert_eq!(stats.throttled_total, 1);
    // 3 calls x 30 ms over 4 in flight; no bucket past its burst.
    assert!((stats.latency_floor_s - 0.0225).abs() < 1e-9, "{stats:?}");
    assert_eq!(stats.bucket_floor_s, 0.0);
    let log = p.log();
    assert_eq!(log.iter().filter(|c| c.fault == Some(THROTTLED)).count(), 1);
    // The stats over HTTP, as the bench reads them.
    let answer = on_one_connection(
        &p.base_url(),
        &[format!("GET {STATS_PATH} HTTP/1.1\r\nHost: x\r\n\r\n")],
    );
    let json: serde_json::Value = serde_json::from_str(&answer[0].1).unwrap();
    assert_eq!(json["throttled"]["ec2"], 1);
}

#[test]
fn recorded_requests_replay_as_the_emulator_floor() {
    let (up, _) = keep_alive_upstream();
    let file = std::env::temp_dir().join(format!("fault-proxy-rec-{}.jsonl", std::process::id()));
    let opts = Options {
        record: Some(file.clone()),
        ..Options::default()
    };
    let p = FaultProxy::start_with(&up, vec![], opts).unwrap();
    let calls: Vec<String> = (0..7).map(|_| ec2_call("DescribeVolumes")).collect();
    on_one_connection(&p.base_url(), &calls);
    let run = replay_recorded(&file, &up, 3).unwrap();
    assert_eq!((run.calls, run.unanswered, run.concurrency), (7, 0, 3));
    assert!(run.calls_per_s > 0.0);
    let _ = std::fs::remove_file(file);
}
