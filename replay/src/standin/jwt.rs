//! RS256 JSON Web Tokens (RFC 7515/7519) for the stand-ins: a test's RSA key pair (a
//! service-account key, a client certificate's key), and the verification an identity
//! provider does on a signed JWT (a JWT-bearer assertion, a self-signed access token).

use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{self, KeyPair as _, UnparsedPublicKey};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde_json::Value;

/// A fresh RSA-2048 key pair, made for one test.
pub struct RsaKey(KeyPair);

impl RsaKey {
    pub fn generate() -> RsaKey {
        RsaKey(KeyPair::generate(KeySize::Rsa2048).expect("RSA key generation"))
    }

    /// The private key as PKCS #8 PEM (`-----BEGIN PRIVATE KEY-----`), the form of a
    /// service-account key file's `private_key` and of a certificate's key file.
    pub fn private_pem(&self) -> String {
        pem("PRIVATE KEY", &self.private_der())
    }

    /// The private key, PKCS #8 DER.
    pub fn private_der(&self) -> Vec<u8> {
        let der: Pkcs8V1Der = self.0.as_der().expect("PKCS #8 encoding");
        der.as_ref().to_vec()
    }

    /// The public key, PKCS #1 `RSAPublicKey` DER.
    pub fn public_der(&self) -> Vec<u8> {
        self.0.public_key().as_ref().to_vec()
    }

    /// An RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let mut sig = vec![0; self.0.public_modulus_len()];
        self.0
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut sig,
            )
            .expect("RSA signing");
        sig
    }
}

/// `der` as PEM with the given label, 64 characters a line.
pub fn pem(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("base64 is ASCII"))
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

/// The header and claims of `jwt` if its RS256 signature verifies with `public_der` (PKCS
/// #1 or SubjectPublicKeyInfo DER), and it is valid now (`nbf`/`iat` not in the future
/// beyond a minute of skew, `exp` not past).
pub fn verify_rs256(jwt: &str, public_der: &[u8]) -> Result<(Value, Value), String> {
    let mut parts = jwt.split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("not a JWS compact serialization".into());
    };
    let decode = |part: &str, what: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|e| format!("{what} is not base64url: {e}"))
    };
    let header: Value = serde_json::from_slice(&decode(h, "header")?)
        .map_err(|e| format!("header is not JSON: {e}"))?;
    if header["alg"] != "RS256" {
        return Err(format!("alg is {}, not RS256", header["alg"]));
    }
    UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, public_der)
        .verify(format!("{h}.{c}").as_bytes(), &decode(s, "signature")?)
        .map_err(|_| "the signature does not verify with the registered key".to_string())?;
    let claims: Value = serde_json::from_slice(&decode(c, "claims")?)
        .map_err(|e| format!("claims are not JSON: {e}"))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let at = |name: &str| claims[name].as_i64();
    if at("exp").is_none_or(|exp| exp <= now) {
        return Err("expired, or no exp".into());
    }
    if [at("nbf"), at("iat")]
        .into_iter()
        .flatten()
        .any(|t| t > now + 60)
    {
        return Err("not valid yet".into());
    }
    Ok((header, claims))
}

/// A signed RS256 JWT of `header` (alg added) and `claims`.
pub fn sign_rs256(key: &RsaKey, mut header: Value, claims: &Value) -> String {
    header["alg"] = "RS256".into();
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let sig = URL_SAFE_NO_PAD.encode(key.sign(input.as_bytes()));
    format!("{input}.{sig}")
}

/// An OIDC ID token (what a CI platform or a Kubernetes cluster issues), signed by the
/// issuer's `key`: `claims` plus `iat` and `nbf` now, `exp` in `lifetime_secs`.
pub fn id_token(key: &RsaKey, kid: &str, mut claims: Value, lifetime_secs: u64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    claims["iat"] = now.into();
    claims["nbf"] = now.into();
    claims["exp"] = (now + lifetime_secs).into();
    sign_rs256(key, serde_json::json!({"typ": "JWT", "kid": kid}), &claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_needs_the_key_the_signature_and_time() {
        let (key, other) = (RsaKey::generate(), RsaKey::generate());
        let token = id_token(&key, "k1", serde_json::json!({"iss": "i"}), 60);
        let (header, claims) = verify_rs256(&token, &key.public_der()).unwrap();
        assert_eq!(
            (header["kid"].as_str(), claims["iss"].as_str()),
            (Some("k1"), Some("i"))
        );
        assert!(verify_rs256(&token, &other.public_der()).is_err());
        // Claims swapped for others under the same signature.
        let forged_claims = URL_SAFE_NO_PAD.encode(r#"{"iss":"x","exp":9999999999}"#);
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{forged_claims}.{}", parts[0], parts[2]);
        assert!(verify_rs256(&forged, &key.public_der()).is_err());
        let expired = sign_rs256(&key, serde_json::json!({}), &serde_json::json!({"exp": 1}));
        assert!(verify_rs256(&expired, &key.public_der()).is_err());
    }
}
