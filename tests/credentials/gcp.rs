//! GCP: Application Default Credentials (google-cloud-auth) from a service-account key, an
//! `authorized_user` file and an `external_account` file (workload identity federation).
//! The scan after each one reads Cloud SQL instances (Google's official client) and bucket
//! settings (phiscan's Storage JSON calls) of one project of the `estate` replay, which
//! answers only to the credential the flow minted.

use std::path::Path;

use phiscan_replay::standin::google::{self_signed_jwt, AuthorizedUser, Google, WorkloadPool};
use phiscan_replay::standin::jwt::{id_token, RsaKey};
use phiscan_replay::standin::StandIn;
use phiscan_replay::Replay;
use support::Run;

use super::{assert_never_printed, recipe, support, write};

const PROJECT: &str = "janus-ehr-prod";
const CHECKS: &str = "gcp-sql-*,gcp-storage-bucket-uniform-access";

fn replay() -> Replay {
    Replay::start(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/gcp/estate")).unwrap()
}

/// A stand-in for Google's token endpoints that trusts nothing: a flow that must not call
/// one gets an error from it.
fn nothing_trusted() -> Google {
    Google {
        user: None,
        pool: None,
        access_token: "ya29.never-minted".into(),
    }
}

/// `phiscan scan gcp` of PROJECT with gcloud's configuration (and HOME) in `home`, and no
/// static token: only ADC can authenticate.
fn scan(replay: &Replay, home: &Path, adc_file: Option<&Path>) -> Run {
    let mut cmd = support::phiscan();
    cmd.env("CLOUDSDK_CONFIG", home).env("HOME", home);
    if let Some(file) = adc_file {
        cmd.env("GOOGLE_APPLICATION_CREDENTIALS", file);
    }
    support::run(
        cmd.args(["scan", "gcp", "--project", PROJECT, "--checks", CHECKS])
            .args(["--format", "json", "--gcp-endpoint", replay.base_url()]),
    )
}

/// Every request reached a recorded route (the replay answers 401 to any other credential)
/// and every finding has a verdict: PASS, FAIL or NOT_APPLICABLE, never ERROR.
fn assert_scanned(run: &Run, replay: &Replay) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    let verdicts = support::verdicts(&run.report());
    let checks: std::collections::BTreeSet<&str> =
        verdicts.keys().map(|(c, _)| c.as_str()).collect();
    assert!(
        checks.contains("gcp-storage-bucket-uniform-access"),
        "{checks:?}"
    );
    assert!(
        checks.iter().any(|c| c.starts_with("gcp-sql-")),
        "{checks:?}"
    );
    let statuses: std::collections::BTreeSet<&str> =
        verdicts.values().map(String::as_str).collect();
    assert!(
        statuses.contains("PASS") && statuses.contains("FAIL"),
        "{statuses:?}"
    );
    assert!(!statuses.contains("ERROR"), "{verdicts:?}");
    let requests = replay.requests();
    assert!(!requests.is_empty());
    let refused: Vec<_> = requests.iter().filter(|r| !r.matched).collect();
    assert!(refused.is_empty(), "refused or unrecorded: {refused:?}");
}

/// A service-account key file. google-cloud-auth does not call the key's `token_uri`: it
/// signs its own access token, a JWT with the key (RS256, `kid` the key id; `iss` and `sub`
/// the account; the cloud-platform scope), which Google's APIs accept directly
/// (credentials/service_account.rs, `ServiceAccountTokenGenerator`). The replay verifies
/// that JWT on every request; the token endpoint stand-in must see nothing.
#[test]
fn gcp_service_account_key() {
    let (replay, home) = (replay(), tempfile::tempdir().unwrap());
    let token_endpoint = StandIn::start(nothing_trusted().handler()).unwrap();
    let key = RsaKey::generate();
    let (key_id, email) = (
        "3f2a9c5e1b7d4f60a8c2e4b6d8f0a1c3e5b7d9f1",
        "phiscan-audit@janus-ehr-prod.iam.gserviceaccount.com",
    );
    let private_key = key.private_pem();
    let key_file = write(
        home.path(),
        "phiscan-audit-key.json",
        &serde_json::json!({
            "type": "service_account",
            "project_id": PROJECT,
            "private_key_id": key_id,
            "private_key": private_key,
            "client_email": email,
            "client_id": "104729301846391029384",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": format!("{}/token", token_endpoint.base_url()),
        })
        .to_string(),
    );
    replay.only_bearer_that(self_signed_jwt(
        key.public_der(),
        key_id.into(),
        email.into(),
    ));

    let run = scan(&replay, home.path(), Some(&key_file));
    assert_scanned(&run, &replay);
    assert!(token_endpoint.requests().is_empty());
    let key_body = private_key.lines().nth(1).expect("a PEM line");
    assert_never_printed(&run, &[key_body]);
}

