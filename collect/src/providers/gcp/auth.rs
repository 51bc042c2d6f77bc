//! Credentials for every GCP call: Application Default Credentials from google-cloud-auth,
//! or a static bearer token from `GOOGLE_OAUTH_ACCESS_TOKEN`.
//!
//! The same [`Credentials`] object serves the official clients (`with_credentials`) and
//! the Storage JSON API calls made with reqwest (its `headers()` give the `Authorization`
//! header), so both paths authenticate identically.
//!
//! Why a static token is accepted at all: it is what `gcloud auth print-access-token`
//! hands out and what other GCP tools accept (Terraform's provider reads the same
//! variable), it lets a CI job scan with a short-lived token minted elsewhere, and it is
//! how the tests authenticate against the replay server without any credential file or
//! metadata server. The token is marked sensitive and never logged.

use google_cloud_auth::credentials::{
    self, CacheableResource, Credentials, CredentialsProvider, EntityTag,
};
use google_cloud_auth::errors::CredentialsError;
use http::header::{HeaderValue, AUTHORIZATION};
use http::{Extensions, HeaderMap};

/// The environment variable holding a static OAuth 2.0 access token.
pub const TOKEN_VAR: &str = "GOOGLE_OAUTH_ACCESS_TOKEN";

/// Where the credentials came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    StaticToken,
    ApplicationDefault,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::StaticToken => "the access token in GOOGLE_OAUTH_ACCESS_TOKEN",
            Source::ApplicationDefault => "Application Default Credentials",
        }
    }
}

/// A fixed `Authorization: Bearer` header. It never refreshes: a token expires after an
/// hour, longer than any scan should take.
#[derive(Debug)]
struct StaticToken {
    header: HeaderValue,
    tag: EntityTag,
}

impl CredentialsProvider for StaticToken {
    async fn headers(
        &self,
        extensions: Extensions,
    ) -> Result<CacheableResource<HeaderMap>, CredentialsError> {
        if extensions.get::<EntityTag>() == Some(&self.tag) {
            return Ok(CacheableResource::NotModified);
        }
        let mut data = HeaderMap::new();
        data.insert(AUTHORIZATION, self.header.clone());
        Ok(CacheableResource::New {
            entity_tag: self.tag.clone(),
            data,
        })
    }

    async fn universe_domain(&self) -> Option<String> {
        None
    }
}

/// The credentials to scan with: `GOOGLE_OAUTH_ACCESS_TOKEN` when set and not empty,
/// else Application Default Credentials.
pub fn credentials() -> Result<(Credentials, Source), String> {
    match std::env::var(TOKEN_VAR) {
        Ok(token) if !token.trim().is_empty() => {
            let mut header = HeaderValue::from_str(&format!("Bearer {}", token.trim()))
                .map_err(|_| format!("{TOKEN_VAR} holds characters a token cannot have"))?;
            header.set_sensitive(true);
            let provider = StaticToken {
                header,
                tag: EntityTag::new(),
            };
            Ok((Credentials::from(provider), Source::StaticToken))
        }
        _ => credentials::Builder::default()
            .build()
            .map(|c| (c, Source::ApplicationDefault))
            .map_err(|e| e.to_string()),
    }
}

/// The request headers the credentials produce (the `Authorization` header, and
/// `x-goog-user-project` when ADC names a quota project).
pub async fn headers(creds: &Credentials) -> Result<HeaderMap, String> {
    match creds.headers(Extensions::new()).await {
        Ok(CacheableResource::New { data, .. }) => Ok(data),
        // Only returned when the caller passes an entity tag, which we never do.
        Ok(CacheableResource::NotModified) => Err("credentials returned no headers".into()),
        Err(e) => Err(e.to_string()),
    }
}
