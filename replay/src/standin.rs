//! Credential stand-ins: loopback HTTP servers that implement one documented token exchange
//! (an identity provider's side of it), so that a test can run the SDK's real credential
//! provider against them and know which token it minted. The exchange itself is a handler
//! (`Fn(&Request) -> Reply`); the server around it keeps every request for the test.
//!
//! The handlers of the exchanges phiscan's tests run live in submodules, one per
//! identity provider, each checking what the documentation says a client must send.

pub mod entra;
pub mod google;
pub mod jwt;
pub mod sso;
pub mod x509;

use std::collections::BTreeMap;
use std::io::{BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::http::{decode_form, read_request, reason, split_query};
use crate::listen::Listening;

/// One request a stand-in received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Names lowercased, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// An `application/x-www-form-urlencoded` body (the OAuth 2.0 token requests).
    pub fn form(&self) -> BTreeMap<String, String> {
        decode_form(&String::from_utf8_lossy(&self.body))
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// A stand-in's answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string(),
        }
    }

    /// An OAuth 2.0 error (RFC 6749 section 5.2): 400 (or 401) with `error` and a description.
    pub fn oauth_error(status: u16, error: &str, description: &str) -> Reply {
        Reply::json(
            status,
            serde_json::json!({"error": error, "error_description": description}),
        )
    }
}

/// A running stand-in on 127.0.0.1; stops when dropped.
pub struct StandIn {
    log: Arc<Mutex<Vec<Request>>>,
    listening: Listening,
    scheme: &'static str,
}

impl StandIn {
    /// Serve `handler` on a free port of 127.0.0.1.
    pub fn start(
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Result<StandIn, String> {
        let log = Arc::new(Mutex::new(Vec::new()));
        let lg = log.clone();
        let listening = Listening::start(move |stream: TcpStream| {
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(120)));
            serve(stream, &handler, &lg)
        })?;
        Ok(StandIn {
            log,
            listening,
            scheme: "http",
        })
    }

    /// Serve `handler` over TLS (https) on a free port of 127.0.0.1, presenting `chain`
    /// (the server certificate first, DER) with its PKCS #8 `key`: for clients that
    /// insist on https, which must then trust the chain's CA.
    pub fn start_tls(
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
        chain: Vec<Vec<u8>>,
        key: Vec<u8>,
    ) -> Result<StandIn, String> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS stand-in: {e}"))?
            .with_no_client_auth()
            .with_single_cert(
                chain.into_iter().map(CertificateDer::from).collect(),
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key)),
            )
            .map_err(|e| format!("TLS stand-in: {e}"))?;
        let config = Arc::new(config);
        let log = Arc::new(Mutex::new(Vec::new()));
        let lg = log.clone();
        let listening = Listening::start(move |stream| {
            let Ok(conn) = rustls::ServerConnection::new(config.clone()) else {
                return;
            };
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(120)));
            serve(rustls::StreamOwned::new(conn, stream), &handler, &lg)
        })?;
        Ok(StandIn {
            log,
            listening,
            scheme: "https",
        })
    }

    /// `http://127.0.0.1:<port>` (`https://` for [`StandIn::start_tls`]).
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme, self.listening.addr)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

/// HTTP/1.1 on one connection (plain, or TLS), requests in turn until the client closes it.
fn serve(
    stream: impl Read + Write,
    handler: &impl Fn(&Request) -> Reply,
    log: &Mutex<Vec<Request>>,
) {
    let mut reader = BufReader::new(stream);
    while let Some(incoming) = read_request(&mut reader) {
        let (reply, close) = match incoming {
            Ok(r) => {
                let (path, query) = split_query(&r.target);
                let request = Request {
                    method: r.method,
                    path,
                    query,
                    headers: r.headers,
                    body: r.body,
                };
                let reply = handler(&request);
                if let Ok(mut l) = log.lock() {
                    l.push(request);
                }
                (reply, r.close)
            }
            Err(message) => (Reply::oauth_error(400, "invalid_request", &message), true),
        };
        let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
        for (k, v) in &reply.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: {}\r\n\r\n",
            reply.body.len(),
            if close { "close" } else { "keep-alive" }
        ));
        let writer = reader.get_mut();
        if writer
            .write_all(head.as_bytes())
            .and_then(|_| writer.write_all(reply.body.as_bytes()))
            .and_then(|_| writer.flush())
            .is_err()
            || close
        {
            return;
        }
    }
}
