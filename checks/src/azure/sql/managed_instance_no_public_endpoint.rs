use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::SqlManagedInstance;

use crate::azure::support::flag_verdict;

declare_check! {
    /// ## What it checks
    /// No Azure SQL managed instance has its public data endpoint on:
    /// `publicDataEndpointEnabled` is `false` (ARM's default), so the instance answers only
    /// inside its virtual network. `true` FAILs, and so does an instance for which ARM
    /// reports nothing (the endpoint cannot be shown off).
    ///
    /// ## Why it matters
    /// The public endpoint (port 3342) puts the database engine holding ePHI on the
    /// internet, guarded only by NSG rules and passwords; the policies promise that
    /// databases are reached only through the internal network: access control (45 CFR
    /// 164.312(a)(1)) and transmission security (164.312(e)(1)).
    ///
    /// ## Evidence
    /// `public_data_endpoint_enabled` (null when not reported).
    ///
    /// ## Remediation
    /// `az sql mi update -g <rg> -n <instance> --public-data-endpoint-enabled false`; reach
    /// the instance through VNet peering, VPN or a private endpoint instead.
    pub struct SqlManagedInstanceNoPublicEndpoint {
        id: "azure-sql-managed-instance-no-public-endpoint",
        title: "SQL managed instances have no public data endpoint",
        severity: High,
        provider: Azure,
        kinds: [AzureSqlManagedInstance],
        controls: [AccessControl, TransmissionSecurity],
    }
}

impl Check for SqlManagedInstanceNoPublicEndpoint {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SqlManagedInstance>()
            .iter()
            .map(|mi| {
                let (ok, reason) = flag_verdict(
                    mi.public_data_endpoint_enabled,
                    false,
                    [
                        "The public data endpoint is off: the instance answers only inside its virtual network.",
                        "The public data endpoint is on: the instance answers on the internet (port 3342).",
                        "ARM did not report publicDataEndpointEnabled, so the public endpoint cannot be shown off.",
                    ],
                );
                ctx.verdict(ok, &mi.resource)
                    .evidence("public_data_endpoint_enabled", mi.public_data_endpoint_enabled)
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
        inv.azure_sql_managed_instances = [("off", Some(false)), ("on", Some(true)), ("silent", None)]
            .into_iter()
            .map(|(id, v)| SqlManagedInstance {
                public_data_endpoint_enabled: v,
                ..sql_managed_instance(id)
            })
            .collect();
        let f = run(&SqlManagedInstanceNoPublicEndpoint, &inv);
        f.assert_statuses(&[("off", Status::Pass), ("on", Status::Fail), ("silent", Status::Fail)]);
    }
}
