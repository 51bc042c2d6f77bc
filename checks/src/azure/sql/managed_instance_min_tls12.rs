use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::SqlManagedInstance;

use crate::azure::support::tls12_verdict;

declare_check! {
    /// ## What it checks
    /// Every Azure SQL managed instance's `minimalTlsVersion` is `1.2` or newer, as
    /// `azure-sql-min-tls12` demands of logical servers. `1.0`, `1.1`, `None` (any version
    /// accepted), unrecognised values and an unreported value FAIL.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996) and weaken the protection of ePHI in transit
    /// between applications and the instance: transmission security (45 CFR 164.312(e)(1)),
    /// integrity controls (164.312(e)(2)(i)) and encryption (164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `minimal_tls_version` (as reported, null when omitted).
    ///
    /// ## Remediation
    /// `az sql mi update -g <rg> -n <instance> --minimal-tls-version 1.2`.
    pub struct SqlManagedInstanceMinTls12 {
        id: "azure-sql-managed-instance-min-tls12",
        title: "SQL managed instances require TLS 1.2 or newer",
        severity: Medium,
        provider: Azure,
        kinds: [AzureSqlManagedInstance],
        controls: [TransmissionSecurity, TransmissionIntegrityControls, TransmissionEncryption],
    }
}

impl Check for SqlManagedInstanceMinTls12 {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SqlManagedInstance>()
            .iter()
            .map(|mi| {
                let (ok, reason) = tls12_verdict(
                    "minimalTlsVersion",
                    mi.minimal_tls_version.as_deref(),
                    "instances that never set it accepted TLS 1.0.",
                );
                ctx.verdict(ok, &mi.resource)
                    .evidence("minimal_tls_version", &mi.minimal_tls_version)
                    .reason(reason)
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
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_sql_managed_instances = [Some("1.2"), Some("1.1"), Some("None"), None]
            .into_iter()
            .map(|v| SqlManagedInstance {
                minimal_tls_version: v.map(Into::into),
                ..sql_managed_instance(v.unwrap_or("silent"))
            })
            .collect();
        let f = run(&SqlManagedInstanceMinTls12, &inv);
        f.assert_statuses(&[("1.2", Status::Pass), ("1.1", Status::Fail), ("None", Status::Fail), ("silent", Status::Fail)]);
    }
}
