//! Which API a proxied request calls (cloud, protocol, service, region, operation), and the
//! throttling answer that API really sends, shaped so each client classifies it as
//! throttling the way it does for the real service:
//!
//! | API | status | error | where the client reads the code |
//! |---|---|---|---|
//! | EC2 (ec2 query) | 503 | `RequestLimitExceeded` | `<Response><Errors><Error><Code>` |
//! | other AWS query (IAM, RDS, SNS, ELB, ...) | 400 | `Throttling` | `<ErrorResponse><Error><Code>` |
//! | AWS JSON 1.0 / 1.1 (DynamoDB, KMS, Logs, ...) | 400 | `ThrottlingException` | body `__type` |
//! | AWS REST-JSON (EFS, Backup, GuardDuty, ...) | 429 | `ThrottlingException` | header `x-amzn-ErrorType` |
//! | S3 (REST-XML) | 503 | `SlowDown` | `<Error><Code>` |
//! | other REST-XML (CloudFront) | 400 | `Throttling` | `<ErrorResponse><Error><Code>` |
//! | Azure Resource Manager | 429 + `Retry-After` | `TooManyRequests` | status, header |
//! | Google APIs | 429 | `RESOURCE_EXHAUSTED` (google.rpc.Status) | status, `error.status` |
//!
//! The AWS codes are the ones aws-runtime's `THROTTLING_ERRORS` lists (its
//! `AwsErrorCodeClassifier`), and each body is what that protocol's error parser reads.

use std::time::Duration;

use super::wire::Raw;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Ec2Query,
    AwsQuery,
    AwsJson(&'static str),
    RestJson,
    S3,
    RestXml,
    Arm,
    Google,
}

/// The API a request calls, as far as buckets and error shapes need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub protocol: Protocol,
    /// `ec2`, `s3` (the SigV4 scope's service), `microsoft.compute`, `compute`.
    pub service: String,
    /// The SigV4 scope's region; empty for ARM and Google (their limits are per
    /// subscription and project).
    pub region: String,
    /// `DescribeVolumes`, `ListKeys`, or method and path shape for REST APIs.
    pub operation: String,
}

fn header<'a>(raw: &'a Raw, name: &str) -> Option<&'a str> {
    raw.headers.iter().find_map(|h| {
        let (k, v) = h.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Method and path (without the query) of the request line.
fn method_path(raw: &Raw) -> (&str, &str, &str) {
    let mut parts = raw.line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    (method, path, query)
}

/// Method and the path without its ids: a REST operation's shape, the same whichever
/// resource it names (`GET /2015-02-01/file-systems/fs-1/lifecycle-configuration` and
/// `GET /compute/v1/projects/p1/aggregated/disks` keep `file-systems/lifecycle-configuration`
/// and `projects/aggregated/disks`). REST paths alternate collection and id, and collections
/// are plural (`b` is Cloud Storage's bucket collection).
fn rest_shape(method: &str, path: &str) -> String {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let kept: Vec<&str> = segs
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || !(segs[i - 1].ends_with('s') || segs[i - 1] == "b"))
        .map(|(_, s)| *s)
        .collect();
    format!("{method} {}", kept.join("/"))
}

pub(crate) fn classify(raw: &Raw) -> Call {
    let (method, path, query) = method_path(raw);
    if let Some(auth) = header(raw, "authorization").filter(|a| a.starts_with("AWS4-HMAC")) {
        return aws(raw, auth, method, path, query);
    }
    if let Some(at) = path.to_ascii_lowercase().rfind("/providers/microsoft.") {
        let rest = &path[at + "/providers/".len()..];
        let mut segs = rest.split('/');
        let namespace = segs.next().unwrap_or("").to_ascii_lowercase();
        let kind = segs.next().unwrap_or("");
        return Call {
            protocol: Protocol::Arm,
            operation: format!("{method} {namespace}/{kind}"),
            service: namespace,
            region: String::new(),
        };
    }
    let service = path
        .split('/')
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_string();
    Call {
        protocol: Protocol::Google,
        operation: rest_shape(method, path),
        service,
        region: String::new(),
    }
}

fn aws(raw: &Raw, auth: &str, method: &str, path: &str, query: &str) -> Call {
    // Credential=AKID/20261206/us-east-1/ec2/aws4_request
    let scope: Vec<&str> = auth
        .split("Credential=")
        .nth(1)
        .and_then(|c| c.split([',', ' ']).next())
        .map(|c| c.split('/').collect())
        .unwrap_or_default();
    let region = scope.get(2).copied().unwrap_or("").to_string();
    let service = scope.get(3).copied().unwrap_or("").to_string();
    let body = String::from_utf8_lossy(&raw.body);
    let action = body
        .split('&')
        .find_map(|p| p.strip_prefix("Action="))
        .map(str::to_string);
    let (protocol, operation) = if let Some(target) = header(raw, "x-amz-target") {
        let version = match header(raw, "content-type") {
            Some(t) if t.contains("1.0") => "1.0",
            _ => "1.1",
        };
        let op = target.rsplit('.').next().unwrap_or(target).to_string();
        (Protocol::AwsJson(version), op)
    } else if let Some(action) = action {
        let p = if service == "ec2" {
            Protocol::Ec2Query
        } else {
            Protocol::AwsQuery
        };
        (p, action)
    } else if service == "s3" {
        // The subresource names the operation: GET /bucket?policy is GetBucketPolicy.
        let sub: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty() && !p.contains('='))
            .collect();
        let depth = path.split('/').filter(|s| !s.is_empty()).count().min(2);
        (Protocol::S3, format!("{method} {depth} ?{}", sub.join("&")))
    } else if matches!(service.as_str(), "cloudfront" | "route53") {
        (Protocol::RestXml, rest_shape(method, path))
    } else {
        (Protocol::RestJson, rest_shape(method, path))
    };
    Call {
        protocol,
        service,
        region,
        operation,
    }
}

