//! AWS: an assumed role from a named profile, web identity, `credential_process` and an SSO
//! profile. The scan after each one reads EBS encryption by default in us-east-1 of moto's
//! account; moto's recorder shows the credential of every request it got.

use std::path::Path;

use assert_cmd::Command;
use phiscan_replay::standin::{sso::Portal, StandIn};
use support::moto::{Moto, Signed};
use support::Run;

use super::{assert_never_printed, ini_value, recipe, support, write};

const ACCOUNT: &str = "123456789012";
const CHECK: &str = "aws-ebs-encryption-by-default";

/// `phiscan scan aws` of us-east-1, one check, JSON; `cmd` holds the credential setup.
fn scan(cmd: &mut Command, extra: &[&str]) -> Run {
    support::run(
        cmd.args(["scan", "aws", "--regions", "us-east-1", "--checks", CHECK])
            .args(["--format", "json"])
            .args(extra),
    )
}

/// The scan reached moto: identified as `principal`, with the check's verdict on the
/// account's EBS default (off in a fresh moto: FAIL, never ERROR).
fn assert_scanned_as(run: &Run, principal: &str) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.report();
    let scope = &report["scan"]["scope"][0];
    assert_eq!(scope["account"], ACCOUNT);
    assert_eq!(scope["identity"]["principal"], principal);
    let verdicts = support::verdicts(&report);
    assert!(
        verdicts.keys().any(|(check, _)| check == CHECK) && verdicts.values().all(|s| s == "FAIL"),
        "{verdicts:?}"
    );
}

/// Every request but those `exchange` picks (the credential exchange) was signed with
/// `key_id` and its session token, the scan's reads among them; returns the others.
fn signed_by(
    recorded: &[Signed],
    exchange: impl Fn(&Signed) -> bool,
    key_id: &str,
    token: &str,
) -> Vec<Signed> {
    let (exchanges, scan): (Vec<_>, Vec<_>) = recorded.iter().cloned().partition(exchange);
    let ops: Vec<&str> = scan.iter().map(|s| s.operation.as_str()).collect();
    assert!(ops.contains(&"GetCallerIdentity"), "{ops:?}");
    assert!(ops.contains(&"GetEbsEncryptionByDefault"), "{ops:?}");
    for s in &scan {
        assert_eq!(
            s.key_id.as_deref(),
            Some(key_id),
            "{} signed by another key",
            s.operation
        );
        assert_eq!(
            s.session_token.as_deref(),
            Some(token),
            "{} session",
            s.operation
        );
    }
    exchanges
}

/// Scan with `cmd`, whose credential chain gets a session for `role_arn` from moto's STS:
/// moto minted exactly one, the scan identified as it and signed every other request with
/// it, and no output shows its secrets or `secret`. Returns the one exchange request.
fn scan_as_role(
    moto: &Moto,
    cmd: &mut Command,
    extra: &[&str],
    role_arn: &str,
    secret: &str,
) -> Signed {
    moto.start_recording();
    let run = scan(cmd, extra);
    let recorded = moto.recorded();
    let sessions = moto.minted_sessions();
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    let session = &sessions[0];
    assert_eq!(session["role_arn"], role_arn);

    assert_scanned_as(&run, str_of(session, "arn"));
    let (key_id, token) = (
        str_of(session, "access_key_id"),
        str_of(session, "session_token"),
    );
    let exchanges = signed_by(
        &recorded,
        |s| s.key_id.as_deref() != Some(key_id),
        key_id,
        token,
    );
    assert_eq!(exchanges.len(), 1, "one exchange: {exchanges:?}");
    assert_never_printed(&run, &[secret, str_of(session, "secret_access_key"), token]);
    exchanges[0].clone()
}

fn str_of<'a>(v: &'a serde_json::Value, field: &str) -> &'a str {
    v[field].as_str().unwrap_or_else(|| panic!("no {field}"))
}

