//! A service principal's certificate credential (`AZURE_CLIENT_CERTIFICATE_PATH`, as the
//! Azure SDKs' environment credential reads it). azure_identity's ClientCertificateCredential
//! needs openssl (its `client_certificate` feature), which phiscan does not link, so phiscan
//! makes the same client assertion itself, with the crypto rustls already uses, and hands it
//! to azure_identity's ClientAssertionCredential, which does the token request.
//!
//! The assertion (<https://learn.microsoft.com/entra/identity-platform/certificate-credentials>):
//! a JWT signed RS256 with the certificate's key; header `x5t` the base64url SHA-1
//! thumbprint of the certificate; claims `aud` the tenant's token endpoint, `iss` and `sub`
//! the client id, a fresh `jti`, valid ten minutes. A new one per token request.
//!
//! The file is PEM holding the certificate and its unencrypted private key (PKCS #8, or PKCS
//! #1 `RSA PRIVATE KEY`), what `az ad sp create-for-rbac --create-cert` writes. A PKCS #12
//! (.pfx) file is refused with the command that converts it.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::digest::{digest, SHA1_FOR_LEGACY_USE_ONLY};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeyPair;
use aws_lc_rs::signature::RSA_PKCS1_SHA256;
use azure_core::error::ErrorKind;
use azure_core::http::ClientMethodOptions;
use azure_identity::ClientAssertion;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;

/// Signs client assertions with one certificate's key.
pub(super) struct CertificateAssertion {
    key: KeyPair,
    thumbprint: String,
    client_id: String,
    audience: String,
}

impl std::fmt::Debug for CertificateAssertion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("CertificateAssertion")
            .field("thumbprint", &self.thumbprint)
            .finish_non_exhaustive()
    }
}

impl CertificateAssertion {
    /// From the PEM file at `path`, for `client_id` in `tenant` at `authority_host`.
    pub(super) fn from_file(
        path: &str,
        authority_host: &str,
        tenant: &str,
        client_id: &str,
    ) -> Result<CertificateAssertion, String> {
        let text = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        let text = String::from_utf8(text).map_err(|_| {
            format!("{path} is not PEM (a .pfx? convert it: openssl pkcs12 -in cert.pfx -nodes -out cert.pem)")
        })?;
        let cert = pem_block(&text, "CERTIFICATE")
            .ok_or_else(|| format!("{path} holds no CERTIFICATE block"))?;
        let key = match (
            pem_block(&text, "PRIVATE KEY"),
            pem_block(&text, "RSA PRIVATE KEY"),
        ) {
            (Some(der), _) => KeyPair::from_pkcs8(&der).map_err(|e| e.to_string()),
            (None, Some(der)) => KeyPair::from_der(&der).map_err(|e| e.to_string()),
            (None, None) => {
                Err("no unencrypted RSA private key (PRIVATE KEY or RSA PRIVATE KEY block)".into())
            }
        }
        .map_err(|e| format!("{path}: {e}"))?;
        Ok(CertificateAssertion {
            key,
            thumbprint: URL_SAFE_NO_PAD.encode(digest(&SHA1_FOR_LEGACY_USE_ONLY, &cert)),
            client_id: client_id.to_string(),
            audience: format!(
                "{}/{tenant}/oauth2/v2.0/token",
                authority_host.trim_end_matches('/')
            ),
        })
    }

    fn sign(&self) -> Result<String, String> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_secs();
        let mut jti = [0u8; 16];
        getrandom::getrandom(&mut jti).map_err(|e| e.to_string())?;
        let header = serde_json::json!({"alg": "RS256", "typ": "JWT", "x5t": self.thumbprint});
        let claims = serde_json::json!({
            "aud": self.audience, "iss": self.client_id, "sub": self.client_id,
            "jti": URL_SAFE_NO_PAD.encode(jti), "iat": now, "nbf": now, "exp": now + 600,
        });
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut sig = vec![0; self.key.public_modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                input.as_bytes(),
                &mut sig,
            )
            .map_err(|_| "signing the client assertion failed".to_string())?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig)))
    }
}

#[async_trait::async_trait]
impl ClientAssertion for CertificateAssertion {
    async fn secret(&self, _: Option<ClientMethodOptions<'_>>) -> azure_core::Result<String> {
        self.sign()
            .map_err(|e| azure_core::Error::with_message(ErrorKind::Credential, e))
    }
}

/// The DER of the first `-----BEGIN {label}-----` block of `text`.
fn pem_block(text: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let body = text.split_once(&begin)?.1.split_once(&end)?.0;
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD.decode(b64).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_are_found_by_label() {
        let text = "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n\
                    -----BEGIN PRIVATE KEY-----\nBAUG\n-----END PRIVATE KEY-----\n";
        assert_eq!(pem_block(text, "CERTIFICATE"), Some(vec![1, 2, 3]));
        assert_eq!(pem_block(text, "PRIVATE KEY"), Some(vec![4, 5, 6]));
        assert_eq!(pem_block(text, "RSA PRIVATE KEY"), None);
    }
}
