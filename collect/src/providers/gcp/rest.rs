//! Plain REST reads for the APIs phiscan does not call through an official client (the
//! Storage JSON API, Cloud Logging, Spanner, Firestore, Pub/Sub, BigQuery, Memorystore and
//! IAM), with the headers google-cloud-auth's credentials produce, on the same
//! reqwest/rustls stack the official clients use. Each call is one HTTP attempt:
//! [`Gcp::call`] retries and logs. The only POST is [`post`], for the `:getIamPolicy`
//! methods that Google defines as POST although they only read.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::api::{Gcp, Service};
use super::auth;
use super::failure::Failure;
use crate::model::gcp::IamBinding;

/// One GET attempt against a JSON REST API: the parsed body, or a [`Failure`] built from the
/// status, `Retry-After` and the error body.
pub(super) async fn get<T: DeserializeOwned>(
    gcp: &Gcp,
    url: &str,
    query: &[(&str, String)],
) -> Result<T, Failure> {
    let asked = || {
        let mut names = crate::raw::url_names(url, &[]);
        names.extend(
            query
                .iter()
                .filter(|(k, _)| *k != "pageToken")
                .map(|(_, v)| v.clone()),
        );
        names
    };
    send(gcp, gcp.http.get(url).query(query), asked).await
}

/// One POST attempt with a JSON body, for read-only methods Google defines as POST
/// (`:getIamPolicy` of Spanner databases).
pub(super) async fn post<T: DeserializeOwned>(
    gcp: &Gcp,
    url: &str,
    body: &serde_json::Value,
) -> Result<T, Failure> {
    let request = gcp
        .http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_string());
    send(gcp, request, || crate::raw::url_names(url, &[])).await
}

/// Every item of a list paged with `pageToken` / `nextPageToken`, each page one logged
/// [`Gcp::call`]; `split` takes a page apart into its items and the next token. The first
/// failure ends the list: a partial list is not returned, since it could hide the one
/// non-compliant resource.
#[allow(clippy::too_many_arguments)]
pub(super) async fn get_all<P: DeserializeOwned, I>(
    gcp: &Gcp,
    service: Service,
    operation: &'static str,
    project: &str,
    region: Option<&str>,
    url: &str,
    query: &[(&str, String)],
    split: impl Fn(P) -> (Vec<I>, Option<String>),
) -> Result<Vec<I>, Failure> {
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut q = query.to_vec();
        q.extend(token.iter().map(|t| ("pageToken", t.clone())));
        let page: P = gcp
            .call(service, operation, project, region, || get(gcp, url, &q))
            .await?;
        let (found, next) = split(page);
        items.extend(found);
        match next.filter(|t| !t.is_empty()) {
            Some(t) => token = Some(t),
            None => return Ok(items),
        }
    }
}

/// An IAM policy as the REST APIs return it (`getIamPolicy`).
#[derive(Debug, Deserialize)]
pub(super) struct Policy {
    #[serde(default)]
    bindings: Vec<Binding>,
}

#[derive(Debug, Deserialize)]
struct Binding {
    role: String,
    #[serde(default)]
    members: Vec<String>,
}

impl Policy {
    pub(super) fn into_bindings(self) -> Vec<IamBinding> {
        self.bindings
            .into_iter()
            .map(|b| IamBinding {
                role: b.role,
                members: b.members,
                condition: None,
            })
            .collect()
    }
}

/// `asked`: what the request names, for raw evidence (only evaluated when it is kept).
async fn send<T: DeserializeOwned>(
    gcp: &Gcp,
    request: reqwest::RequestBuilder,
    asked: impl FnOnce() -> Vec<String>,
) -> Result<T, Failure> {
    let headers = auth::headers(&gcp.creds).await.map_err(|message| Failure {
        status: Some("CredentialsError".into()),
        message,
        ..Failure::default()
    })?;
    let sent = request
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
    if crate::raw::capturing() {
        if let Ok(v) = serde_json::from_slice(&body) {
            gcp.keep_raw(asked(), v);
        }
    }
    serde_json::from_slice(&body).map_err(|e| Failure {
        http_status: Some(status.as_u16()),
        status: Some("MalformedResponse".into()),
        message: format!("the response is not the documented JSON: {e}"),
        ..Failure::default()
    })
}
