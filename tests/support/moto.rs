//! A moto server per test: its own port on 127.0.0.1, killed on drop, so tests are
//! independent and can run in parallel.
//!
//! moto lives in the venv `ci/moto install` makes (`$PHISCAN_VENV`, default
//! `~/.cache/phiscan/venv`). Without it a test is skipped with a message, except under
//! `CI=true`, where a missing emulator fails the test: CI must never pass by skipping.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn venv() -> PathBuf {
    match std::env::var_os("PHISCAN_VENV") {
        Some(v) => PathBuf::from(v),
        None => PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
            .join(".cache/phiscan/venv"),
    }
}

pub struct Moto {
    child: Child,
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl Moto {
    /// Start a fresh moto, or `None` (with a message) when moto is not installed outside CI.
    pub fn start() -> Option<Moto> {
        let server = venv().join("bin/moto_server");
        if !server.exists() {
            let msg = format!(
                "moto is not installed at {}: run ci/moto install",
                server.display()
            );
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{msg}");
            }
            eprintln!("SKIPPED: {msg}");
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        // The port is free when asked; if another process takes it before moto binds,
        // moto exits and we try another one.
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let log = std::fs::File::create(dir.path().join("moto.log")).expect("log file");
            let mut child = Command::new(&server)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .env("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
                // moto issues requested ACM certificates after 60 s by default; keep them
                // PENDING_VALIDATION so verdicts never depend on how long seeding took.
                .env("MOTO_ACM_VALIDATION_WAIT", "86400")
                .env("MOTO_RECORDER_FILEPATH", dir.path().join("recording.jsonl"))
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log file"))
                .stderr(log)
                .spawn()
                .expect("moto_server starts");
            let url = format!("http://127.0.0.1:{port}");
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                if http("GET", port, "/moto-api/", "").is_some_and(|(status, _)| status == 200) {
                    return Some(Moto { child, url, dir });
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!(
            "moto_server did not start; log: {}",
            std::fs::read_to_string(dir.path().join("moto.log")).unwrap_or_default()
        );
    }

    pub fn port(&self) -> u16 {
        self.url.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// POST to moto's own API (`/moto-api/...`); panics unless it answers 200.
    pub fn api(&self, path: &str, body: &str) -> String {
        match http("POST", self.port(), path, body) {
            Some((200, text)) => text,
            other => panic!("moto {path}: {other:?}"),
        }
    }

    /// Run fixtures/aws/seed.py with the venv's python; returns the truth it wrote.
    pub fn seed(&self, what: &str) -> serde_json::Value {
        self.run_seed("seed.py", &[what], what)
    }

    /// Run fixtures/aws/seed_org.py: an organization of three accounts.
    #[allow(dead_code)] // used by tests/aws_org.rs only
    pub fn seed_org(&self) -> serde_json::Value {
        self.run_seed("seed_org.py", &[], "org")
    }

    fn run_seed(&self, script: &str, args: &[&str], name: &str) -> serde_json::Value {
        let out = self.dir.path().join(format!("{name}.json"));
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/aws")
            .join(script);
        let run = Command::new(venv().join("bin/python"))
            .arg(script)
            .args(args)
            .args([self.url.as_str(), out.to_str().unwrap()])
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .expect("python runs");
        assert!(
            run.status.success(),
            "seeding failed: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.0 exchange with 127.0.0.1:port: (status, body).
fn http(method: &str, port: u16, path: &str, body: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    write!(
        s,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut resp = String::new();
    s.read_to_string(&mut resp).ok()?;
    let status = resp.split_whitespace().nth(1)?.parse().ok()?;
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((status, body))
}

/// One request moto's recorder kept: what it asked for and the credential that signed it.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The query-protocol `Action`, the JSON protocol's `X-Amz-Target`, else method and URL.
    pub operation: String,
    /// The access key id of the SigV4 `Authorization` header, if signed.
    pub key_id: Option<String>,
    pub session_token: Option<String>,
    pub body: String,
}

impl Moto {
    /// Record every request from now on (moto's recorder; `recorded` reads them).
    pub fn start_recording(&self) {
        self.api("/moto-api/recorder/start-recording", "");
    }

    /// Stop recording; the requests recorded since `start_recording`.
    pub fn recorded(&self) -> Vec<Signed> {
        use base64::Engine as _;
        self.api("/moto-api/recorder/stop-recording", "");
        let text =
            std::fs::read_to_string(self.dir.path().join("recording.jsonl")).unwrap_or_default();
        text.lines()
            .map(|line| {
                let entry: serde_json::Value = serde_json::from_str(line).expect("recorder JSON");
                let header = |name: &str| {
                    entry["headers"].as_object().and_then(|h| {
                        h.iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case(name))
                            .and_then(|(_, v)| v.as_str().map(str::to_string))
                    })
                };
                let raw = entry["body"].as_str().unwrap_or_default();
                let body = if entry["body_encoded"] == true {
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(raw)
                        .expect("recorded body is base64");
                    String::from_utf8_lossy(&bytes).into_owned()
                } else {
                    raw.to_string()
                };
                let action = body
                    .split('&')
                    .find_map(|p| p.strip_prefix("Action="))
                    .map(str::to_string);
                let operation = action
                    .or_else(|| header("X-Amz-Target"))
                    .unwrap_or_else(|| {
                        format!(
                            "{} {}",
                            entry["method"].as_str().unwrap_or(""),
                            entry["url"]
                        )
                    });
                // AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/<service>/aws4_request, ...
                let key_id = header("Authorization").and_then(|a| {
                    a.split("Credential=")
                        .nth(1)
                        .and_then(|c| c.split('/').next())
                        .map(str::to_string)
                });
                Signed {
                    operation,
                    key_id,
                    session_token: header("X-Amz-Security-Token"),
                    body,
                }
            })
            .collect()
    }

    /// The sessions moto's STS minted (AssumeRole, AssumeRoleWithWebIdentity), from its
    /// state dump: `access_key_id`, `secret_access_key`, `session_token`, `role_arn`, `arn`.
    pub fn minted_sessions(&self) -> Vec<serde_json::Value> {
        let (status, body) =
            http("GET", self.port(), "/moto-api/data.json", "").expect("moto answers");
        assert_eq!(status, 200, "moto data.json: {body}");
        let data: serde_json::Value = serde_json::from_str(&body).expect("data.json is JSON");
        data["sts"]["AssumedRole"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}
