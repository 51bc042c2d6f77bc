//! What ARM answers, apart from the HTTP pipeline: list pages, error bodies, `nextLink`.

use serde::Deserialize;
use url::Url;

/// One page of an ARM list.
#[derive(Debug, Deserialize)]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(default, rename = "nextLink")]
    pub next_link: Option<String>,
}

/// The URL to fetch for a `nextLink`. Against an overridden endpoint (tests, sovereign
/// proxies) the link's scheme, host and port are replaced by the endpoint's, since ARM writes
/// its public host into it; otherwise a link to another origin is refused, so the bearer
/// token never goes anywhere but the ARM endpoint. `api-version` is kept or added.
pub fn next_url(
    base: &Url,
    overridden: bool,
    next: &str,
    api_version: &str,
) -> Result<Url, String> {
    let mut url = Url::parse(next).map_err(|e| format!("nextLink is not a URL ({e})"))?;
    if overridden {
        let _ = url.set_scheme(base.scheme());
        let _ = url.set_host(base.host_str());
        let _ = url.set_port(base.port());
    }
    if url.origin() != base.origin() {
        return Err(format!(
            "nextLink points to another host ({}) than the ARM endpoint; phiscan does not send credentials there",
            url.host_str().unwrap_or("none")
        ));
    }
    if !url.query_pairs().any(|(k, _)| k == "api-version") {
        url.query_pairs_mut()
            .append_pair("api-version", api_version);
    }
    Ok(url)
}

/// ARM's error body: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error: Option<ErrorDetail>,
}

#[derive(Debug, Default, Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// ARM's `error.code` and `error.message`, when the body is ARM's error JSON.
pub fn error_detail(body: &[u8]) -> (Option<String>, Option<String>) {
    let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    match parsed.error {
        Some(e) => (e.code, e.message),
        None => (None, None),
    }
}

/// Transport errors name the URL; keep scheme, host and path, drop the query.
pub fn redact_urls(text: &str) -> String {
    text.split(' ')
        .map(|w| match w.find("http") {
            Some(i) if w[i..].starts_with("http://") || w[i..].starts_with("https://") => {
                match w.find('?') {
                    Some(q) => format!("{}{}", &w[..q], if w.ends_with(')') { ")" } else { "" }),
                    None => w.to_string(),
                }
            }
            _ => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links() {
        let arm = Url::parse("https://management.azure.com/").unwrap();
        let local = Url::parse("http://127.0.0.1:8080/").unwrap();
        let link = "https://management.azure.com/subscriptions/s/disks?api-version=2023-04-02&$skiptoken=x";
        assert_eq!(next_url(&arm, false, link, "v").unwrap().as_str(), link);
        let rewritten = next_url(&local, true, link, "v").unwrap();
        assert_eq!(
            rewritten.as_str(),
            "http://127.0.0.1:8080/subscriptions/s/disks?api-version=2023-04-02&$skiptoken=x"
        );
        let bare = next_url(
            &arm,
            false,
            "https://management.azure.com/x?$skiptoken=1",
            "2024-01-01",
        );
        assert!(bare
            .unwrap()
            .as_str()
            .ends_with("$skiptoken=1&api-version=2024-01-01"));
        // The token goes to the ARM endpoint only.
        for foreign in [
            "https://evil.example/x",
            "http://management.azure.com/x",
            "https://management.azure.com:444/x",
        ] {
            let e = next_url(&arm, false, foreign, "v").unwrap_err();
            assert!(e.contains("another host"), "{foreign}: {e}");
        }
        // A link whose origin an override cannot rewrite (no host) is refused too.
        for odd in ["data:text/plain,x", "mailto:a@b"] {
            assert!(next_url(&local, true, odd, "v").is_err(), "{odd}");
        }
        assert!(next_url(&arm, false, "not a url", "v")
            .unwrap_err()
            .contains("not a URL"));
    }
}
