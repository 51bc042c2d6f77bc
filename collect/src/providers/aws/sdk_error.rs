//! Failed SDK calls in words an operator can act on.

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// A failed call in words an operator can act on: `AccessDenied: <message> (ec2:DescribeVolumes)`.
pub(crate) fn reason<E, R>(err: &SdkError<E, R>, action: &str) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    match err {
        SdkError::ServiceError(se) => {
            let e = se.err();
            match (e.code(), e.message()) {
                (Some(code), Some(m)) if !m.is_empty() => format!("{code}: {m} ({action})"),
                (Some(code), _) => format!("{code} ({action})"),
                // No error code: an answer the SDK could not read; its error says why.
                (None, _) => format!("{} ({action})", one_line(e)),
            }
        }
        other => format!("{} ({action})", one_line(other)),
    }
}

/// An error and its sources on one line ("dispatch failure: io error: connection refused"),
/// each message once: a CLI error is one line.
fn one_line(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let msg = e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !msg.is_empty() && !parts.iter().any(|p| p.contains(&msg)) {
            parts.push(msg);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// The service error code of a failed call, if the service answered.
pub(crate) fn code<E, R>(err: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match err {
        SdkError::ServiceError(se) => se.err().code(),
        _ => None,
    }
}

/// [`reason`], except for an answer without an AWS error code and with the status an
/// endpoint gives an operation it lacks (moto: a bare HTML 404, or a 500 from its
/// `NotImplementedError`): that is said plainly, so the ERROR reads "the endpoint does not
/// implement ..." rather than "unexpected token '<'". A real AWS 5xx carries an error code
/// (`InternalFailure`, `ServiceUnavailable`) and keeps its own reason.
pub(crate) fn reason_or_gap<E, R>(err: &SdkError<E, R>, action: &str) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
    SdkError<E, R>: RawStatus,
{
    match err.raw_status() {
        Some(status @ (404 | 500 | 501)) if code(err).is_none() => format!(
            "HTTP {status} with no AWS error code: the endpoint does not implement {action}"
        ),
        _ => reason(err, action),
    }
}

/// The HTTP status of a failed call's raw answer, when there is one.
pub(crate) trait RawStatus {
    fn raw_status(&self) -> Option<u16>;
}

impl<E> RawStatus for SdkError<E, aws_smithy_runtime_api::http::Response> {
    fn raw_status(&self) -> Option<u16> {
        self.raw_response().map(|r| r.status().as_u16())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sqs::operation::list_queues::ListQueuesError;
    use aws_smithy_runtime_api::http::{Response, StatusCode};
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    fn failed(status: u16, code: Option<&str>) -> SdkError<ListQueuesError, Response> {
        let mut meta = ErrorMetadata::builder().message("boom");
        if let Some(c) = code {
            meta = meta.code(c);
        }
        let raw = Response::new(
            StatusCode::try_from(status).unwrap(),
            SdkBody::from("<!doctype html><title>500 Internal Server Error</title>"),
        );
        SdkError::service_error(ListQueuesError::generic(meta.build()), raw)
    }

    /// An endpoint's bare 404/500 (moto without the operation) reads as a gap; an answer with
    /// an AWS error code, or any other status, keeps its own reason.
    #[test]
    fn a_bare_404_or_500_is_an_unimplemented_operation() {
        for status in [404, 500, 501] {
            assert_eq!(
                reason_or_gap(&failed(status, None), "sqs:ListQueues"),
                format!("HTTP {status} with no AWS error code: the endpoint does not implement sqs:ListQueues")
            );
        }
        assert_eq!(
            reason_or_gap(&failed(500, Some("InternalFailure")), "sqs:ListQueues"),
            "InternalFailure: boom (sqs:ListQueues)"
        );
        assert_eq!(
            reason_or_gap(&failed(403, Some("AccessDenied")), "sqs:ListQueues"),
            "AccessDenied: boom (sqs:ListQueues)"
        );
        assert!(!reason_or_gap(&failed(503, None), "sqs:ListQueues").contains("does not implement"));
    }
}
