use super::*;

fn from_body(status: u16, body: &str) -> Failure {
    let mut f = Failure {
        http_status: Some(status),
        ..Failure::default()
    };
    f.merge_body(body.as_bytes());
    f
}

#[test]
fn service_disabled_names_the_api_to_enable() {
    let f = from_body(
        403,
        r#"{"error": {"code": 403, "status": "PERMISSION_DENIED",
           "message": "Cloud SQL Admin API has not been used in project 123 before or it is disabled.",
           "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED",
             "domain": "googleapis.com", "metadata": {"service": "sqladmin.googleapis.com", "consumer": "projects/123"}}]}}"#,
    );
    let r = f.reason(Service::SqlAdmin, "instances.list", "p1");
    assert!(r.starts_with("SERVICE_DISABLED: the Cloud SQL Admin API (sqladmin.googleapis.com) is not enabled in project p1"), "{r}");
    assert!(
        r.contains("gcloud services enable sqladmin.googleapis.com --project p1"),
        "{r}"
    );
    assert!(!f.retryable());
    assert_eq!(f.code(), "SERVICE_DISABLED");
}

#[test]
fn permission_denied_names_the_permission_and_is_not_retried() {
    let f = from_body(
        403,
        r#"{"error": {"code": 403, "status": "PERMISSION_DENIED", "message": "Permission denied",
           "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "IAM_PERMISSION_DENIED",
             "metadata": {"permission": "cloudkms.keyRings.list"}}]}}"#,
    );
    assert!(!f.retryable());
    let r = f.reason(Service::Kms, "projects.locations.keyRings.list", "p");
    assert_eq!(r, "PERMISSION_DENIED: cloudkms.projects.locations.keyRings.list was refused (missing permission cloudkms.keyRings.list): Permission denied");
}

#[test]
fn throttling_is_retried_and_reported_after_the_last_attempt() {
    let mut f = from_body(
        429,
        r#"{"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "Quota exceeded"}}"#,
    );
    assert!(f.retryable());
    f.attempts = MAX_THROTTLED_ATTEMPTS;
    let r = f.reason(Service::Compute, "disks.aggregatedList", "p");
    assert!(r.contains("still throttled after 10 attempts"), "{r}");
    let legacy = from_body(
        403,
        r#"{"error": {"code": 403, "message": "Rate limit", "errors": [{"reason": "rateLimitExceeded", "domain": "usageLimits"}]}}"#,
    );
    assert!(legacy.retryable());
    assert!(!from_body(404, "not json").retryable());
}

#[test]
fn urls_never_reach_a_message() {
    assert_eq!(
        without_urls("cannot connect: error sending request for url (http://127.0.0.1:9/compute/v1/projects/p/aggregated/disks?pageToken=abc&%24alt=json)"),
        "cannot connect: error sending request for url (<url>)"
    );
    assert_eq!(
        without_urls("https://a/b?x=1 and http://c"),
        "<url> and <url>"
    );
    assert_eq!(without_urls("no url here"), "no url here");
}
