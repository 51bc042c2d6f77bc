//! Credentials, clouds and endpoints.
//!
//! The credential chain, first match wins (azure_identity 1.x has no DefaultAzureCredential,
//! so phiscan builds the usual order itself):
//! 1. `AZURE_ACCESS_TOKEN`: a bearer token used as is (`az account get-access-token --query
//!    accessToken -o tsv`); this is how the tests run. It is never refreshed.
//! 2. Environment service principal: `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` +
//!    `AZURE_CLIENT_SECRET` (ClientSecretCredential), or `AZURE_CLIENT_CERTIFICATE_PATH` (a
//!    PEM certificate and key; see [`super::certificate`]).
//! 3. Workload identity: `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` + `AZURE_FEDERATED_TOKEN_FILE`
//!    (AKS workload identity, or any federated token file).
//! 4. Otherwise, tried in turn when the first token is needed: managed identity (Azure VMs,
//!    App Service, ...; `AZURE_CLIENT_ID` picks a user-assigned identity), bounded by
//!    [`MANAGED_IDENTITY_TIMEOUT`] so a laptop without an identity endpoint does not hang;
//!    then the developer tools (`az` CLI, then `azd`). The first that answers is kept.
//!
//! The Entra ID authority is the cloud's (`login.microsoftonline.com` for the public cloud),
//! or `AZURE_AUTHORITY_HOST` (the variable the Azure SDKs document, for a private or
//! sovereign authority); azure_identity accepts only https there.
//!
//! Plain http: azure_core's BearerTokenAuthorizationPolicy refuses to authorize non-https
//! URLs, and phiscan keeps that for every real endpoint. Only an endpoint override on a
//! loopback address (127.0.0.0/8, ::1, localhost: the test replay server) may be http; its
//! requests get the token from [`LoopbackBearer`], which itself refuses any non-loopback URL.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use azure_core::cloud::{CloudConfiguration, CustomConfiguration};
use azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
use azure_core::error::ErrorKind;
use azure_core::http::headers::AUTHORIZATION;
use azure_core::http::policies::auth::BearerTokenAuthorizationPolicy;
use azure_core::http::policies::{Policy, PolicyResult};
use azure_core::http::{ClientOptions, Context, Request, Url};
use azure_core::time::{Duration, OffsetDateTime};
use azure_identity::{
    ClientAssertionCredential, ClientAssertionCredentialOptions, ClientSecretCredential,
    ClientSecretCredentialOptions, DeveloperToolsCredential, ManagedIdentityCredential,
    ManagedIdentityCredentialOptions, UserAssignedId, WorkloadIdentityCredential,
    WorkloadIdentityCredentialOptions,
};

/// How long the managed identity endpoint may take before the chain moves on.
pub const MANAGED_IDENTITY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The Azure clouds phiscan knows: each has its own ARM endpoint and token audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cloud {
    #[default]
    Public,
    China,
    UsGov,
}

impl Cloud {
    pub fn endpoint(self) -> &'static str {
        match self {
            Cloud::Public => "https://management.azure.com",
            Cloud::China => "https://management.chinacloudapi.cn",
            Cloud::UsGov => "https://management.usgovcloudapi.net",
        }
    }

    /// The OAuth scope of ARM tokens in this cloud.
    pub fn scope(self) -> &'static str {
        match self {
            Cloud::Public => "https://management.azure.com/.default",
            Cloud::China => "https://management.chinacloudapi.cn/.default",
            Cloud::UsGov => "https://management.usgovcloudapi.net/.default",
        }
    }

    fn configuration(self) -> CloudConfiguration {
        match self {
            Cloud::Public => CloudConfiguration::AzurePublic,
            Cloud::China => CloudConfiguration::AzureChina,
            Cloud::UsGov => CloudConfiguration::AzureGovernment,
        }
    }

    /// The cloud's Entra ID authority host.
    fn authority_host(self) -> &'static str {
        match self {
            Cloud::Public => "https://login.microsoftonline.com",
            Cloud::China => "https://login.chinacloudapi.cn",
            Cloud::UsGov => "https://login.microsoftonline.us",
        }
    }
}

/// The authority host and the configuration that names it to azure_identity: the cloud's,
/// or `authority_host` (`AZURE_AUTHORITY_HOST`).
fn authority(cloud: Cloud, authority_host: Option<String>) -> (String, CloudConfiguration) {
    match authority_host {
        Some(host) => {
            let mut custom = CustomConfiguration::default();
            custom.authority_host = host.trim_end_matches('/').to_string();
            (custom.authority_host.clone(), custom.into())
        }
        None => (cloud.authority_host().to_string(), cloud.configuration()),
    }
}