/// A home of its own: config files, SSO cache and `credential_process` script go there.
fn home() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn with_files(home: &Path, config: &str, credentials: Option<&str>) -> Command {
    let mut c = support::phiscan();
    c.env("HOME", home)
        .env("AWS_CONFIG_FILE", write(home, ".aws/config", config))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            credentials.map_or("/dev/null".into(), |text| {
                write(home, ".aws/credentials", text)
            }),
        );
    c
}

/// A profile with `role_arn` + `source_profile`: the SDK signs sts:AssumeRole with the
/// source profile's key (the only static key in the test), then the scan uses the session
/// moto minted and nothing else.
#[test]
fn aws_assume_role_profile() {
    let Some(moto) = Moto::start() else { return };
    let home = home();
    let (config, credentials) = (
        recipe("aws-assume-role-config"),
        recipe("aws-assume-role-credentials"),
    );
    let role = ini_value(&config, "role_arn");
    let source_key = ini_value(&credentials, "aws_access_key_id");
    let source_secret = ini_value(&credentials, "aws_secret_access_key");
    let mut cmd = with_files(home.path(), &config, Some(&credentials));
    cmd.env("AWS_ENDPOINT_URL", &moto.url);
    let exchange = scan_as_role(
        &moto,
        &mut cmd,
        &["--profile", "audit"],
        role,
        source_secret,
    );
    assert_eq!(exchange.operation, "AssumeRole");
    assert_eq!(exchange.key_id.as_deref(), Some(source_key));
    let session_name = ini_value(&config, "role_session_name");
    assert!(exchange
        .body
        .contains(&format!("RoleSessionName={session_name}")));
}

/// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (what CI OIDC sets up): an unsigned
/// sts:AssumeRoleWithWebIdentity carrying the file's token, no key anywhere.
#[test]
fn aws_web_identity() {
    let Some(moto) = Moto::start() else { return };
    let home = home();
    let role = format!("arn:aws:iam::{ACCOUNT}:role/phiscan-ci");
    let oidc_token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmV4YW1wbGUvcGhpc2NhbiJ9.c2lnbmF0dXJl";
    let token_file = write(home.path(), "oidc-token", oidc_token);
    let mut cmd = support::phiscan();
    cmd.env("HOME", home.path())
        .env("AWS_WEB_IDENTITY_TOKEN_FILE", &token_file)
        .env("AWS_ROLE_ARN", &role)
        .env("AWS_ROLE_SESSION_NAME", "phiscan-ci")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", &moto.url);
    let exchange = scan_as_role(&moto, &mut cmd, &[], &role, oidc_token);
    assert_eq!(exchange.operation, "AssumeRoleWithWebIdentity");
    assert_eq!(exchange.key_id, None, "the exchange is unsigned");
    assert!(exchange.body.contains("RoleSessionName=phiscan-ci"));
    assert!(
        exchange
            .body
            .contains(&format!("WebIdentityToken={oidc_token}")),
        "the token file's token was sent"
    );
}