/// Status, headers and body of the throttling answer to `call`; `wait` is how long until
/// the bucket has a token again (ARM says it in `Retry-After`, in whole seconds).
pub fn throttled(call: &Call, wait: Duration, id: u64) -> (u16, Vec<(String, String)>, String) {
    let rid = format!("fault-proxy-{id:08}");
    let h = |k: &str, v: &str| (k.to_string(), v.to_string());
    let xml = |status: u16, body: String| {
        (
            status,
            vec![h("Content-Type", "text/xml"), h("x-amzn-RequestId", &rid)],
            body,
        )
    };
    match call.protocol {
        Protocol::Ec2Query => xml(503, format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>{rid}</RequestID></Response>"
        )),
        Protocol::AwsQuery | Protocol::RestXml => xml(400, format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>"
        )),
        Protocol::AwsJson(version) => (
            400,
            vec![
                h("Content-Type", &format!("application/x-amz-json-{version}")),
                h("x-amzn-RequestId", &rid),
            ],
            r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#.into(),
        ),
        Protocol::RestJson => (
            429,
            vec![
                h("Content-Type", "application/json"),
                h("x-amzn-ErrorType", "ThrottlingException"),
                h("x-amzn-RequestId", &rid),
            ],
            r#"{"message":"Rate exceeded"}"#.into(),
        ),
        Protocol::S3 => (
            503,
            vec![h("Content-Type", "application/xml"), h("x-amz-request-id", &rid)],
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>{rid}</RequestId><HostId>{rid}</HostId></Error>"),
        ),
        Protocol::Arm => {
            let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
            (
                429,
                vec![
                    h("Content-Type", "application/json"),
                    h("Retry-After", &secs.to_string()),
                    h("x-ms-request-id", &rid),
                ],
                format!(r#"{{"error":{{"code":"TooManyRequests","message":"The request is being throttled as the limit has been reached for operation type {}. Please retry after {secs} seconds (fault proxy)."}}}}"#, call.operation),
            )
        }
        Protocol::Google => (
            429,
            vec![h("Content-Type", "application/json; charset=UTF-8")],
            format!(r#"{{"error":{{"code":429,"message":"Quota exceeded for quota metric 'Read requests' of service '{}' (fault proxy).","status":"RESOURCE_EXHAUSTED","details":[{{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com"}}]}}}}"#, call.service),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(line: &str, headers: &[&str], body: &str) -> Raw {
        Raw {
            line: line.into(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            body: body.as_bytes().to_vec(),
            close: false,
        }
    }

    const AUTH: &str = "Authorization: AWS4-HMAC-SHA256 Credential=AKIA/20261206/eu-west-1/SVC/aws4_request, SignedHeaders=host, Signature=00";

    fn signed(service: &str) -> String {
        AUTH.replace("SVC", service)
    }

    #[test]
    fn aws_requests_are_read_by_protocol() {
        let ec2 = classify(&raw(
            "POST / HTTP/1.1",
            &[&signed("ec2")],
            "Action=DescribeVolumes&Version=2016-11-15",
        ));
        assert_eq!(
            ec2,
            Call {
                protocol: Protocol::Ec2Query,
                service: "ec2".into(),
                region: "eu-west-1".into(),
                operation: "DescribeVolumes".into()
            }
        );
        let iam = classify(&raw(
            "POST / HTTP/1.1",
            &[&signed("iam")],
            "Action=ListRoles",
        ));
        assert_eq!(iam.protocol, Protocol::AwsQuery);
        let kms = classify(&raw(
            "POST / HTTP/1.1",
            &[
                &signed("kms"),
                "X-Amz-Target: TrentService.ListKeys",
                "Content-Type: application/x-amz-json-1.1",
            ],
            "{}",
        ));
        assert_eq!(
            (kms.protocol, kms.operation.as_str()),
            (Protocol::AwsJson("1.1"), "ListKeys")
        );
        let s3 = classify(&raw(
            "GET /phi-records?policy HTTP/1.1",
            &[&signed("s3")],
            "",
        ));
        assert_eq!(
            (s3.protocol, s3.operation.as_str()),
            (Protocol::S3, "GET 1 ?policy")
        );
        let efs = classify(&raw(
            "GET /2015-02-01/file-systems HTTP/1.1",
            &[&signed("elasticfilesystem")],
            "",
        ));
        assert_eq!(efs.protocol, Protocol::RestJson);
        let cf = classify(&raw(
            "GET /2020-05-31/distribution HTTP/1.1",
            &[&signed("cloudfront")],
            "",
        ));
        assert_eq!(cf.protocol, Protocol::RestXml);
    }

    #[test]
    fn arm_and_google_requests_are_read_by_path() {
        let arm = classify(&raw(
            "GET /subscriptions/s1/providers/Microsoft.Compute/disks?api-version=2023-04-02 HTTP/1.1",
            &["Authorization: Bearer x"],
            "",
        ));
        assert_eq!(
            (arm.protocol, arm.service.as_str(), arm.operation.as_str()),
            (
                Protocol::Arm,
                "microsoft.compute",
                "GET microsoft.compute/disks"
            )
        );
        let gcp = classify(&raw(
            "GET /compute/v1/projects/p1/aggregated/disks?pageToken=x HTTP/1.1",
            &["Authorization: Bearer x"],
            "",
        ));
        assert_eq!(
            (gcp.protocol, gcp.service.as_str()),
            (Protocol::Google, "compute")
        );
        // Two projects' calls of one operation share the operation's shape.
        let other = classify(&raw(
            "GET /compute/v1/projects/p2/aggregated/disks HTTP/1.1",
            &[],
            "",
        ));
        assert_eq!(gcp.operation, other.operation);
    }

    fn code_of(call: &Call) -> (u16, String) {
        let (status, headers, body) = throttled(call, Duration::from_millis(50), 1);
        let header = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v.clone())
        };
        let code = if let Some(t) = header("x-amzn-ErrorType") {
            t
        } else if body.starts_with('{') {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            v["__type"]
                .as_str()
                .or(v["error"]["status"].as_str())
                .or(v["error"]["code"].as_str())
                .unwrap()
                .to_string()
        } else {
            let start = body.find("<Code>").unwrap() + 6;
            body[start..start + body[start..].find('<').unwrap()].to_string()
        };
        (status, code)
    }

    fn call(protocol: Protocol) -> Call {
        Call {
            protocol,
            service: "svc".into(),
            region: String::new(),
            operation: "Op".into(),
        }
    }

    #[test]
    fn each_protocol_gets_its_service_s_throttling_error() {
        for (p, want) in [
            (Protocol::Ec2Query, (503, "RequestLimitExceeded")),
            (Protocol::AwsQuery, (400, "Throttling")),
            (Protocol::AwsJson("1.0"), (400, "ThrottlingException")),
            (Protocol::RestJson, (429, "ThrottlingException")),
            (Protocol::S3, (503, "SlowDown")),
            (Protocol::RestXml, (400, "Throttling")),
            (Protocol::Arm, (429, "TooManyRequests")),
            (Protocol::Google, (429, "RESOURCE_EXHAUSTED")),
        ] {
            assert_eq!(code_of(&call(p)), (want.0, want.1.to_string()), "{p:?}");
        }
    }

    #[test]
    fn arm_says_when_to_retry_in_whole_seconds() {
        let (_, headers, _) = throttled(&call(Protocol::Arm), Duration::from_millis(1200), 1);
        assert!(headers.contains(&("Retry-After".into(), "2".into())));
        let (_, headers, _) = throttled(&call(Protocol::Arm), Duration::from_millis(10), 1);
        assert!(headers.contains(&("Retry-After".into(), "1".into())));
    }
}
