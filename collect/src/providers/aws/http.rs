//! The SDK's HTTP client, with TLS made ready at the first `https://` request rather than
//! before the first request of any kind.
//!
//! Why: the SDK's default client builds its rustls configuration, and with it reads and
//! parses the platform's root certificates (on Linux both the CA bundle and every file of
//! `/etc/ssl/certs`), when its first connector is made: before the first call, even when
//! every call goes to a plain `http://` emulator endpoint. That was most of the time from
//! start to the first API call (issue 21: < 50 ms). Here each request goes to the same
//! connector the SDK's default would use (rustls with aws-lc, the proxy settings of the
//! environment, the connector settings and sleep of the client), built when the first
//! request of its scheme is sent; real AWS endpoints are `https://`, so nothing changes for
//! them but when the roots are read.

use std::sync::{Arc, OnceLock};

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use tokio::sync::Semaphore;

/// The HTTP client every AWS SDK client of a scan uses.
pub(crate) fn client() -> SharedHttpClient {
    let tls = with_tls();
    // Plain requests through an HTTPS proxy need TLS too.
    let inner = if https_proxy_for_plain_requests() {
        tls
    } else {
        SharedHttpClient::new(ByScheme {
            plain: plain(),
            tls,
        })
    };
    SharedHttpClient::new(Capped {
        inner,
        slots: slots(),
    })
}

/// Requests in flight at once over all the connections of a scan, every account of an
/// organization included, unless `PHISCAN_AWS_CONNECTIONS` says otherwise (for the benches;
/// not a user setting).
///
/// Why: each request in flight holds a connection, and each connection hyper's buffers
/// (~28 KB). A scan has 16 calls in flight per service and region
/// ([`super::retry::PER_SERVICE_REGION`]), so a scan of every service in three regions
/// opened ~400 connections at once, 11 MB (BENCHMARKS.md, "Memory at N = 50"), and an
/// organization's accounts scanned at once as many again each. A request that finds no slot
/// waits for one before it is sent: the time counts against the call's attempt timeout, as
/// the same wait did in the server's queue before. 128 is twice what one AWS endpoint
/// serves a client at once in the latency bench (`--max-in-flight` 64).
pub const CONNECTIONS: usize = 128;

fn slots() -> Arc<Semaphore> {
    static SLOTS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    SLOTS
        .get_or_init(|| {
            let n = std::env::var("PHISCAN_AWS_CONNECTIONS")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(CONNECTIONS);
            Arc::new(Semaphore::new(n))
        })
        .clone()
}

/// A client whose requests each take one of the scan's [`slots`] while they are sent and
/// answered.
#[derive(Debug)]
struct Capped {
    inner: SharedHttpClient,
    slots: Arc<Semaphore>,
}

impl HttpClient for Capped {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(CappedConnector {
            inner: self.inner.http_connector(settings, components),
            slots: self.slots.clone(),
        })
    }
}

#[derive(Debug)]
struct CappedConnector {
    inner: SharedHttpConnector,
    slots: Arc<Semaphore>,
}

impl HttpConnector for CappedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (inner, slots) = (self.inner.clone(), self.slots.clone());
        HttpConnectorFuture::new(async move {
            // Never closed: the semaphore lives as long as the process.
            let _slot = slots.acquire_owned().await;
            inner.call(request).await
        })
    }
}

/// Whether the environment sends `http://` requests to an `https://` proxy (the variables
/// [`ProxyConfig::from_env`] reads for them).
fn https_proxy_for_plain_requests() -> bool {
    ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
        .into_iter()
        .filter_map(std::env::var_os)
        .any(|v| {
            v.to_string_lossy()
                .to_ascii_lowercase()
                .starts_with("https://")
        })
}

/// The SDK's default client (aws-smithy-runtime's `default_https_client`).
fn with_tls() -> SharedHttpClient {
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut b = ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::AwsLc));
        b.set_connector_settings(settings.cloned());
        if let Some(c) = components {
            b.set_sleep_impl(c.sleep_impl());
        }
        b.set_proxy_config(Some(ProxyConfig::from_env()));
        b.build()
    })
}

/// The same without TLS, for `http://` endpoints.
fn plain() -> SharedHttpClient {
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut b = ConnectorBuilder::default();
        b.set_connector_settings(settings.cloned());
        if let Some(c) = components {
            b.set_sleep_impl(c.sleep_impl());
        }
        b.set_proxy_config(Some(ProxyConfig::from_env()));
        b.build_http()
    })
}

