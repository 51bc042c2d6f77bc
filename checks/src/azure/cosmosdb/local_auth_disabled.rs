use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::CosmosDbAccount;

use crate::azure::support::flag_verdict;

declare_check! {
    /// ## What it checks
    /// Every Cosmos DB account refuses key-based authentication: `disableLocalAuth` is
    /// `true`, so data-plane requests must carry a Microsoft Entra ID token (and Cosmos DB
    /// RBAC decides what each identity may read). `false` and not reported (ARM's default
    /// is `false`: primary and secondary keys work) FAIL.
    ///
    /// ## Why it matters
    /// An account key is a shared secret that reads and writes every container and names no
    /// person: access to ePHI is neither attributable (unique user identification and
    /// person or entity authentication, 45 CFR 164.312(a)(2)(i), 164.312(d)) nor limited to
    /// what each workload needs (access control, 164.312(a)(1)).
    ///
    /// ## Evidence
    /// `disable_local_auth` (null when not reported).
    ///
    /// ## Remediation
    /// Give each application an Entra ID identity and a Cosmos DB data-plane role
    /// (`az cosmosdb sql role assignment create`), move the SDK clients to token credentials,
    /// then `az resource update --ids <account-id> --set properties.disableLocalAuth=true`.
    pub struct CosmosDbLocalAuthDisabled {
        id: "azure-cosmosdb-local-auth-disabled",
        title: "Cosmos DB accounts refuse account-key authentication",
        severity: Medium,
        provider: Azure,
        kinds: [AzureCosmosDbAccount],
        controls: [AccessControl, PersonEntityAuthentication],
    }
}

impl Check for CosmosDbLocalAuthDisabled {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<CosmosDbAccount>()
            .iter()
            .map(|a| {
                let (ok, reason) = flag_verdict(
                    a.disable_local_auth,
                    true,
                    [
                        "Key-based authentication is disabled: only Entra ID tokens are accepted.",
                        "Key-based authentication is enabled: anyone holding an account key reads and writes every container.",
                        "ARM did not report disableLocalAuth; an account that never set it accepts its account keys.",
                    ],
                );
                ctx.verdict(ok, &a.resource)
                    .evidence("disable_local_auth", a.disable_local_auth)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::cosmosdb_account;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_cosmosdb_accounts = [("off", Some(true)), ("keys", Some(false)), ("silent", None)]
            .into_iter()
            .map(|(id, v)| CosmosDbAccount {
                disable_local_auth: v,
                ..cosmosdb_account(id)
            })
            .collect();
        let f = run(&CosmosDbLocalAuthDisabled, &inv);
        f.assert_statuses(&[("off", Status::Pass), ("keys", Status::Fail), ("silent", Status::Fail)]);
    }
}
