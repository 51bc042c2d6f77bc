//! Azure: a service principal with a client secret or a client certificate, workload identity
//! (a federated token file) and a managed identity endpoint. Entra ID is https only
//! (azure_identity refuses any other authority host), so its stand-in serves TLS on
//! 127.0.0.1 with a certificate from a CA made for the test, which the binary trusts through
//! `SSL_CERT_FILE` (read by rustls-native-certs, under reqwest's platform verifier). The
//! scan after each one reads the storage accounts of one subscription of the
//! `two-subscriptions` replay, which answers only to the token the flow minted.

use std::path::Path;

use assert_cmd::Command;
use phiscan_replay::standin::entra::{AppServiceIdentity, ClientCredential, Entra};
use phiscan_replay::standin::jwt::{id_token, pem, RsaKey};
use phiscan_replay::standin::x509::Certified;
use phiscan_replay::standin::StandIn;
use phiscan_replay::Replay;
use support::Run;

use super::{assert_never_printed, support, write};

const TENANT: &str = "4d5e6f70-8192-4a3b-9c4d-5e6f708192a3";
const CLIENT: &str = "0a1b2c3d-4e5f-4607-8819-2a3b4c5d6e7f";
const SUBSCRIPTION: &str = "7f3e2a10-5c4b-4d2e-9a61-0c8b3e5f1a01";
const MINTED: &str = "eyJ0eXAiOiJKV1QifQ.phiscan-arm-token-minted-by-the-stand-in.sig";

/// The replay, answering only to MINTED.
fn replay() -> Replay {
    let r = Replay::start(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/azure/two-subscriptions"
    ))
    .unwrap();
    r.only_bearer(MINTED);
    r
}

/// Entra ID's stand-in for `credential` over TLS, and the binary trusting (only) its CA, with
/// `AZURE_AUTHORITY_HOST` pointing there and the app's tenant and client id set.
fn entra(home: &Path, credential: ClientCredential) -> (StandIn, Command) {
    let ca = Certified::ca("phiscan test CA");
    let server = Certified::server_for_loopback(&ca, "phiscan test CA");
    let app = Entra {
        tenant: TENANT.into(),
        client_id: CLIENT.into(),
        credential,
        access_token: MINTED.into(),
    };
    let stand_in =
        StandIn::start_tls(app.handler(), vec![server.der], server.key.private_der()).unwrap();
    let mut cmd = support::phiscan();
    cmd.env_remove("SSL_CERT_DIR")
        .env(
            "SSL_CERT_FILE",
            write(home, "ca.pem", &pem("CERTIFICATE", &ca.der)),
        )
        .env("AZURE_AUTHORITY_HOST", stand_in.base_url())
        .env("AZURE_TENANT_ID", TENANT)
        .env("AZURE_CLIENT_ID", CLIENT);
    (stand_in, cmd)
}

/// Scan with `cmd`'s credential; the scan reached every recorded route with MINTED (else
/// 401s would make ERROR findings) and the identity provider was asked for a token.
fn scan_with(cmd: &mut Command, replay: &Replay, idp: &StandIn, token_path: &str) -> Run {
    let run = scan(cmd, replay);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let verdicts = support::verdicts(&run.report());
    assert!(verdicts
        .keys()
        .any(|(c, _)| c.starts_with("azure-storage-")));
    assert!(!verdicts.values().any(|s| s == "ERROR"), "{verdicts:?}");
    let requests = replay.requests();
    assert!(
        !requests.is_empty() && requests.iter().all(|r| r.matched),
        "{requests:?}"
    );
    let asked: Vec<String> = idp.requests().into_iter().map(|r| r.path).collect();
    assert!(
        !asked.is_empty() && asked.iter().all(|p| p == token_path),
        "{asked:?}"
    );
    assert_never_printed(&run, &[MINTED]);
    run
}

fn scan(cmd: &mut Command, replay: &Replay) -> Run {
    support::run(
        cmd.args(["scan", "azure", "--subscription", SUBSCRIPTION])
            .args(["--checks", "azure-storage-*", "--format", "json"])
            .args(["--azure-endpoint", replay.base_url()]),
    )
}

fn token_path() -> String {
    format!("/{TENANT}/oauth2/v2.0/token")
}

/// `AZURE_CLIENT_SECRET`: the client-credentials grant with the secret.
#[test]
fn azure_client_secret() {
    let (replay, home) = (replay(), tempfile::tempdir().unwrap());
    let secret = "phiscan~client-secret-never-printed";
    let (idp, mut cmd) = entra(home.path(), ClientCredential::Secret(secret.into()));
    cmd.env("AZURE_CLIENT_SECRET", secret);
    let run = scan_with(&mut cmd, &replay, &idp, &token_path());
    assert_never_printed(&run, &[secret]);
}

