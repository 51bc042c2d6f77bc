use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::SqlManagedInstance;

declare_check! {
    /// ## What it checks
    /// Every database of every Azure SQL managed instance has transparent data encryption
    /// on: each database's `transparentDataEncryption/current` state is `Enabled`. An
    /// instance FAILs naming the databases whose state is `Disabled` or not reported. An
    /// instance without user databases is NOT_APPLICABLE (nothing is stored yet).
    ///
    /// ## Why it matters
    /// TDE encrypts the data files, logs and backups at rest; a database with it turned off
    /// leaves ePHI readable from its storage and backup copies: encryption and decryption
    /// (45 CFR 164.312(a)(2)(iv)). The policies promise that data at rest is encrypted.
    ///
    /// ## Evidence
    /// `databases` (each name with its `tde_state`), `unencrypted`.
    ///
    /// ## Remediation
    /// `ALTER DATABASE [<db>] SET ENCRYPTION ON;` on the instance (TDE of managed instance
    /// databases is set in T-SQL), then confirm the state is `Enabled`.
    pub struct SqlManagedInstanceTde {
        id: "azure-sql-managed-instance-tde",
        title: "SQL managed instance databases have transparent data encryption on",
        severity: High,
        provider: Azure,
        kinds: [AzureSqlManagedInstance],
        controls: [EncryptionDecryption],
    }
}

impl Check for SqlManagedInstanceTde {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SqlManagedInstance>()
            .iter()
            .map(|mi| {
                let unencrypted: Vec<&str> = mi
                    .databases
                    .iter()
                    .filter(|d| !d.tde_state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("Enabled")))
                    .map(|d| d.name.as_str())
                    .collect();
                let builder = if mi.databases.is_empty() {
                    ctx.not_applicable(&mi.resource)
                        .reason("The instance has no user database yet.")
                } else if unencrypted.is_empty() {
                    ctx.pass(&mi.resource).reason(format!(
                        "All {} database(s) have transparent data encryption enabled.",
                        mi.databases.len()
                    ))
                } else {
                    ctx.fail(&mi.resource).reason(format!(
                        "Transparent data encryption is not enabled on {}.",
                        unencrypted.join(", ")
                    ))
                };
                builder
                    .evidence("databases", &mi.databases)
                    .evidence("unencrypted", &unencrypted)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::sql_managed_instance;
    use crate::testing::run;
    use phiscan_core::model::azure::ManagedDatabaseTde;
    use phiscan_core::{Inventory, Status};

    fn instance(id: &str, states: &[Option<&str>]) -> SqlManagedInstance {
        SqlManagedInstance {
            databases: states
                .iter()
                .enumerate()
                .map(|(i, s)| ManagedDatabaseTde {
                    name: format!("db{i}"),
                    tde_state: s.map(Into::into),
                })
                .collect(),
            ..sql_managed_instance(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_sql_managed_instances = vec![
            instance("all-on", &[Some("Enabled"), Some("Enabled")]),
            instance("one-off", &[Some("Enabled"), Some("Disabled")]),
            instance("silent", &[None]),
            instance("empty", &[]),
        ];
        let f = run(&SqlManagedInstanceTde, &inv);
        f.assert_statuses(&[("all-on", Status::Pass), ("one-off", Status::Fail)]);
        assert!(f.of("one-off").reason.contains("db1"));
        f.assert_statuses(&[("silent", Status::Fail), ("empty", Status::NotApplicable)]);
    }
}
