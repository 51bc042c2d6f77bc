use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::S3Bucket;
use serde_json::{Map, Value};

use crate::aws::policy_doc::{self, Statement};

declare_check! {
    /// ## What it checks
    /// The bucket policy denies requests that do not use TLS: a statement with
    /// `Effect: Deny`, `Principal: "*"` (or `{"AWS": "*"}`), actions covering both
    /// `s3:GetObject` and `s3:PutObject` (`s3:*`, `*`, `s3:Get*` + `s3:Put*`, ...),
    /// resources covering every object of the bucket (`arn:aws:s3:::<bucket>/*`), and a
    /// condition that is exactly `Bool` or `BoolIfExists` `aws:SecureTransport = false`.
    /// A Deny narrowed by further conditions, by `NotAction`/`NotResource`, or to some
    /// prefixes only does not count. A bucket without a policy fails.
    ///
    /// ## Why it matters
    /// S3 answers plain HTTP unless a policy refuses it. The policies promise that "all data
    /// transmission is encrypted"; an HTTP request carries ePHI and the signed request in
    /// clear text (transmission security, 45 CFR 164.312(e)(1); encryption,
    /// 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `policy_present`, `statement_count` and `tls_deny_statement` (the statement that
    /// enforces TLS, as written, or null).
    ///
    /// ## Remediation
    /// Add this statement to the bucket policy (`aws s3api put-bucket-policy`):
    /// `{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*",
    /// "Resource":["arn:aws:s3:::<bucket>","arn:aws:s3:::<bucket>/*"],
    /// "Condition":{"Bool":{"aws:SecureTransport":"false"}}}`.
    pub struct S3BucketTlsOnly {
        id: "aws-s3-bucket-tls-only",
        title: "S3 bucket policies deny requests without TLS",
        severity: High,
        provider: Aws,
        kinds: [AwsS3Bucket],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

/// `v` says "false" (a JSON false, the string, or a list that includes it).
fn says_false(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::String(s) => s.eq_ignore_ascii_case("false"),
        Value::Array(items) => items.iter().any(says_false),
        _ => false,
    }
}

/// The condition is `aws:SecureTransport = false` under `Bool`/`BoolIfExists` and nothing
/// else: any other condition would narrow the Deny to some insecure requests only.
fn only_insecure_transport(cond: &Map<String, Value>) -> bool {
    let mut seen = false;
    for (operator, body) in cond {
        if operator != "Bool" && operator != "BoolIfExists" {
            return false;
        }
        let Some(keys) = body.as_object() else {
            return false;
        };
        for (key, value) in keys {
            if !key.eq_ignore_ascii_case("aws:SecureTransport") || !says_false(value) {
                return false;
            }
            seen = true;
        }
    }
    seen
}

fn enforces_tls(st: &Statement, objects_prefix: &str) -> bool {
    st.is_deny()
        && st.principal_is_everyone()
        && st.covers_action("s3:GetObject")
        && st.covers_action("s3:PutObject")
        && st
            .resources()
            .iter()
            .any(|r| policy_doc::covers_prefix(r, objects_prefix))
        && st.condition().is_some_and(only_insecure_transport)
}

impl Check for S3BucketTlsOnly {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<S3Bucket>()
            .iter()
            .map(|b| {
                let Some(policy) = &b.policy else {
                    return ctx
                        .fail(&b.resource)
                        .evidence("policy_present", false)
                        .evidence("statement_count", 0)
                        .evidence("tls_deny_statement", Value::Null)
                        .reason("The bucket has no bucket policy, so requests over plain HTTP are not denied.")
                        .build();
                };
                // The resource id is the bucket ARN; fall back to the name for hand-made refs.
                let bucket_arn = if b.resource.id.starts_with("arn:") {
                    b.resource.id.clone()
                } else {
                    format!("arn:aws:s3:::{}", b.resource.name)
                };
                let objects_prefix = format!("{bucket_arn}/");
                let statements = policy_doc::statements(policy);
                let found = statements.iter().find(|st| enforces_tls(st, &objects_prefix));
                let reason = match found.and_then(|st| st.sid()) {
                    Some(sid) => format!("Statement {sid:?} of the bucket policy denies every request without TLS (aws:SecureTransport = false)."),
                    None if found.is_some() => "A statement of the bucket policy denies every request without TLS (aws:SecureTransport = false).".to_string(),
                    None => "The bucket policy has no Deny for all principals on the bucket's objects when aws:SecureTransport is false, so plain HTTP requests are allowed.".to_string(),
                };
                ctx.verdict(found.is_some(), &b.resource)
                    .evidence("policy_present", true)
                    .evidence("statement_count", statements.len())
                    .evidence("tls_deny_statement", found.map(|st| st.raw()))
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::s3_bucket;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};
    use serde_json::json;

    fn with_policy(name: &str, policy: Value) -> S3Bucket {
        let mut b = s3_bucket(name);
        b.policy = Some(policy);
        b
    }

    fn deny(principal: Value, action: Value, resource: Value, condition: Value) -> Value {
        json!({"Effect": "Deny", "Principal": principal, "Action": action,
               "Resource": resource, "Condition": condition})
    }

    fn secure_false() -> Value {
        json!({"Bool": {"aws:SecureTransport": "false"}})
    }

    fn verdict(b: S3Bucket) -> Status {
        let id = b.resource.id.clone();
        let mut inv = Inventory::new();
        inv.aws_s3_buckets = vec![b];
        run(&S3BucketTlsOnly, &inv).status_of(&id)
    }

    #[test]
    fn standard_statement_passes_in_every_spelling() {
        let std = deny(
            json!("*"),
            json!("s3:*"),
            json!(["arn:aws:s3:::b", "arn:aws:s3:::b/*"]),
            secure_false(),
        );
        assert_eq!(
            verdict(with_policy("b", json!({"Statement": [std]}))),
            Status::Pass
        );
        // Statement as an object, Principal {"AWS": "*"}, BoolIfExists with a JSON false.
        let obj = deny(
            json!({"AWS": "*"}),
            json!(["s3:GetObject", "s3:PutObject"]),
            json!("arn:aws:s3:::b/*"),
            json!({"BoolIfExists": {"aws:securetransport": false}}),
        );
        assert_eq!(
            verdict(with_policy("b", json!({"Statement": obj}))),
            Status::Pass
        );
    }

    #[test]
    fn no_policy_or_weaker_statements_fail() {
        assert_eq!(verdict(s3_bucket("b")), Status::Fail);
        let cases = [
            // Allow instead of Deny.
            json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*", "Condition": secure_false()}),
            // One principal only.
            deny(
                json!({"AWS": "arn:aws:iam::1:root"}),
                json!("s3:*"),
                json!("arn:aws:s3:::b/*"),
                secure_false(),
            ),
            // Reads only.
            deny(
                json!("*"),
                json!("s3:GetObject"),
                json!("arn:aws:s3:::b/*"),
                secure_false(),
            ),
            // Bucket ARN only: object requests are not covered.
            deny(
                json!("*"),
                json!("s3:*"),
                json!("arn:aws:s3:::b"),
                secure_false(),
            ),
            // Some prefix only.
            deny(
                json!("*"),
                json!("s3:*"),
                json!("arn:aws:s3:::b/exports/*"),
                secure_false(),
            ),
            // Condition says true (denies TLS, not plain HTTP).
            deny(
                json!("*"),
                json!("s3:*"),
                json!("arn:aws:s3:::b/*"),
                json!({"Bool": {"aws:SecureTransport": "true"}}),
            ),
            // Narrowed by a second condition.
            deny(
                json!("*"),
                json!("s3:*"),
                json!("arn:aws:s3:::b/*"),
                json!({"Bool": {"aws:SecureTransport": "false"}, "StringEquals": {"aws:PrincipalAccount": "1"}}),
            ),
            // No condition at all: denies everything, which is not this control.
            json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}),
        ];
        for st in cases {
            assert_eq!(
                verdict(with_policy("b", json!({"Statement": [st.clone()]}))),
                Status::Fail,
                "{st}"
            );
        }
    }

    #[test]
    fn evidence_shows_the_enforcing_statement() {
        let mut st = deny(
            json!("*"),
            json!("s3:*"),
            json!("arn:aws:s3:::b/*"),
            secure_false(),
        );
        st["Sid"] = json!("DenyInsecureTransport");
        let mut inv = Inventory::new();
        inv.aws_s3_buckets = vec![with_policy("b", json!({"Statement": [st.clone()]}))];
        let f = run(&S3BucketTlsOnly, &inv);
        assert_eq!(f.evidence_of("arn:aws:s3:::b", "tls_deny_statement"), st);
        assert!(f
            .of("arn:aws:s3:::b")
            .reason
            .contains("DenyInsecureTransport"));
    }
}
