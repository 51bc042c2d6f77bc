//! A replay server for GCP and Azure control-plane tests: no emulator exists for those APIs,
//! so tests serve recorded REST responses (shaped exactly like the official references)
//! from `fixtures/<provider>/<scenario>/` on 127.0.0.1, point the real clients at it, and
//! assert on what was requested.
//!
//! A scenario directory holds `routes.json`, a list of routes:
//!
//! ```json
//! [
//!   {"method": "GET", "path": "/compute/v1/projects/p/aggregated/disks",
//!    "query": {"pageToken": "t2"},
//!    "status": 200, "body_file": "disks-page2.json",
//!    "headers": {"x-ms-request-id": "..."}},
//!   {"method": "GET", "path": "/v1/projects/p/instances",
//!    "sequence": [{"status": 429, "headers": {"Retry-After": "1"}, "body": {"error": {}}},
//!                 {"status": 200, "body_file": "instances.json"}]}
//! ]
//! ```
//!
//! Matching: the method, the path, and the query parameters exactly, except parameters whose
//! name starts with `$` (google-cloud-rust adds `$alt` / `$apiVersion`), which are ignored
//! unless some route of the same method and path names them: ARM pages its lists with
//! `$skiptoken` in `nextLink`, so a `$`-parameter a route names is compared exactly (absent on
//! both sides, or equal) for every route of that path.
//! A route may give `body` inline or `body_file` (relative to the scenario). `sequence`
//! answers its responses in turn and then repeats the last one. In bodies, `{{base}}` is
//! replaced with the server's base URL, so absolute next-page links stay on loopback.
//! Anything not recorded gets a 404 whose body names the request, so a test fails loudly
//! when the scanner asks for something new. Every request is recorded, with whether it
//! carried an `Authorization` header (never its value). [`Replay::only_bearer`] makes the
//! server answer 401 to any request without exactly one token (the one a credential
//! stand-in minted), so a scan that reaches the data proves which credential it used.

pub mod fault;
mod http;
mod listen;
pub mod standin;

use std::collections::BTreeMap;
use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Deserialize;

use http::{read_request, reason, split_query};
use listen::Listening;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Response {
    #[serde(default = "ok")]
    status: u16,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: Option<serde_json::Value>,
    #[serde(default)]
    body_file: Option<String>,
}

fn ok() -> u16 {
    200
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Route {
    method: String,
    path: String,
    #[serde(default)]
    query: BTreeMap<String, String>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: Option<serde_json::Value>,
    #[serde(default)]
    body_file: Option<String>,
    #[serde(default)]
    sequence: Vec<Response>,
}

impl Route {
    fn has_single(&self) -> bool {
        self.status.is_some() || self.body.is_some() || self.body_file.is_some()
    }

    /// The response for the `n`th request (0-based) this route answers.
    fn response(&self, n: usize) -> Response {
        match self.sequence.len() {
            0 => Response {
                status: self.status.unwrap_or(200),
                headers: self.headers.clone(),
                body: self.body.clone(),
                body_file: self.body_file.clone(),
            },
            len => self.sequence[n.min(len - 1)].clone(),
        }
    }
}

/// One request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Query parameters, `$`-prefixed ones included, in the order sent.
    pub query: Vec<(String, String)>,
    pub had_authorization: bool,
    /// Whether a recorded route answered it (false: it got the 404, or the 401 of
    /// [`Replay::only_bearer`]).
    pub matched: bool,
}

struct State {
    dir: PathBuf,
    routes: Vec<Route>,
    served: Vec<usize>,
    log: Vec<Recorded>,
    base: String,
    /// Whether a request's `Authorization` header (if any) may be answered; else 401.
    authorize: Option<Authorizer>,
}

/// Decides whether a request's `Authorization` header (if any) may be answered.
type Authorizer = Box<dyn Fn(Option<&str>) -> bool + Send>;

/// A running replay server; stops when dropped.
pub struct Replay {
    state: Arc<Mutex<State>>,
    // Held for its Drop: stops the server.
    _listening: Listening,
    base: String,
}

impl Replay {
    /// Serve the scenario in `dir` on a free port of 127.0.0.1.
    pub fn start(dir: impl AsRef<Path>) -> Result<Replay, String> {
        let dir = dir.as_ref().to_path_buf();
        let routes_path = dir.join("routes.json");
        let text = std::fs::read_to_string(&routes_path)
            .map_err(|e| format!("{}: {e}", routes_path.display()))?;
        let routes: Vec<Route> =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", routes_path.display()))?;
        for (i, r) in routes.iter().enumerate() {
            if r.has_single() != r.sequence.is_empty() {
                return Err(format!(
                    "{}: route {i} ({} {}) needs either a response or a sequence, not both",
                    routes_path.display(),
                    r.method,
                    r.path
                ));
            }
        }
        let served = vec![0; routes.len()];
        let state = Arc::new(Mutex::new(State {
            dir,
            routes,
            served,
            log: Vec::new(),
            base: String::new(),
            authorize: None,
        }));
        let st = state.clone();
        let listening = Listening::start(move |stream| serve(stream, &st))?;
        let base = listening.base_url();
        state.lock().map_err(|e| e.to_string())?.base = base.clone();
        Ok(Replay {
            state,
            _listening: listening,
            base,
        })
    }