/// The ARM endpoint to call: the cloud's, or a validated override. Returns (url, overridden).
pub fn endpoint(cloud: Cloud, override_url: Option<&str>) -> Result<(Url, bool), String> {
    let Some(raw) = override_url.map(str::trim).filter(|s| !s.is_empty()) else {
        let url = Url::parse(cloud.endpoint()).map_err(|e| e.to_string())?;
        return Ok((url, false));
    };
    let url = Url::parse(raw).map_err(|e| format!("{raw:?} is not a URL ({e})"))?;
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(format!(
            "{raw:?}: give a base URL without query, fragment or user (ARM paths and api-version are added)"
        ));
    }
    match url.scheme() {
        "https" => Ok((url, true)),
        "http" if is_loopback(&url) => Ok((url, true)),
        "http" => Err(format!(
            "{raw:?}: plain http is allowed only on a loopback address (127.0.0.1, ::1, localhost), e.g. for a local test server; use https"
        )),
        other => Err(format!("{raw:?}: unsupported scheme {other:?} (use https)")),
    }
}

pub fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The authorization policy for `base`: azure_core's bearer policy for https, phiscan's
/// loopback-only policy for an http loopback override.
pub fn policy(base: &Url, credential: Arc<dyn TokenCredential>, cloud: Cloud) -> Arc<dyn Policy> {
    if base.scheme() == "http" {
        Arc::new(LoopbackBearer {
            credential,
            scope: cloud.scope(),
        })
    } else {
        Arc::new(BearerTokenAuthorizationPolicy::new(
            credential,
            [cloud.scope()],
        ))
    }
}

/// The credential, and which link of the chain provided it (for messages, never the secret).
pub fn credential(cloud: Cloud) -> Result<(Arc<dyn TokenCredential>, &'static str), String> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    if let Some(token) = var("AZURE_ACCESS_TOKEN") {
        let token = token.trim().to_string();
        return Ok((
            Arc::new(StaticToken(Secret::new(token))),
            "AZURE_ACCESS_TOKEN",
        ));
    }
    let (authority_host, configuration) = authority(cloud, var("AZURE_AUTHORITY_HOST"));
    let configuration = Arc::new(configuration);
    let client_options = || ClientOptions {
        cloud: Some(configuration.clone()),
        ..Default::default()
    };
    let (tenant, client) = (var("AZURE_TENANT_ID"), var("AZURE_CLIENT_ID"));
    if let (Some(tenant), Some(client), Some(secret)) =
        (&tenant, &client, var("AZURE_CLIENT_SECRET"))
    {
        let options = ClientSecretCredentialOptions {
            client_options: client_options(),
        };
        let c =
            ClientSecretCredential::new(tenant, client.clone(), Secret::new(secret), Some(options))
                .map_err(|e| format!("AZURE_CLIENT_SECRET credential: {e}"))?;
        return Ok((c, "environment service principal (AZURE_CLIENT_SECRET)"));
    }
    if let (Some(tenant), Some(client), Some(path)) =
        (&tenant, &client, var("AZURE_CLIENT_CERTIFICATE_PATH"))
    {
        let assertion = super::certificate::CertificateAssertion::from_file(
            &path,
            &authority_host,
            tenant,
            client,
        )
        .map_err(|e| format!("AZURE_CLIENT_CERTIFICATE_PATH: {e}"))?;
        let options = ClientAssertionCredentialOptions {
            client_options: client_options(),
        };
        let c = ClientAssertionCredential::new(
            tenant.clone(),
            client.clone(),
            assertion,
            Some(options),
        )
        .map_err(|e| format!("AZURE_CLIENT_CERTIFICATE_PATH credential: {e}"))?;
        return Ok((
            c,
            "environment service principal (AZURE_CLIENT_CERTIFICATE_PATH)",
        ));
    }
    if let (Some(tenant), Some(client), Some(file)) =
        (&tenant, &client, var("AZURE_FEDERATED_TOKEN_FILE"))
    {
        let mut options = WorkloadIdentityCredentialOptions {
            client_id: Some(client.clone()),
            tenant_id: Some(tenant.clone()),
            token_file_path: Some(file.into()),
            ..Default::default()
        };
        options.credential_options.client_options = client_options();
        let c = WorkloadIdentityCredential::new(Some(options))
            .map_err(|e| format!("workload identity credential: {e}"))?;
        return Ok((c, "workload identity (AZURE_FEDERATED_TOKEN_FILE)"));
    }
    let mut sources: Vec<(&'static str, Arc<dyn TokenCredential>)> = Vec::new();
    let mi = ManagedIdentityCredential::new(Some(ManagedIdentityCredentialOptions {
        user_assigned_id: client.map(UserAssignedId::ClientId),
        client_options: client_options(),
    }));
    if let Ok(mi) = mi {
        sources.push(("managed identity", mi));
    }
    if let Ok(dev) = DeveloperToolsCredential::new(None) {
        sources.push(("developer tools (az, azd)", dev));
    }
    Ok((
        Arc::new(Chain {
            sources,
            chosen: AtomicUsize::new(usize::MAX),
        }),
        "managed identity, then Azure CLI / Azure Developer CLI",
    ))
}

