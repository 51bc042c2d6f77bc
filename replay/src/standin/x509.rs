//! Just enough X.509 (RFC 5280) DER for the tests: a CA certificate, a TLS server
//! certificate for 127.0.0.1 that it signs (the loopback stand-in of an https-only
//! authority host), and a client certificate (an app registration's credential). RSA keys,
//! sha256WithRSAEncryption, valid 2025 to 2049.

use super::jwt::RsaKey;

/// A certificate and its key.
pub struct Certified {
    pub der: Vec<u8>,
    pub key: RsaKey,
}

impl Certified {
    /// A self-signed CA (`basicConstraints: CA`, `keyUsage: keyCertSign`).
    pub fn ca(name: &str) -> Certified {
        let key = RsaKey::generate();
        let ext = [
            extension(oid::BASIC_CONSTRAINTS, true, &seq(&[tlv(0x01, &[0xff])])),
            extension(oid::KEY_USAGE, true, &tlv(0x03, &[0x02, 0x04])),
        ];
        let der = certificate(name, name, &key, &key, &ext);
        Certified { der, key }
    }

    /// A TLS server certificate for 127.0.0.1 (`subjectAltName: IP 127.0.0.1`, `extKeyUsage:
    /// serverAuth`), signed by `ca`.
    pub fn server_for_loopback(ca: &Certified, ca_name: &str) -> Certified {
        let key = RsaKey::generate();
        let ext = [
            extension(
                oid::SUBJECT_ALT_NAME,
                false,
                &seq(&[tlv(0x87, &[127, 0, 0, 1])]),
            ),
            extension(
                oid::EXT_KEY_USAGE,
                false,
                &seq(&[tlv(0x06, oid::SERVER_AUTH)]),
            ),
        ];
        let der = certificate("127.0.0.1", ca_name, &key, &ca.key, &ext);
        Certified { der, key }
    }

    /// A self-signed client certificate (what `az ad sp create-for-rbac --create-cert`
    /// makes).
    pub fn client(name: &str) -> Certified {
        let key = RsaKey::generate();
        let der = certificate(name, name, &key, &key, &[]);
        Certified { der, key }
    }
}

mod oid {
    pub const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
    pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    pub const SHA256_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
    pub const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
    pub const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
    pub const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
    pub const EXT_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
    pub const SERVER_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
}

fn certificate(
    subject: &str,
    issuer: &str,
    key: &RsaKey,
    signer: &RsaKey,
    extensions: &[Vec<u8>],
) -> Vec<u8> {
    let algorithm = seq(&[tlv(0x06, oid::SHA256_WITH_RSA), tlv(0x05, &[])]);
    let spki = seq(&[
        seq(&[tlv(0x06, oid::RSA_ENCRYPTION), tlv(0x05, &[])]),
        bit_string(&key.public_der()),
    ]);
    // A positive serial from the key's bytes: unique per generated key.
    let mut serial = key.public_der()[8..24].to_vec();
    serial[0] = (serial[0] & 0x7f) | 0x01;
    let mut tbs = vec![
        tlv(0xa0, &tlv(0x02, &[2])), // v3
        tlv(0x02, &serial),
        algorithm.clone(),
        name(issuer),
        seq(&[tlv(0x17, b"250101000000Z"), tlv(0x17, b"491231235959Z")]),
        name(subject),
        spki,
    ];
    if !extensions.is_empty() {
        tbs.push(tlv(0xa3, &seq(extensions)));
    }
    let tbs = seq(&tbs);
    let signature = signer.sign(&tbs);
    seq(&[tbs, algorithm, bit_string(&signature)])
}

fn name(common_name: &str) -> Vec<u8> {
    seq(&[tlv(
        0x31,
        &seq(&[
            tlv(0x06, oid::COMMON_NAME),
            tlv(0x0c, common_name.as_bytes()),
        ]),
    )])
}

fn extension(id: &[u8], critical: bool, value: &[u8]) -> Vec<u8> {
    let mut parts = vec![tlv(0x06, id)];
    if critical {
        parts.push(tlv(0x01, &[0xff]));
    }
    parts.push(tlv(0x04, value));
    seq(&parts)
}

fn bit_string(bytes: &[u8]) -> Vec<u8> {
    let mut content = vec![0];
    content.extend_from_slice(bytes);
    tlv(0x03, &content)
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// One DER tag-length-value.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}