    /// `http://127.0.0.1:<port>`
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// From now on, answer only requests whose `Authorization` is `Bearer <token>`; any
    /// other gets 401 (and is recorded as unmatched).
    pub fn only_bearer(&self, token: &str) {
        let expected = format!("Bearer {token}");
        self.authorize(move |header| header == Some(expected.as_str()));
    }

    /// From now on, answer only requests whose bearer token `accepts` (a self-signed JWT
    /// whose signature and claims it verifies); any other gets 401.
    pub fn only_bearer_that(&self, accepts: impl Fn(&str) -> bool + Send + 'static) {
        self.authorize(move |header| {
            header
                .and_then(|h| h.strip_prefix("Bearer "))
                .is_some_and(&accepts)
        });
    }

    fn authorize(&self, f: impl Fn(Option<&str>) -> bool + Send + 'static) {
        if let Ok(mut s) = self.state.lock() {
            s.authorize = Some(Box::new(f));
        }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().map(|s| s.log.clone()).unwrap_or_default()
    }
}

/// HTTP/1.1 on one connection: requests in turn until the client closes it (or asks to).
fn serve(stream: TcpStream, state: &Mutex<State>) {
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(120)));
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut writer = write_half;
    loop {
        let Some(request) = read_request(&mut reader) else {
            return;
        };
        let (status, headers, body) = match &request {
            Ok(r) => answer(state, &r.method, &r.target, r.header("authorization")),
            Err(message) => (400, vec![], message.clone().into_bytes()),
        };
        let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
        for (k, v) in &headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        let close = request.as_ref().map_or(true, |r| r.close);
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: {}\r\n\r\n",
            body.len(),
            if close { "close" } else { "keep-alive" }
        ));
        if writer
            .write_all(head.as_bytes())
            .and_then(|_| writer.write_all(&body))
            .and_then(|_| writer.flush())
            .is_err()
            || close
        {
            return;
        }
    }
}

fn answer(
    state: &Mutex<State>,
    method: &str,
    target: &str,
    authorization: Option<&str>,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let Ok(mut st) = state.lock() else {
        return (500, vec![], b"replay state poisoned".to_vec());
    };
    let method = method.to_string();
    let (path, query) = split_query(target);
    let had_authorization = authorization.is_some();
    if st.authorize.as_ref().is_some_and(|ok| !ok(authorization)) {
        st.log.push(Recorded {
            method,
            path,
            query,
            had_authorization,
            matched: false,
        });
        let body = serde_json::json!({"error": {"code": "InvalidAuthenticationToken", "message": "replay: not the token the credential stand-in minted", "status": "UNAUTHENTICATED"}});
        return (
            401,
            vec![("Content-Type".into(), "application/json".into())],
            body.to_string().into_bytes(),
        );
    }
    let same_path = |r: &&Route| r.method.eq_ignore_ascii_case(&method) && r.path == path;
    // `$`-parameters that some route of this method and path names are significant.
    let significant: std::collections::BTreeSet<String> = st
        .routes
        .iter()
        .filter(same_path)
        .flat_map(|r| r.query.keys().filter(|k| k.starts_with('$')).cloned())
        .collect();
    let wanted: BTreeMap<&str, &str> = query
        .iter()
        .filter(|(k, _)| !k.starts_with('$') || significant.contains(k))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let hit = st.routes.iter().position(|r| {
        r.method.eq_ignore_ascii_case(&method)
            && r.path == path
            && r.query
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<BTreeMap<_, _>>()
                == wanted
    });
    st.log.push(Recorded {
        method: method.clone(),
        path: path.clone(),
        query: query.clone(),
        had_authorization,
        matched: hit.is_some(),
    });
    let Some(i) = hit else {
        let message = format!(
            "replay: no recorded response for {method} {} (query without $-params: {wanted:?})",
            path
        );
        let body = serde_json::json!({"error": {"code": "NotRecorded", "message": message, "status": "NOT_FOUND"}});
        return (
            404,
            vec![("Content-Type".into(), "application/json".into())],
            body.to_string().into_bytes(),
        );
    };
    let n = st.served[i];
    st.served[i] += 1;
    let route = &st.routes[i];
    let resp = route.response(n);
    let body = match (&resp.body, &resp.body_file) {
        (_, Some(f)) => match std::fs::read_to_string(st.dir.join(f)) {
            Ok(text) => text,
            Err(e) => {
                return (
                    500,
                    vec![],
                    format!("replay: cannot read {f}: {e}").into_bytes(),
                )
            }
        },
        (Some(v), None) => v.to_string(),
        (None, None) => String::new(),
    };
    let body = body.replace("{{base}}", &st.base);
    let mut headers: Vec<(String, String)> = resp.headers.into_iter().collect();
    if !body.is_empty()
        && !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        headers.push((
            "Content-Type".into(),
            "application/json; charset=UTF-8".into(),
        ));
    }
    (resp.status, headers, body.into_bytes())
}

#[cfg(test)]
mod tests;