/// A bearer token given by the user; azure_core's Secret keeps it out of Debug output.
#[derive(Debug)]
struct StaticToken(Secret);

#[async_trait::async_trait]
impl TokenCredential for StaticToken {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        // The real expiry is unknown; ARM will answer 401 once it has passed.
        Ok(AccessToken::new(
            self.0.clone(),
            OffsetDateTime::now_utc() + Duration::hours(1),
        ))
    }
}

/// Managed identity, then developer tools; the first that answers is kept.
#[derive(Debug)]
struct Chain {
    sources: Vec<(&'static str, Arc<dyn TokenCredential>)>,
    chosen: AtomicUsize,
}

#[async_trait::async_trait]
impl TokenCredential for Chain {
    async fn get_token(
        &self,
        scopes: &[&str],
        options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        if let Some((_, c)) = self.sources.get(self.chosen.load(Ordering::Relaxed)) {
            return c.get_token(scopes, options).await;
        }
        let mut errors = Vec::new();
        for (i, (name, c)) in self.sources.iter().enumerate() {
            let attempt = c.get_token(scopes, options.clone());
            let result = if *name == "managed identity" {
                match tokio::time::timeout(MANAGED_IDENTITY_TIMEOUT, attempt).await {
                    Ok(r) => r,
                    Err(_) => {
                        errors.push(format!(
                            "{name}: no answer within {}s",
                            MANAGED_IDENTITY_TIMEOUT.as_secs()
                        ));
                        continue;
                    }
                }
            } else {
                attempt.await
            };
            match result {
                Ok(token) => {
                    self.chosen.store(i, Ordering::Relaxed);
                    return Ok(token);
                }
                Err(e) => errors.push(format!("{name}: {e}")),
            }
        }
        Err(azure_core::Error::with_message(
            ErrorKind::Credential,
            format!(
                "no Azure credential found (set AZURE_ACCESS_TOKEN, a service principal in AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, or run `az login`): {}",
                errors.join("; ")
            ),
        ))
    }
}

/// Bearer authorization for a loopback http endpoint only (see the module doc).
#[derive(Debug)]
struct LoopbackBearer {
    credential: Arc<dyn TokenCredential>,
    scope: &'static str,
}

#[async_trait::async_trait]
impl Policy for LoopbackBearer {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        if !is_loopback(request.url()) {
            return Err(azure_core::Error::with_message(
                ErrorKind::Other,
                "phiscan sends bearer tokens over plain http only to a loopback address",
            ));
        }
        let token = self.credential.get_token(&[self.scope], None).await?;
        request.insert_header(AUTHORIZATION, format!("Bearer {}", token.token.secret()));
        next[0].send(ctx, request, &next[1..]).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_only_on_loopback() {
        assert!(
            endpoint(Cloud::Public, Some("http://127.0.0.1:8080"))
                .unwrap()
                .1
        );
        assert!(endpoint(Cloud::Public, Some("http://[::1]:1")).is_ok());
        assert!(endpoint(Cloud::Public, Some("http://localhost:1")).is_ok());
        assert!(endpoint(Cloud::Public, Some("https://arm.example.test")).is_ok());
        let e = endpoint(Cloud::Public, Some("http://10.0.0.1")).unwrap_err();
        assert!(e.contains("only on a loopback"), "{e}");
        assert!(endpoint(Cloud::Public, Some("http://127.0.0.1/?x=1")).is_err());
        let (url, over) = endpoint(Cloud::China, None).unwrap();
        assert_eq!(
            (url.as_str(), over),
            ("https://management.chinacloudapi.cn/", false)
        );
    }
}
