//! Google's token endpoints, as far as Application Default Credentials use them:
//! - the OAuth 2.0 token endpoint (`token_uri`, <https://oauth2.googleapis.com/token>) with
//!   the refresh-token grant of an `authorized_user` file (`gcloud auth application-default
//!   login`), a JSON or form body;
//! - Security Token Service (`token_url`, <https://sts.googleapis.com/v1/token>): the token
//!   exchange of workload identity federation (RFC 8693), whose subject token (an OIDC ID
//!   token from a CI platform) it verifies with the identity provider's key;
//! - IAM Credentials `generateAccessToken` (`service_account_impersonation_url`), which
//!   takes the federated token and mints the service account's access token.
//!
//! Each answers only to exactly what it was given, and mints the tokens it was told to, so a
//! test knows which token the scan must present.

use std::time::{SystemTime, UNIX_EPOCH};

use super::jwt::verify_rs256;
use super::{Reply, Request};

/// An `authorized_user`'s OAuth client and refresh token.
#[derive(Debug, Clone)]
pub struct AuthorizedUser {
    pub client_id: String,
    pub client_secret: String,
    pub refresh_token: String,
}

/// A workload identity pool provider trusting one OIDC issuer, and the service account its
/// federated identities may impersonate.
#[derive(Debug, Clone)]
pub struct WorkloadPool {
    /// `//iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/providers/R`
    pub audience: String,
    /// The issuer's signing key (PKCS #1 DER): subject tokens must verify with it.
    pub issuer_key: Vec<u8>,
    pub issuer: String,
    pub service_account: String,
    /// What STS mints: accepted by `generateAccessToken` only.
    pub federated_token: String,
}

/// The stand-in: what it trusts and the access token it mints.
#[derive(Debug, Clone)]
pub struct Google {
    pub user: Option<AuthorizedUser>,
    pub pool: Option<WorkloadPool>,
    pub access_token: String,
}

const CLOUD_PLATFORM: &str = "https://www.googleapis.com/auth/cloud-platform";
const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";