/// `AZURE_CLIENT_CERTIFICATE_PATH`: a PEM certificate and key; the client assertion is a JWT
/// signed with the key, which the stand-in verifies with the registered certificate's key
/// and thumbprint.
#[test]
fn azure_client_certificate() {
    let (replay, home) = (replay(), tempfile::tempdir().unwrap());
    let cert = Certified::client("phiscan-audit");
    let private_key = cert.key.private_pem();
    let file = write(
        home.path(),
        "phiscan-audit.pem",
        &format!("{}{private_key}", pem("CERTIFICATE", &cert.der)),
    );
    let registered = ClientCredential::Certificate {
        der: cert.der.clone(),
        public_key: cert.key.public_der(),
    };
    let (idp, mut cmd) = entra(home.path(), registered);
    cmd.env("AZURE_CLIENT_CERTIFICATE_PATH", &file);
    let run = scan_with(&mut cmd, &replay, &idp, &token_path());
    let key_line = private_key.lines().nth(1).expect("a PEM line");
    assert_never_printed(&run, &[key_line]);
}

/// The stand-ins discriminate: a certificate Entra ID does not know for the app gets no
/// token, the scan nothing from the replay, and the run fails (never a PASS).
#[test]
fn azure_certificate_of_another_app_is_refused() {
    let (replay, home) = (replay(), tempfile::tempdir().unwrap());
    let (registered, presented) = (
        Certified::client("phiscan-audit"),
        Certified::client("other"),
    );
    let file = write(
        home.path(),
        "other.pem",
        &format!(
            "{}{}",
            pem("CERTIFICATE", &presented.der),
            presented.key.private_pem()
        ),
    );
    let (idp, mut cmd) = entra(
        home.path(),
        ClientCredential::Certificate {
            der: registered.der,
            public_key: registered.key.public_der(),
        },
    );
    cmd.env("AZURE_CLIENT_CERTIFICATE_PATH", &file);
    let run = scan(&mut cmd, &replay);
    assert!(run.code >= 2, "exit {}: {}", run.code, run.stderr);
    assert!(!idp.requests().is_empty(), "Entra ID was asked");
    assert!(replay.requests().iter().all(|r| !r.matched));
    super::assert_no_verdict(&run);
}

/// Workload identity (`AZURE_FEDERATED_TOKEN_FILE`, as AKS projects it): the platform's OIDC
/// token is the client assertion; the stand-in verifies it with the issuer's key against
/// the federated credential (issuer, subject, audience `api://AzureADTokenExchange`).
#[test]
fn azure_workload_identity() {
    let (replay, home) = (replay(), tempfile::tempdir().unwrap());
    let issuer_key = RsaKey::generate();
    let issuer = format!("https://oidc.prod-aks.azure.com/{TENANT}/");
    let subject = "system:serviceaccount:phiscan:scanner";
    let federated = id_token(
        &issuer_key,
        "aks-1",
        serde_json::json!({"iss": issuer, "sub": subject, "aud": ["api://AzureADTokenExchange"]}),
        3600,
    );
    let token_file = write(home.path(), "azure-identity-token", &federated);
    let trusted = ClientCredential::Federated {
        issuer: issuer.clone(),
        subject: subject.into(),
        issuer_key: issuer_key.public_der(),
    };
    let (idp, mut cmd) = entra(home.path(), trusted);
    cmd.env("AZURE_FEDERATED_TOKEN_FILE", &token_file);
    let run = scan_with(&mut cmd, &replay, &idp, &token_path());
    assert_never_printed(&run, &[&federated]);
}

/// A managed identity (App Service / Container Apps / Functions: `IDENTITY_ENDPOINT` and
/// `IDENTITY_HEADER`); no tenant, client or secret configured.
#[test]
fn azure_managed_identity() {
    let replay = replay();
    let identity = AppServiceIdentity {
        header_secret: "phiscan-identity-header-never-printed".into(),
        access_token: MINTED.into(),
    };
    let endpoint = StandIn::start(identity.clone().handler()).unwrap();
    let mut cmd = support::phiscan();
    cmd.env(
        "IDENTITY_ENDPOINT",
        format!("{}/msi/token", endpoint.base_url()),
    )
    .env("IDENTITY_HEADER", &identity.header_secret);
    let run = scan_with(&mut cmd, &replay, &endpoint, "/msi/token");
    assert_never_printed(&run, &[&identity.header_secret]);
}

/// https stays mandatory for the authority: an http `AZURE_AUTHORITY_HOST`, even on
/// loopback, is refused before any token is asked for (only the ARM test endpoint may be
/// http on loopback).
#[test]
fn azure_authority_host_must_be_https() {
    let replay = replay();
    let mut cmd = support::phiscan();
    cmd.env("AZURE_AUTHORITY_HOST", "http://127.0.0.1:9")
        .env("AZURE_TENANT_ID", TENANT)
        .env("AZURE_CLIENT_ID", CLIENT)
        .env("AZURE_CLIENT_SECRET", "phiscan~client-secret-never-printed");
    let run = scan(&mut cmd, &replay);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("HTTPS"), "{}", run.stderr);
    assert!(replay.requests().is_empty());
}
