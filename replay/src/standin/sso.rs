//! The AWS IAM Identity Center portal's GetRoleCredentials (the SSO API): `GET
//! /federation/credentials?account_id=..&role_name=..` with the access token of `aws sso
//! login` in the `x-amz-sso_bearer_token` header, answered with short-lived role credentials
//! (<https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html>).

use std::time::{SystemTime, UNIX_EPOCH};

use super::{Reply, Request};

/// What the portal knows: one signed-in token, the role it may use, the credentials it mints.
#[derive(Debug, Clone)]
pub struct Portal {
    pub access_token: String,
    pub account_id: String,
    pub role_name: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
}

impl Portal {
    /// The handler for [`super::StandIn::start`].
    pub fn handler(self) -> impl Fn(&Request) -> Reply + Send + Sync + 'static {
        move |r| self.get_role_credentials(r)
    }

    fn get_role_credentials(&self, r: &Request) -> Reply {
        if r.method != "GET" || r.path != "/federation/credentials" {
            return error(404, "ResourceNotFoundException", "no such operation");
        }
        if r.header("x-amz-sso_bearer_token") != Some(self.access_token.as_str()) {
            return error(
                401,
                "UnauthorizedException",
                "Session token not found or invalid",
            );
        }
        if r.query_param("account_id") != Some(self.account_id.as_str())
            || r.query_param("role_name") != Some(self.role_name.as_str())
        {
            return error(403, "ForbiddenException", "No access");
        }
        let in_an_hour = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
            + 3_600_000;
        Reply::json(
            200,
            serde_json::json!({"roleCredentials": {
                "accessKeyId": self.access_key_id,
                "secretAccessKey": self.secret_access_key,
                "sessionToken": self.session_token,
                "expiration": in_an_hour,
            }}),
        )
    }
}

/// A REST-JSON error of the SSO API: the type in `x-amzn-ErrorType`, the message in the body.
fn error(status: u16, kind: &str, message: &str) -> Reply {
    let mut reply = Reply::json(status, serde_json::json!({"message": message}));
    reply.headers.push(("x-amzn-ErrorType".into(), kind.into()));
    reply
}
