use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::SqlDatabase;

declare_check! {
    /// ## What it checks
    /// Every Azure SQL database has transparent data encryption (TDE) on: the state of its
    /// `transparentDataEncryption/current` is `Enabled`. `Disabled` FAILs; a state ARM did
    /// not report FAILs too (encryption cannot be shown from nothing).
    ///
    /// The `master` system database is NOT_APPLICABLE: Azure manages its TDE state and
    /// customers cannot change it (ARM may report it either way).
    ///
    /// ## Why it matters
    /// TDE encrypts the database files, logs and backups at rest. The encryption
    /// specification (45 CFR 164.312(a)(2)(iv)) and Qolty's promise that data at rest is
    /// encrypted "on all servers - databases, APIs, log servers" fail on one plaintext
    /// database, and its backups inherit the plaintext.
    ///
    /// ## Evidence
    /// `tde_state` (as reported, null when omitted) and `server_id`.
    ///
    /// ## Remediation
    /// `az sql db tde set --status Enabled -s <server> -d <database> -g <rg>` (portal:
    /// database > Transparent data encryption). New databases get TDE by default; a
    /// disabled one was switched off on purpose, so find out why first.
    pub struct SqlTdeEnabled {
        id: "azure-sql-tde-enabled",
        title: "Azure SQL databases have transparent data encryption on",
        severity: High,
        provider: Azure,
        kinds: [AzureSqlDatabase],
        controls: [EncryptionDecryption],
    }
}

impl Check for SqlTdeEnabled {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SqlDatabase>()
            .iter()
            .map(|db| {
                let state = db.tde_state.as_deref();
                if db.resource.name.eq_ignore_ascii_case("master") {
                    return ctx
                        .not_applicable(&db.resource)
                        .evidence("tde_state", state)
                        .evidence("server_id", &db.server_id)
                        .reason("master is a system database whose TDE state Azure manages; it holds no customer data to encrypt.")
                        .build();
                }
                let enabled = state.is_some_and(|s| s.eq_ignore_ascii_case("Enabled"));
                let reason = match state {
                    Some(s) if enabled => format!("Transparent data encryption is {s}."),
                    Some(s) => format!("Transparent data encryption is {s}: the database files and backups are not encrypted by TDE."),
                    None => "ARM did not report the transparent data encryption state, so encryption at rest cannot be shown.".to_string(),
                };
                ctx.verdict(enabled, &db.resource)
                    .evidence("tde_state", state)
                    .evidence("server_id", &db.server_id)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::sql_database;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn db(id: &str, state: Option<&str>) -> SqlDatabase {
        SqlDatabase {
            tde_state: state.map(Into::into),
            ..sql_database(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_sql_databases = vec![
            db("ehr", Some("Enabled")),
            db("claims", Some("Disabled")),
            db("unknown", None),
            db("master", Some("Disabled")),
        ];
        let f = run(&SqlTdeEnabled, &inv);
        assert_eq!(f.status_of("ehr"), Status::Pass);
        assert_eq!(f.status_of("claims"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Fail);
        assert_eq!(f.status_of("master"), Status::NotApplicable);
        assert!(f.of("unknown").reason.contains("did not report"));
    }
}
