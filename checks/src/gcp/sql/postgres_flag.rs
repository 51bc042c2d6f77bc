//! What the Postgres logging-flag checks share: find a boolean flag, judge it on.

use phiscan_core::check::{Ctx, Finding, FindingError};
use phiscan_core::model::gcp::SqlInstance;

/// Postgres' spellings of true (`on` is what Cloud SQL shows; the server accepts all).
fn is_on(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "on" | "true" | "yes" | "1"
    )
}

/// One finding per instance: PASS when `flag` is on, FAIL when off or unset (Postgres'
/// and Cloud SQL's default for these flags is off), NOT_APPLICABLE for other engines.
pub fn evaluate(ctx: &Ctx, flag: &str, records: &str) -> Result<Vec<Finding>, FindingError> {
    ctx.resources::<SqlInstance>()
        .iter()
        .map(|i| {
            let value = i
                .database_flags
                .iter()
                .find(|f| f.name == flag)
                .map(|f| f.value.as_str());
            let builder = if !i.database_version.starts_with("POSTGRES") {
                ctx.not_applicable(&i.resource).reason(format!(
                    "The instance runs {}, not PostgreSQL: {flag} is a PostgreSQL flag.",
                    i.database_version
                ))
            } else {
                match value {
                    Some(v) if is_on(v) => ctx
                        .pass(&i.resource)
                        .reason(format!("The database flag {flag} is {v}: the server logs {records}.")),
                    Some(v) => ctx.fail(&i.resource).reason(format!(
                        "The database flag {flag} is {v}: the server does not log {records}."
                    )),
                    None => ctx.fail(&i.resource).reason(format!(
                        "The database flag {flag} is not set, so it is off (the PostgreSQL default): the server does not log {records}."
                    )),
                }
            };
            builder
                .evidence("flag", flag)
                .evidence("value", value)
                .evidence("database_version", &i.database_version)
                .build()
        })
        .collect()
}
