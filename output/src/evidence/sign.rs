//! Ed25519 signing keys. Private keys are PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), public
//! keys SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`): the formats OpenSSL reads,
//! so an auditor can check a bundle's signature without phiscan (docs/evidence-bundle.md).
//! A key's id is `sha256:` + the hex SHA-256 of its 32 raw public-key bytes.

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, Verifier};
pub use ed25519_dalek::{SigningKey, VerifyingKey};

use crate::report::text_sha256_hex;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("not an Ed25519 private key in PKCS#8 PEM (\"-----BEGIN PRIVATE KEY-----\"): {0}")]
    Private(String),
    #[error("not an Ed25519 public key in PEM (\"-----BEGIN PUBLIC KEY-----\"): {0}")]
    Public(String),
    #[error("cannot get randomness from the operating system: {0}")]
    Random(String),
}

/// A fresh key pair from the operating system's random source.
pub fn generate() -> Result<SigningKey, KeyError> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// The private key as PKCS#8 PEM.
pub fn private_pem(key: &SigningKey) -> String {
    // Encoding a valid key cannot fail.
    key.to_pkcs8_pem(LineEnding::LF)
        .expect("key encodes")
        .to_string()
}

pub fn public_pem(key: &VerifyingKey) -> String {
    key.to_public_key_pem(LineEnding::LF).expect("key encodes")
}

pub fn parse_private(pem: &str) -> Result<SigningKey, KeyError> {
    SigningKey::from_pkcs8_pem(pem.trim()).map_err(|e| KeyError::Private(e.to_string()))
}

pub fn parse_public(pem: &str) -> Result<VerifyingKey, KeyError> {
    VerifyingKey::from_public_key_pem(pem.trim()).map_err(|e| KeyError::Public(e.to_string()))
}

/// `sha256:<hex>` of the raw public key.
pub fn key_id(key: &VerifyingKey) -> String {
    format!("sha256:{}", text_sha256_hex(key.as_bytes()))
}

pub fn sign(key: &SigningKey, data: &[u8]) -> [u8; 64] {
    key.sign(data).to_bytes()
}

pub fn verify(key: &VerifyingKey, data: &[u8], sig: &[u8]) -> bool {
    let Ok(bytes) = <[u8; 64]>::try_from(sig) else {
        return false;
    };
    key.verify(data, &Signature::from_bytes(&bytes)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trip_and_signature() {
        let k = generate().unwrap();
        let k2 = parse_private(&private_pem(&k)).unwrap();
        assert_eq!(k.to_bytes(), k2.to_bytes());
        let p = parse_public(&public_pem(&k.verifying_key())).unwrap();
        let sig = sign(&k, b"manifest");
        assert!(verify(&p, b"manifest", &sig));
        assert!(!verify(&p, b"manifesT", &sig));
        let other = generate().unwrap().verifying_key();
        assert!(!verify(&other, b"manifest", &sig));
        assert_ne!(key_id(&p), key_id(&other));
        assert!(parse_private("nonsense").is_err());
        assert!(parse_public(&private_pem(&k)).is_err());
    }
}
