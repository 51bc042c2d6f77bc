//! Redaction: every planted secret goes, nothing else changes.

use super::*;
use serde_json::json;
use serde_json::Value;

fn redact(v: Value) -> (Value, Redactor) {
    let mut r = Redactor::new();
    let mut v = v;
    r.value(&mut v);
    (v, r)
}

#[test]
fn secret_key_names_are_redacted_but_facts_stay() {
    let (v, r) = redact(json!({
        "password": "hunter2",
        "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "aws_session_token": "FQoGZXIvYXdzE",
        "client_secret": "abc",
        "KeyMaterial": "base64stuff",
        "connectionString": "whatever",
        "credentials": {"user": "u", "pass": "p"},
        "api_key": ["k1"],
        "AccountKey": "k",
        "tags": {"db_password": "x", "owner": "alice"},
        "secret_rotation_enabled": true,
        "password_length": 14,
        "token": null,
        "empty_secret": "",
    }));
    for k in [
        "password",
        "SecretAccessKey",
        "aws_session_token",
        "client_secret",
        "KeyMaterial",
        "connectionString",
        "credentials",
        "api_key",
        "AccountKey",
    ] {
        assert_eq!(v[k], "[REDACTED:secret-key-name]", "{k}");
    }
    assert_eq!(v["tags"]["db_password"], "[REDACTED:secret-key-name]");
    assert_eq!(v["tags"]["owner"], "alice");
    assert_eq!(v["secret_rotation_enabled"], true);
    assert_eq!(v["password_length"], 14);
    assert_eq!(v["token"], Value::Null);
    assert_eq!(v["empty_secret"], "");
    assert_eq!(r.counts["secret-key-name"], 10);
}

#[test]
fn identifiers_that_merely_mention_keys_stay() {
    for k in [
        "kms_key_id",
        "KMSMasterKeyID",
        "key_state",
        "key_manager",
        "imds_http_tokens",
        "access_key_id",
        "AccessKeyId",
        "authorized_networks",
        "bucket_key_enabled",
        "key_source",
    ] {
        assert!(!is_secret_key(k), "{k} must not count as a secret");
    }
    let (v, r) = redact(
        json!({"kms_key_id": "arn:aws:kms:us-east-1:1:key/abc", "imds_http_tokens": "required"}),
    );
    assert_eq!(v["kms_key_id"], "arn:aws:kms:us-east-1:1:key/abc");
    assert_eq!(v["imds_http_tokens"], "required");
    assert_eq!(r.total(), 0);
}

#[test]
fn private_keys_are_redacted_whole() {
    let (v, r) = redact(
        json!({"note": "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n"}),
    );
    assert_eq!(v["note"], "[REDACTED:private-key]");
    assert_eq!(r.counts["private-key"], 1);
    let (v, _) =
        redact(json!({"cert": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"}));
    assert!(v["cert"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE"));
}

#[test]
fn signed_urls_lose_their_query() {
    let mut r = Redactor::new();
    let s3 = "https://bucket.s3.amazonaws.com/phi/file.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20260101&X-Amz-Signature=abcdef";
    assert_eq!(
        r.string(s3).unwrap(),
        "https://bucket.s3.amazonaws.com/phi/file.csv?[REDACTED:signed-url]"
    );
    let sas =
        "see https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2026&sig=AbC%3D#frag now";
    assert_eq!(
        r.string(sas).unwrap(),
        "see https://acct.blob.core.windows.net/c/b?[REDACTED:signed-url]#frag now"
    );
    let gcs = "https://storage.googleapis.com/b/o?X-Goog-Signature=00ff&X-Goog-Credential=sa";
    assert!(r.string(gcs).unwrap().ends_with("?[REDACTED:signed-url]"));
    let old_s3 = "https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIA&Expires=1&Signature=xyz";
    assert!(r
        .string(old_s3)
        .unwrap()
        .ends_with("?[REDACTED:signed-url]"));
    assert_eq!(r.counts["signed-url"], 4);
    // A plain URL with a harmless query stays.
    assert_eq!(r.string("https://example.invalid/x?page=2"), None);
}

#[test]
fn passwords_in_urls_are_redacted() {
    let mut r = Redactor::new();
    assert_eq!(
        r.string("postgres://admin:s3cr3t@db.internal:5432/phi")
            .unwrap(),
        "postgres://admin:[REDACTED:url-password]@db.internal:5432/phi"
    );
    assert_eq!(r.string("https://user@host/path"), None);
    assert_eq!(r.counts["url-password"], 1);
}

#[test]
fn connection_string_secrets_are_redacted() {
    let mut r = Redactor::new();
    assert_eq!(
        r.string("Server=tcp:x.database.windows.net,1433;User ID=app;Password=p@ss;Encrypt=True").unwrap(),
        "Server=tcp:x.database.windows.net,1433;User ID=app;Password=[REDACTED:connection-string-secret];Encrypt=True"
    );
    assert_eq!(
        r.string("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Zm9v==;EndpointSuffix=core.windows.net").unwrap(),
        "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=[REDACTED:connection-string-secret];EndpointSuffix=core.windows.net"
    );
    assert!(r
        .string("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=abc=")
        .unwrap()
        .contains("SharedAccessKey=[REDACTED:connection-string-secret]"));
    assert_eq!(r.counts["connection-string-secret"], 3);
    assert_eq!(r.string("a=b;c=d"), None);
}

#[test]
fn bearer_tokens_and_jwts_are_redacted() {
    let mut r = Redactor::new();
    assert_eq!(
        r.string("Authorization: Bearer abc.def").unwrap(),
        "Authorization: Bearer [REDACTED:bearer-token]"
    );
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    assert_eq!(
        r.string(&format!("token {jwt}")).unwrap(),
        "token [REDACTED:bearer-token]"
    );
    assert_eq!(r.counts["bearer-token"], 2);
    assert_eq!(r.string("arn:aws:iam::1:role/x"), None);
}

#[test]
fn nested_values_are_walked() {
    let (v, r) = redact(json!({"a": [{"b": {"url": "https://h/p?sig=1"}}]}));
    assert_eq!(v["a"][0]["b"]["url"], "https://h/p?[REDACTED:signed-url]");
    assert_eq!(r.total(), 1);
}

#[test]
fn a_name_value_pair_naming_a_secret_loses_its_value() {
    let (v, r) = redact(json!({"tagSet": {"item": [
        {"key": "db_password", "value": "hunter2"},
        {"key": "owner", "value": "ops"}]},
        "appSettings": [{"name": "STORAGE_ACCOUNT_KEY", "value": "abc"}],
        "Parameters": [{"ParameterName": "rds.force_ssl", "ParameterValue": "1"}]}));
    assert_eq!(
        v["tagSet"]["item"][0]["value"],
        "[REDACTED:secret-key-name]"
    );
    assert_eq!(v["tagSet"]["item"][1]["value"], "ops");
    assert_eq!(v["appSettings"][0]["value"], "[REDACTED:secret-key-name]");
    assert_eq!(v["Parameters"][0]["ParameterValue"], "1");
    assert_eq!(r.counts["secret-key-name"], 2);
}