impl Google {
    /// The handler for [`super::StandIn::start`].
    pub fn handler(self) -> impl Fn(&Request) -> Reply + Send + Sync + 'static {
        move |r| self.answer(r)
    }

    fn answer(&self, r: &Request) -> Reply {
        match (r.method.as_str(), r.path.as_str()) {
            ("POST", "/token") => self.refresh(r),
            ("POST", "/v1/token") => self.exchange(r),
            ("POST", p) if p.ends_with(":generateAccessToken") => self.impersonate(r),
            _ => Reply::oauth_error(404, "not_found", "no such endpoint"),
        }
    }

    /// The refresh-token grant (RFC 6749 section 6).
    fn refresh(&self, r: &Request) -> Reply {
        let params = params(r);
        let get = |k: &str| params.get(k).map(String::as_str);
        let Some(user) = &self.user else {
            return Reply::oauth_error(400, "unsupported_grant_type", "no user here");
        };
        if get("grant_type") != Some("refresh_token") {
            return Reply::oauth_error(400, "unsupported_grant_type", "expected refresh_token");
        }
        if get("client_id") != Some(&user.client_id)
            || get("client_secret") != Some(&user.client_secret)
        {
            return Reply::oauth_error(401, "invalid_client", "The OAuth client was not found.");
        }
        if get("refresh_token") != Some(&user.refresh_token) {
            return Reply::oauth_error(400, "invalid_grant", "Bad Request");
        }
        Reply::json(
            200,
            serde_json::json!({"access_token": self.access_token, "expires_in": 3599,
                               "scope": CLOUD_PLATFORM, "token_type": "Bearer"}),
        )
    }

    /// STS `token` (RFC 8693): an OIDC subject token for a federated token.
    fn exchange(&self, r: &Request) -> Reply {
        let params = params(r);
        let get = |k: &str| params.get(k).map(String::as_str);
        let Some(pool) = &self.pool else {
            return Reply::oauth_error(400, "invalid_target", "no pool here");
        };
        if get("grant_type") != Some(TOKEN_EXCHANGE)
            || get("requested_token_type") != Some(ACCESS_TOKEN_TYPE)
            || get("subject_token_type") != Some("urn:ietf:params:oauth:token-type:jwt")
        {
            return Reply::oauth_error(400, "invalid_request", "not a token exchange");
        }
        if get("audience") != Some(&pool.audience) {
            return Reply::oauth_error(400, "invalid_target", "unknown audience");
        }
        let subject = get("subject_token").unwrap_or_default();
        match verify_rs256(subject, &pool.issuer_key) {
            Ok((_, claims)) if claims["iss"] == pool.issuer.as_str() => {}
            Ok(_) => return Reply::oauth_error(400, "invalid_grant", "untrusted issuer"),
            Err(e) => return Reply::oauth_error(400, "invalid_grant", &e),
        }
        Reply::json(
            200,
            serde_json::json!({"access_token": pool.federated_token,
                               "issued_token_type": ACCESS_TOKEN_TYPE,
                               "token_type": "Bearer", "expires_in": 3600}),
        )
    }

    /// IAM Credentials `projects.serviceAccounts.generateAccessToken`.
    fn impersonate(&self, r: &Request) -> Reply {
        let Some(pool) = &self.pool else {
            return Reply::oauth_error(404, "not_found", "no service account here");
        };
        let wanted = format!(
            "/v1/projects/-/serviceAccounts/{}:generateAccessToken",
            pool.service_account
        );
        if r.path != wanted {
            return google_error(404, "NOT_FOUND", "unknown service account");
        }
        if r.header("authorization") != Some(&format!("Bearer {}", pool.federated_token)) {
            return google_error(401, "UNAUTHENTICATED", "not the federated token STS minted");
        }
        let body = r.json().unwrap_or_default();
        let scopes = body["scope"].as_array().cloned().unwrap_or_default();
        if !scopes.iter().any(|s| s == CLOUD_PLATFORM) {
            return google_error(400, "INVALID_ARGUMENT", "scope must name cloud-platform");
        }
        Reply::json(
            200,
            serde_json::json!({"accessToken": self.access_token,
                               "expireTime": rfc3339(now() + 3600)}),
        )
    }
}

/// What a Google API checks on a service account's self-signed JWT (the access token
/// google-cloud-auth makes from a key file, without any token endpoint): signed by the key
/// `key_id` names, issued by and for the account, scoped for cloud-platform, valid now.
pub fn self_signed_jwt(
    public_der: Vec<u8>,
    key_id: String,
    email: String,
) -> impl Fn(&str) -> bool + Send + 'static {
    move |token| match verify_rs256(token, &public_der) {
        Ok((header, claims)) => {
            header["kid"] == key_id.as_str()
                && claims["iss"] == email.as_str()
                && claims["sub"] == email.as_str()
                && claims["scope"]
                    .as_str()
                    .is_some_and(|s| s.split(' ').any(|s| s == CLOUD_PLATFORM))
        }
        Err(_) => false,
    }
}

/// A JSON or form body's parameters (Google's token endpoint takes both).
fn params(r: &Request) -> std::collections::BTreeMap<String, String> {
    match r.json() {
        Some(serde_json::Value::Object(m)) => m
            .into_iter()
            .map(|(k, v)| (k, v.as_str().map_or(v.to_string(), str::to_string)))
            .collect(),
        _ => r.form(),
    }
}

/// A Google API error body.
fn google_error(code: u16, status: &str, message: &str) -> Reply {
    Reply::json(
        code,
        serde_json::json!({"error": {"code": code, "message": message, "status": status}}),
    )
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `secs` since the epoch as `YYYY-MM-DDThh:mm:ssZ` (the civil-from-days algorithm of
/// Howard Hinnant's date library).
fn rfc3339(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc3339_of_known_instants() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(super::rfc3339(1_780_315_200), "2026-06-01T12:00:00Z");
    }
}