#[derive(Debug)]
struct ByScheme {
    plain: SharedHttpClient,
    tls: SharedHttpClient,
}

impl HttpClient for ByScheme {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(Lazy(Arc::new(LazyInner {
            plain: self.plain.clone(),
            tls: self.tls.clone(),
            settings: settings.clone(),
            components: components.clone(),
            made: [OnceLock::new(), OnceLock::new()],
        })))
    }
}

/// A connector for each scheme, made (by the clients above, which cache them per settings)
/// when the first request of that scheme is sent.
#[derive(Debug, Clone)]
struct Lazy(Arc<LazyInner>);

#[derive(Debug)]
struct LazyInner {
    plain: SharedHttpClient,
    tls: SharedHttpClient,
    settings: HttpConnectorSettings,
    components: RuntimeComponents,
    made: [OnceLock<SharedHttpConnector>; 2],
}

impl HttpConnector for Lazy {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let s = &self.0;
        let plain = request.uri().starts_with("http://");
        let (client, slot) = if plain {
            (&s.plain, &s.made[0])
        } else {
            (&s.tls, &s.made[1])
        };
        slot.get_or_init(|| client.http_connector(&s.settings, &s.components))
            .call(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_config::BehaviorVersion;
    use aws_sdk_sts::config::{Credentials, Region};
    use aws_smithy_types::retry::RetryConfig;

    /// An STS client whose TLS connector panics when it is made.
    fn sts(endpoint: &str) -> aws_sdk_sts::Client {
        let tls = Builder::new().build_with_connector_fn(|_, _| panic!("TLS connector made"));
        let conf = aws_sdk_sts::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new("AKID", "secret", None, None, "test"))
            .retry_config(RetryConfig::disabled())
            .http_client(SharedHttpClient::new(ByScheme {
                plain: plain(),
                tls,
            }))
            .build();
        aws_sdk_sts::Client::from_conf(conf)
    }

    /// Eight calls at once through a client with two slots: the server never has more
    /// than two requests to answer at once, and answers all eight.
    #[test]
    fn requests_in_flight_never_exceed_the_slots() {
        use std::io::{Read, Write};
        use std::sync::atomic::{AtomicUsize, Ordering};

        let (now, most, served) = (
            Arc::new(AtomicUsize::new(0)),
            Arc::new(AtomicUsize::new(0)),
            Arc::new(AtomicUsize::new(0)),
        );
        // A server that takes 50 ms to answer each request, on a thread per connection.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (n, m, s) = (now.clone(), most.clone(), served.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let (Ok(mut conn), n, m, s) = (conn, n.clone(), m.clone(), s.clone()) else {
                    return;
                };
                std::thread::spawn(move || {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        if conn.read(&mut byte).unwrap_or(0) == 0 {
                            return;
                        }
                        head.push(byte[0]);
                    }
                    m.fetch_max(n.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    n.fetch_sub(1, Ordering::SeqCst);
                    s.fetch_add(1, Ordering::SeqCst);
                    let _ = conn.write_all(
                        b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                    );
                });
            }
        });
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let capped = SharedHttpClient::new(Capped {
                inner: plain(),
                slots: Arc::new(Semaphore::new(2)),
            });
            let conf = aws_sdk_sts::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .endpoint_url(&url)
                .credentials_provider(Credentials::new("AKID", "secret", None, None, "test"))
                .retry_config(RetryConfig::disabled())
                .http_client(capped)
                .build();
            let client = aws_sdk_sts::Client::from_conf(conf);
            let calls = (0..8).map(|_| {
                let client = client.clone();
                tokio::spawn(async move { client.get_caller_identity().send().await.is_err() })
            });
            for call in calls.collect::<Vec<_>>() {
                assert!(call.await.unwrap(), "the server answers 500");
            }
        });
        assert_eq!(served.load(Ordering::SeqCst), 8);
        let most = most.load(Ordering::SeqCst);
        assert!(most <= 2, "{most} requests at once");
    }

    #[test]
    fn tls_is_made_ready_for_https_requests_only() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        // Port 9 of loopback is closed: the call fails to connect, without TLS.
        let plain = rt.block_on(sts("http://127.0.0.1:9").get_caller_identity().send());
        assert!(plain.is_err());
        let tls = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // Only whether it panics matters, not the (large) error.
            rt.block_on(sts("https://127.0.0.1:9").get_caller_identity().send())
                .is_ok()
        }));
        assert!(tls.is_err(), "an https request makes the TLS connector");
    }
}
