//! The free-text rules by example, and the redactor's promises as properties: a planted
//! secret never survives, text without one never changes, and redacting twice changes
//! nothing more than redacting once.

use proptest::prelude::*;
use serde_json::json;

use super::*;

fn once(s: &str) -> String {
    Redactor::new().string(s).unwrap_or_else(|| s.to_string())
}

#[test]
fn assignments_in_free_text_lose_their_values() {
    for (text, secret) in [
        ("AccessDenied for aws_secret_access_key=wJalrXUtnFEMIK7MDENG (profile x)", "wJalrXUtnFEMIK7MDENG"),
        ("export AWS_SESSION_TOKEN = FQoGZXIvYXdzEJr", "FQoGZXIvYXdzEJr"),
        (r#"body {"client_secret": "c4n4ry", "user": "u"}"#, "c4n4ry"),
        ("password: hunter2, retrying", "hunter2"),
        ("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
        (
            "Authorization: AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260601/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=fe5f80f77d5fa3be",
            "fe5f80f77d5fa3be",
        ),
    ] {
        let out = once(text);
        assert!(!out.contains(secret), "{text} -> {out}");
        assert!(out.contains("[REDACTED:"), "{out}");
    }
    assert_eq!(
        once("Authorization: Basic dXNlcjpwYXNz"),
        "Authorization: Basic [REDACTED:secret-assignment]"
    );
    assert_eq!(
        once("db_passwd=hunter2 and more"),
        "db_passwd=[REDACTED:secret-assignment] and more"
    );
}

#[test]
fn signed_queries_without_a_scheme_lose_their_query() {
    assert_eq!(
        once("GET phi.s3.amazonaws.com/scan.pdf?X-Amz-Algorithm=AWS4&X-Amz-Signature=deadbeef failed"),
        "GET phi.s3.amazonaws.com/scan.pdf?[REDACTED:signed-url] failed"
    );
    assert_eq!(
        once("SAS sv=2022-11-02&ss=b&sp=r&sig=c4n4ry%3D expired"),
        "SAS [REDACTED:signed-url] expired"
    );
    // Plain words with `=` and queries without a signing parameter stay.
    for plain in [
        "status code=403 for key=my-object",
        "see docs.example.com/page?tab=2&lang=en",
        "a=b&c=d",
        "bucket?key",
        "see https://example.com/docs?key#top",
    ] {
        assert_eq!(once(plain), plain);
    }
}

#[test]
fn markers_are_not_redacted_or_counted_again() {
    let mut r = Redactor::new();
    let mut v = json!({"password": "hunter2", "note": "Authorization: Bearer abc"});
    r.value(&mut v);
    let first = r.total();
    let snapshot = v.clone();
    r.value(&mut v);
    assert_eq!(v, snapshot);
    assert_eq!(r.total(), first, "{:?}", r.counts);
}

/// Words that name no secret and sign nothing, with the punctuation error text has.
const BENIGN: [&str; 22] = [
    "AccessDenied",
    "error",
    "bucket",
    "us-east-1",
    "status",
    "403",
    "arn:aws:s3:::my-bucket",
    "vol-0abc",
    "https://example.com/path",
    "https://example.com/p?versionId=3",
    "name=value",
    "a=b;c=d",
    "user@example.com",
    "2026-06-01T12:00:00Z",
    "kind:",
    "AwsS3Bucket",
    "count=5",
    "policy",
    "(GetBucketPolicy)",
    "projects/p/zones/z",
    "key",
    "\"region\": \"eu-west-1\"",
];

fn benign_text() -> impl Strategy<Value = String> {
    let sep = prop::sample::select(vec![" ", ", ", "; ", "/", "&", "?", "\n"]);
    prop::collection::vec((prop::sample::select(BENIGN.to_vec()), sep), 0..10).prop_map(|ws| {
        let mut s = String::new();
        for (w, sep) in ws {
            s.push_str(w);
            s.push_str(sep);
        }
        s.push_str("done");
        s
    })
}

/// A secret in each form the rules promise to catch; `{}` is the secret.
const FORMS: [&str; 14] = [
    "password={}",
    "aws_secret_access_key = {}",
    "\"client_secret\": \"{}\"",
    "Authorization: Bearer {}",
    "Authorization: Basic {}",
    "https://h.example.com/p?X-Amz-Signature={}&a=b",
    "h.s3.amazonaws.com/p?X-Amz-Credential={}",
    "sv=2022&sig={}",
    "postgres://app:{}@db/phi",
    "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----",
    "Server=x;Password={};Encrypt=True",
    "Credential={}",
    "token: {}",
    "eyJhbGciOiJIUzI1NiJ9.eyJ{}.c2lnbmF0dXJlX3BhcnQ",
];

proptest! {
    #[test]
    fn a_planted_secret_never_survives(
        before in benign_text(),
        after in benign_text(),
        form in prop::sample::select(FORMS.to_vec()),
        secret in "Zq[A-Za-z0-9]{14,30}",
    ) {
        let text = format!("{before} {} {after}", form.replace("{}", &secret));
        let out = once(&text);
        prop_assert!(!out.contains(&secret), "{:?} -> {:?}", text, out);
        let mut v = json!({"reason": text, "tags": {"db_password": secret.clone()}});
        Redactor::new().value(&mut v);
        prop_assert!(!v.to_string().contains(&secret), "{}", v);
    }

    #[test]
    fn text_without_a_secret_never_changes(text in benign_text()) {
        prop_assert_eq!(Redactor::new().string(&text), None, "{:?}", text);
    }

    #[test]
    fn redacting_twice_is_redacting_once(
        before in benign_text(),
        form in prop::sample::select(FORMS.to_vec()),
        secret in "Zq[A-Za-z0-9]{14,30}",
    ) {
        let first = once(&format!("{before} {}", form.replace("{}", &secret)));
        prop_assert_eq!(once(&first), first.clone());
    }
}

/// `direct` (a redaction without the JSON round trip) makes of `value` what `typed` makes of
/// it: the same value and the same counts.
fn redacts_as_typed<T>(
    value: T,
    direct: impl FnOnce(&mut Redactor, &mut T),
) -> Result<(), TestCaseError>
where
    T: Clone + PartialEq + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
{
    let (mut typed, mut redacted) = (value.clone(), value);
    let (mut a, mut b) = (Redactor::new(), Redactor::new());
    a.typed(&mut typed);
    direct(&mut b, &mut redacted);
    prop_assert_eq!(&redacted, &typed);
    prop_assert_eq!(b.counts, a.counts);
    Ok(())
}

/// A string of a resource reference: benign, or holding a secret in one of the forms.
fn reference_text() -> impl Strategy<Value = String> {
    (
        benign_text(),
        prop::option::of(prop::sample::select(FORMS.to_vec())),
        "Zq[A-Za-z0-9]{14,30}",
    )
        .prop_map(|(text, form, secret)| match form {
            Some(f) => format!("{text} {}", f.replace("{}", &secret)),
            None => text,
        })
}

proptest! {
    /// The reference rules without a JSON round trip (`Redactor::resource`, one per finding)
    /// do exactly what `typed` does: same reference, same counts. Tag keys include the
    /// names the key and pair rules react to.
    #[test]
    fn resource_references_redact_as_typed_data(
        account in reference_text(),
        id in reference_text(),
        name in reference_text(),
        tags in prop::collection::btree_map(
            prop::sample::select(vec!["owner", "db_password", "Name", "key", "value", "api-key", "Token"]),
            reference_text(),
            0..4,
        ),
    ) {
        let mut typed = crate::model::ResourceRef::new(
            crate::model::ResourceKind::AwsEbsVolume, account, "us-east-1", id, name,
        );
        for (k, v) in tags {
            typed = typed.with_tag(k, v);
        }
        redacts_as_typed(typed, Redactor::resource)?;
    }
}

proptest! {
    /// An API call record redacted field by field (`Redactor::api_call`) is what `typed`
    /// makes of it: same record, same counts.
    #[test]
    fn api_calls_redact_as_typed_data(
        service in reference_text(),
        operation in reference_text(),
        account in prop::option::of(reference_text()),
        region in prop::option::of(reference_text()),
        request_id in prop::option::of(reference_text()),
        error_code in prop::option::of(reference_text()),
        status in prop::option::of(100u16..600),
    ) {
        let typed = crate::model::ApiCall {
            provider: crate::model::Provider::Aws,
            service,
            operation,
            account,
            region,
            started_at: chrono::DateTime::from_timestamp_millis(1_780_000_000_123).unwrap(),
            duration_ms: 12,
            http_status: status,
            request_id,
            error_code,
        };
        redacts_as_typed(typed, Redactor::api_call)?;
    }
}

/// Many short secrets on one long line are all redacted. How the time grows with the line
/// (each must not rescan the rest of it) is measured, not tested: `redact_long_line` in
/// `bench/benches/eval.rs`.
#[test]
fn long_text_is_redacted_whole() {
    for unit in ["authorization:x,", "password=x;", "a?sig=x&", "Bearer x "] {
        let text = unit.repeat(200_000 / unit.len());
        let out = once(&text);
        assert!(!out.contains(":x,") && !out.contains("=x"), "{unit}");
    }
}

/// A Secrets Manager ARN names a resource type `secret:`, not an assignment: the ids of
/// secrets stay readable (and distinct) in every output.
#[test]
fn arn_resource_types_are_not_assignments() {
    let arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:ehr-db/master-aB1cD2";
    assert_eq!(once(arn), arn);
    assert_eq!(
        once(&format!("secret {arn} not found")),
        format!("secret {arn} not found")
    );
    // Outside an ARN the assignment rule still applies.
    assert_eq!(
        once("retry with secret: hunter2"),
        "retry with secret: [REDACTED:secret-assignment]"
    );
}

/// JSON trees with what the key rules look at: secret names, name/value pairs, markers,
/// empty containers, and strings with and without a planted secret.
fn tree() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    const KEYS: [&str; 9] = [
        "password",
        "Name",
        "value",
        "key",
        "note",
        "db_token",
        "count",
        "ParameterValue",
        "id",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u32>().prop_map(|n| json!(n)),
        prop::sample::select(vec![
            "",
            "db_password",
            "[REDACTED:secret-key-name]",
            "plain"
        ])
        .prop_map(|s| json!(s)),
        (benign_text(), prop::sample::select(FORMS.to_vec())).prop_map(|(t, form)| json!(format!(
            "{t} {}",
            form.replace("{}", "Zq0123456789abcdef")
        ))),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(prop::sample::select(KEYS.to_vec()), inner, 0..4).prop_map(
                |m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            ),
        ]
    })
}

proptest! {
    /// Findings' evidence (held as `Observed`) is redacted as the same JSON as a value is.
    #[test]
    fn evidence_redacts_as_the_value_it_holds(v in tree()) {
        use phiscan_core::check::Observed;
        let mut held = Observed::from(v.clone());
        let mut value = v;
        let (mut a, mut b) = (Redactor::new(), Redactor::new());
        a.value(&mut held);
        b.value(&mut value);
        prop_assert_eq!(held, Observed::from(value));
        prop_assert_eq!(a.counts, b.counts);
    }
}
