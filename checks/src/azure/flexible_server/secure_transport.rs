//! Shared logic of the PostgreSQL and MySQL flexible-server TLS checks: both engines expose
//! the same `require_secure_transport` server parameter (`on`/`off` on PostgreSQL,
//! `ON`/`OFF` on MySQL), so one function judges both over `model::azure::FlexibleServer`.
//!
//! Decision: a parameter value ARM did not report FAILs ("not reported"). Both engines
//! default to `on` for new servers, but the parameter can be switched off at any time, so
//! the default proves nothing about this server.

use phiscan_core::check::{Ctx, Finding, FindingError};
use phiscan_core::model::azure::FlexibleServer;

/// One finding per server: PASS when `require_secure_transport` is on.
pub fn evaluate<'a>(
    ctx: &Ctx,
    servers: impl Iterator<Item = &'a FlexibleServer>,
    engine: &str,
) -> Result<Vec<Finding>, FindingError> {
    servers
        .map(|s| {
            let value = s.require_secure_transport.as_deref();
            let on = value.is_some_and(|v| v.trim().eq_ignore_ascii_case("on"));
            let reason = match value {
                Some(v) if on => format!("require_secure_transport is {v}: the {engine} server refuses unencrypted connections."),
                Some(v) if v.trim().eq_ignore_ascii_case("off") => format!(
                    "require_secure_transport is {v}: the {engine} server accepts unencrypted connections."
                ),
                Some(v) => format!("require_secure_transport has the unrecognised value {v:?}, so TLS cannot be shown to be required."),
                None => format!(
                    "The {engine} server's require_secure_transport parameter was not reported, so TLS cannot be shown to be required."
                ),
            };
            ctx.verdict(on, &s.resource)
                .evidence("require_secure_transport", value)
                .evidence("public_network_access", &s.public_network_access)
                .reason(reason)
                .build()
        })
        .collect()
}
