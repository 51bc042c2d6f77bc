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

/// The HTTP client every AWS SDK client of a scan uses.
pub(crate) fn client() -> SharedHttpClient {
    let tls = with_tls();
    // Plain requests through an HTTPS proxy need TLS too.
    if https_proxy_for_plain_requests() {
        return tls;
    }
    SharedHttpClient::new(ByScheme {
        plain: plain(),
        tls,
    })
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