/// The replay discriminates: a key file of another key (same account, same key id) signs
/// JWTs the replay does not accept, and the scan reads nothing (ERROR, never a PASS).
#[test]
fn gcp_key_the_account_does_not_have_is_refused() {
    let (replay, home) = (replay(), tempfile::tempdir().unwrap());
    let (registered, presented) = (RsaKey::generate(), RsaKey::generate());
    let (key_id, email) = (
        "0123456789abcdef",
        "phiscan-audit@janus-ehr-prod.iam.gserviceaccount.com",
    );
    let key_file = write(
        home.path(),
        "key.json",
        &serde_json::json!({
            "type": "service_account", "project_id": PROJECT, "private_key_id": key_id,
            "private_key": presented.private_pem(), "client_email": email,
            "token_uri": "http://127.0.0.1:9/token",
        })
        .to_string(),
    );
    replay.only_bearer_that(self_signed_jwt(
        registered.public_der(),
        key_id.into(),
        email.into(),
    ));
    let run = scan(&replay, home.path(), Some(&key_file));
    assert!(run.code >= 2, "exit {}: {}", run.code, run.stderr);
    assert!(replay.requests().iter().all(|r| !r.matched));
    super::assert_no_verdict(&run);
}

/// An `authorized_user` file where `gcloud auth application-default login` writes it
/// (`~/.config/gcloud/application_default_credentials.json`, the well-known path ADC reads
/// without any variable): the refresh-token grant at its `token_uri`.
#[test]
fn gcp_authorized_user() {
    let (replay, home) = (replay(), tempfile::tempdir().unwrap());
    let user = AuthorizedUser {
        client_id: "764086051850-phiscan.apps.googleusercontent.com".into(),
        client_secret: "d-FL95Q19q7MQmFpd7hHD0Ty".into(),
        refresh_token: "1//phiscan-refresh-token-never-printed".into(),
    };
    let minted = "ya29.a0-phiscan-user-access-token";
    let google = Google {
        user: Some(user.clone()),
        pool: None,
        access_token: minted.into(),
    };
    let token_endpoint = StandIn::start(google.handler()).unwrap();
    write(
        home.path(),
        ".config/gcloud/application_default_credentials.json",
        &serde_json::json!({
            "type": "authorized_user",
            "client_id": user.client_id,
            "client_secret": user.client_secret,
            "refresh_token": user.refresh_token,
            "token_uri": format!("{}/token", token_endpoint.base_url()),
        })
        .to_string(),
    );
    replay.only_bearer(minted);

    let run = scan(&replay, home.path(), None);
    assert_scanned(&run, &replay);
    let asked: Vec<String> = token_endpoint
        .requests()
        .into_iter()
        .map(|r| r.path)
        .collect();
    assert!(
        !asked.is_empty() && asked.iter().all(|p| p == "/token"),
        "{asked:?}"
    );
    assert_never_printed(&run, &[minted, &user.refresh_token, &user.client_secret]);
}

/// An `external_account` file (workload identity federation, as `gcloud iam
/// workload-identity-pools create-cred-config` writes it; README recipe `gcp-wif`): the CI
/// platform's OIDC token from a file, exchanged at STS for a federated token, which
/// impersonates the service account. STS verifies the OIDC token's signature with the
/// issuer's key; the replay answers only to the impersonated token.
#[test]
fn gcp_workload_identity_federation() {
    let (replay, home) = (replay(), tempfile::tempdir().unwrap());
    let config = recipe("gcp-wif");
    let parsed: serde_json::Value = serde_json::from_str(&config).expect("the recipe is JSON");
    let audience = parsed["audience"].as_str().unwrap().to_string();
    let issuer_key = RsaKey::generate();
    let issuer = "https://token.actions.githubusercontent.com";
    let pool = WorkloadPool {
        audience: audience.clone(),
        issuer_key: issuer_key.public_der(),
        issuer: issuer.into(),
        service_account: "phiscan-audit@janus-ehr-prod.iam.gserviceaccount.com".into(),
        federated_token: "ya29.d-phiscan-federated-token".into(),
    };
    let minted = "ya29.c-phiscan-impersonated-access-token";
    let google = Google {
        user: None,
        pool: Some(pool.clone()),
        access_token: minted.into(),
    };
    let sts = StandIn::start(google.handler()).unwrap();
    let oidc_token = id_token(
        &issuer_key,
        "ci-1",
        serde_json::json!({"iss": issuer, "aud": audience,
                           "sub": "repo:janus/infra:ref:refs/heads/main"}),
        300,
    );
    let token_file = write(home.path(), "oidc/token", &oidc_token);
    let adc = write(
        home.path(),
        "wif.json",
        &config
            .replace("https://sts.googleapis.com", &sts.base_url())
            .replace("https://iamcredentials.googleapis.com", &sts.base_url())
            .replace("/var/run/phiscan/oidc-token", token_file.to_str().unwrap()),
    );
    replay.only_bearer(minted);

    let run = scan(&replay, home.path(), Some(&adc));
    assert_scanned(&run, &replay);
    let mut asked: Vec<String> = sts.requests().into_iter().map(|r| r.path).collect();
    asked.dedup();
    assert_eq!(
        asked,
        [
            "/v1/token".to_string(),
            format!(
                "/v1/projects/-/serviceAccounts/{}:generateAccessToken",
                pool.service_account
            )
        ],
    );
    assert_never_printed(&run, &[minted, &pool.federated_token, &oidc_token]);
}
