//! Plain REST GETs for the APIs phiscan does not call through an official client (the
//! Storage JSON API, Cloud Logging's sinks), with the headers google-cloud-auth's
//! credentials produce, on the same reqwest/rustls stack the official clients use. Each
//! call is one HTTP attempt: [`Gcp::call`] retries and logs.

use std::time::Duration;

use serde::de::DeserializeOwned;

use super::api::Gcp;
use super::auth;
use super::failure::Failure;

/// One GET attempt against a JSON REST API: the parsed body, or a [`Failure`] built from the
/// status, `Retry-After` and the error body.
pub(super) async fn get<T: DeserializeOwned>(
    gcp: &Gcp,
    url: &str,
    query: &[(&str, String)],
) -> Result<T, Failure> {
    let headers = auth::headers(&gcp.creds).await.map_err(|message| Failure {
        status: Some("CredentialsError".into()),
        message,
        ..Failure::default()
    })?;
    let sent = gcp
        .http
        .get(url)
        .query(query)
        .headers(headers)
        .header(
            reqwest::header::USER_AGENT,
            concat!("phiscan/", env!("CARGO_PKG_VERSION")),
        )
        .send()
        .await;
    let response = match sent {
        Ok(r) => r,
        Err(e) => {
            let kind = if e.is_timeout() {
                "Timeout"
            } else if e.is_connect() {
                "ConnectError"
            } else {
                "TransportError"
            };
            let message = match kind {
                "Timeout" => "the request timed out",
                "ConnectError" => "cannot connect to the endpoint",
                _ => "the connection failed",
            };
            // reqwest's own message names the URL, query string included: not used.
            return Err(Failure {
                transport: Some(kind.into()),
                message: message.into(),
                ..Failure::default()
            });
        }
    };
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = response.bytes().await.map_err(|_| Failure {
        transport: Some("TransportError".into()),
        message: "the response body was cut off".into(),
        ..Failure::default()
    })?;
    if !status.is_success() {
        let mut f = Failure {
            http_status: Some(status.as_u16()),
            retry_after,
            ..Failure::default()
        };
        f.merge_body(&body);
        return Err(f);
    }
    serde_json::from_slice(&body).map_err(|e| Failure {
        http_status: Some(status.as_u16()),
        status: Some("MalformedResponse".into()),
        message: format!("the response is not the documented JSON: {e}"),
        ..Failure::default()
    })
}
