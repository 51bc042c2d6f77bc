//! Microsoft Entra ID, as far as phiscan's Azure credentials use it:
//! - the v2.0 token endpoint of a tenant (`{authority}/{tenant}/oauth2/v2.0/token`), with the
//!   client-credentials grant and either a client secret or a client assertion (RFC 7523): a
//!   JWT signed with the app's certificate (`x5t` its SHA-1 thumbprint), or, for workload
//!   identity federation, the platform's OIDC token itself (a Kubernetes service account
//!   token), verified with the trusted issuer's key
//!   (<https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow>);
//! - the App Service managed identity endpoint (`IDENTITY_ENDPOINT`, secret in
//!   `X-IDENTITY-HEADER`, api-version 2019-08-01).

use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::digest::{digest, SHA1_FOR_LEGACY_USE_ONLY};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use super::jwt::verify_rs256;
use super::{Reply, Request};

const ARM_SCOPE: &str = "https://management.azure.com/.default";
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How the app proves itself.
#[derive(Debug, Clone)]
pub enum ClientCredential {
    Secret(String),
    /// The certificate's DER and its public key (PKCS #1 DER).
    Certificate {
        der: Vec<u8>,
        public_key: Vec<u8>,
    },
    /// A federated credential: tokens of `issuer` for `subject`, verified with `issuer_key`.
    Federated {
        issuer: String,
        subject: String,
        issuer_key: Vec<u8>,
    },
}

/// One app registration in one tenant, and the ARM token the endpoint mints for it.
#[derive(Debug, Clone)]
pub struct Entra {
    pub tenant: String,
    pub client_id: String,
    pub credential: ClientCredential,
    pub access_token: String,
}

impl Entra {
    /// The handler for [`super::StandIn::start_tls`] (Entra ID is https only).
    pub fn handler(self) -> impl Fn(&Request) -> Reply + Send + Sync + 'static {
        move |r| self.token(r)
    }

    fn token(&self, r: &Request) -> Reply {
        let path = format!("/{}/oauth2/v2.0/token", self.tenant);
        if r.method != "POST" || r.path != path {
            return error(404, "invalid_request", "AADSTS90002: Tenant not found.");
        }
        let form = r.form();
        let get = |k: &str| form.get(k).map(String::as_str);
        if get("grant_type") != Some("client_credentials") || get("scope") != Some(ARM_SCOPE) {
            return error(
                400,
                "invalid_request",
                "AADSTS900144: client_credentials for ARM",
            );
        }
        if get("client_id") != Some(&self.client_id) {
            return error(
                400,
                "unauthorized_client",
                "AADSTS700016: Application not found.",
            );
        }
        let proof = match &self.credential {
            ClientCredential::Secret(secret) => (get("client_secret") == Some(secret))
                .then_some(())
                .ok_or("AADSTS7000215: Invalid client secret provided.".to_string()),
            ClientCredential::Certificate { der, public_key } => {
                self.certificate_assertion(get, der, public_key, &path)
            }
            ClientCredential::Federated {
                issuer,
                subject,
                issuer_key,
            } => federated_assertion(get, issuer, subject, issuer_key),
        };
        match proof {
            Ok(()) => Reply::json(
                200,
                serde_json::json!({"token_type": "Bearer", "expires_in": 3599,
                                   "ext_expires_in": 3599, "access_token": self.access_token}),
            ),
            Err(e) => error(401, "invalid_client", &e),
        }
    }

    /// A JWT signed with the certificate's key: `x5t` the certificate's thumbprint, `aud`
    /// this token endpoint, `iss` and `sub` the app.
    fn certificate_assertion<'a>(
        &self,
        get: impl Fn(&str) -> Option<&'a str>,
        der: &[u8],
        public_key: &[u8],
        path: &str,
    ) -> Result<(), String> {
        if get("client_assertion_type") != Some(JWT_BEARER) {
            return Err("AADSTS7000218: a client_assertion is required".into());
        }
        let (header, claims) =
            verify_rs256(get("client_assertion").unwrap_or_default(), public_key)
                .map_err(|e| format!("AADSTS700027: {e}"))?;
        let thumbprint = URL_SAFE_NO_PAD.encode(digest(&SHA1_FOR_LEGACY_USE_ONLY, der));
        if header["x5t"] != thumbprint.as_str() {
            return Err("AADSTS700027: x5t is not the registered certificate's".into());
        }
        let ok = claims["aud"].as_str().is_some_and(|a| a.ends_with(path))
            && claims["iss"] == self.client_id.as_str()
            && claims["sub"] == self.client_id.as_str()
            && claims["jti"].is_string();
        ok.then_some(())
            .ok_or("AADSTS700024: the assertion's aud, iss, sub or jti is wrong".into())
    }
}

/// The federated token itself, as the client assertion: signed by the trusted issuer, for
/// the configured subject, audience `api://AzureADTokenExchange`.
fn federated_assertion<'a>(
    get: impl Fn(&str) -> Option<&'a str>,
    issuer: &str,
    subject: &str,
    issuer_key: &[u8],
) -> Result<(), String> {
    if get("client_assertion_type") != Some(JWT_BEARER) {
        return Err("AADSTS7000218: a client_assertion is required".into());
    }
    let (_, claims) = verify_rs256(get("client_assertion").unwrap_or_default(), issuer_key)
        .map_err(|e| format!("AADSTS700211: {e}"))?;
    let aud_ok = match &claims["aud"] {
        serde_json::Value::Array(a) => a.iter().any(|a| a == "api://AzureADTokenExchange"),
        a => a == "api://AzureADTokenExchange",
    };
    (claims["iss"] == issuer && claims["sub"] == subject && aud_ok)
        .then_some(())
        .ok_or("AADSTS70021: No matching federated identity record found.".into())
}

/// The App Service managed identity endpoint of one identity.
#[derive(Debug, Clone)]
pub struct AppServiceIdentity {
    /// What `IDENTITY_HEADER` holds.
    pub header_secret: String,
    pub access_token: String,
}

impl AppServiceIdentity {
    /// The handler for [`super::StandIn::start`] (the endpoint is local http).
    pub fn handler(self) -> impl Fn(&Request) -> Reply + Send + Sync + 'static {
        move |r| {
            if r.header("x-identity-header") != Some(&self.header_secret) {
                return error(401, "unauthorized", "X-IDENTITY-HEADER is missing or wrong");
            }
            if r.method != "GET"
                || r.query_param("api-version") != Some("2019-08-01")
                || r.query_param("resource") != Some("https://management.azure.com")
            {
                return error(
                    400,
                    "invalid_request",
                    "expected api-version 2019-08-01, ARM",
                );
            }
            let expires_on = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
                + 3600;
            Reply::json(
                200,
                serde_json::json!({"access_token": self.access_token,
                                   "expires_on": expires_on.to_string(),
                                   "resource": "https://management.azure.com",
                                   "token_type": "Bearer"}),
            )
        }
    }
}

fn error(status: u16, code: &str, description: &str) -> Reply {
    Reply::oauth_error(status, code, description)
}