/// `credential_process`: a script printing the documented JSON (Version 1); every request
/// is signed with the key it printed.
#[test]
fn aws_credential_process() {
    let Some(moto) = Moto::start() else { return };
    let home = home();
    let (key, secret, token) = (
        "ASIAPHISCANPROCESS01",
        "process-secret-never-printed",
        "process-session-token",
    );
    let script = write(
        home.path(),
        "bin/phiscan-creds",
        &format!(
            "#!/bin/sh\n# What an external credential helper prints (Version 1).\n\
             printf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"{key}\", \
             \"SecretAccessKey\": \"{secret}\", \"SessionToken\": \"{token}\", \
             \"Expiration\": \"2099-01-01T00:00:00Z\"}}'\n"
        ),
    );
    make_executable(&script);
    let config = recipe("aws-credential-process")
        .replace("/usr/local/bin/phiscan-creds", script.to_str().unwrap());
    let mut cmd = with_files(home.path(), &config, None);
    cmd.env("AWS_ENDPOINT_URL", &moto.url);
    moto.start_recording();
    let run = scan(&mut cmd, &["--profile", "helper"]);
    let recorded = moto.recorded();

    assert_scanned_as(&run, &format!("arn:aws:sts::{ACCOUNT}:user/moto"));
    assert!(signed_by(&recorded, |_| false, key, token).is_empty());
    assert!(moto.minted_sessions().is_empty());
    assert_never_printed(&run, &[secret, token]);
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// The README's SSO profile in `home`, `aws sso login`'s token `cached` in
/// ~/.aws/sso/cache/<sha1 of the session name>.json, a portal stand-in that issued the token
/// "sso-access-token-never-printed", and the binary pointed at it (`AWS_ENDPOINT_URL_SSO`)
/// and at moto.
fn sso(home: &Path, moto: &Moto, cached: &str) -> (Portal, StandIn, Command) {
    let config = recipe("aws-sso");
    let portal = Portal {
        access_token: "sso-access-token-never-printed".into(),
        account_id: ini_value(&config, "sso_account_id").into(),
        role_name: ini_value(&config, "sso_role_name").into(),
        access_key_id: "ASIAPHISCANSSOMINTED".into(),
        secret_access_key: "sso-minted-secret-never-printed".into(),
        session_token: "sso-minted-session-token".into(),
    };
    let stand_in = StandIn::start(portal.clone().handler()).unwrap();
    // sha1("phiscan-corp"): the cache file name of the session's token.
    assert_eq!(ini_value(&config, "sso_session"), "phiscan-corp");
    write(
        home,
        ".aws/sso/cache/616e8ca36a4dce63e5e98acad69e8dd2cc2954f5.json",
        &serde_json::json!({
            "startUrl": ini_value(&config, "sso_start_url"),
            "region": "us-east-1",
            "accessToken": cached,
            "expiresAt": "2099-01-01T00:00:00Z",
        })
        .to_string(),
    );
    let mut cmd = with_files(home, &config, None);
    cmd.env("AWS_ENDPOINT_URL_SSO", stand_in.base_url())
        .env("AWS_ENDPOINT_URL", &moto.url);
    (portal, stand_in, cmd)
}

/// An SSO profile (`sso_session`, as `aws configure sso` writes it) with the token `aws sso
/// login` cached: the SDK's SSO provider calls GetRoleCredentials at the portal stand-in,
/// and the scan signs with the role credentials the portal minted.
#[test]
fn aws_sso_profile() {
    let Some(moto) = Moto::start() else { return };
    let home = home();
    let (portal, stand_in, mut cmd) = sso(home.path(), &moto, "sso-access-token-never-printed");
    moto.start_recording();
    let run = scan(&mut cmd, &["--profile", "sso-audit"]);
    let recorded = moto.recorded();

    let asked = stand_in.requests();
    assert_eq!(asked.len(), 1, "one GetRoleCredentials: {asked:?}");
    assert_eq!(asked[0].path, "/federation/credentials");
    assert_scanned_as(&run, &format!("arn:aws:sts::{ACCOUNT}:user/moto"));
    assert!(signed_by(
        &recorded,
        |_| false,
        &portal.access_key_id,
        &portal.session_token
    )
    .is_empty());
    assert_never_printed(
        &run,
        &[
            &portal.access_token,
            &portal.secret_access_key,
            &portal.session_token,
        ],
    );
}

/// The portal stand-in discriminates: a cached token it did not issue gets no role
/// credentials, and the scan stops before reaching moto (exit 2), never falling back.
#[test]
fn aws_sso_token_the_portal_did_not_issue_is_refused() {
    let Some(moto) = Moto::start() else { return };
    let home = home();
    let (_, stand_in, mut cmd) = sso(home.path(), &moto, "a-token-from-elsewhere");
    moto.start_recording();
    let run = scan(&mut cmd, &["--profile", "sso-audit"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!stand_in.requests().is_empty(), "the portal was asked");
    assert!(moto.recorded().is_empty(), "nothing reached moto");
}
