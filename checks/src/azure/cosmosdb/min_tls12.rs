use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::CosmosDbAccount;

use crate::azure::support::tls12_verdict;

declare_check! {
    /// ## What it checks
    /// Every Cosmos DB account's `minimalTlsVersion` is `Tls12` (or newer). `Tls` (TLS 1.0)
    /// and `Tls11` FAIL, as do values phiscan does not recognise and an account for which
    /// ARM reports no value (accounts created before the setting existed accepted TLS 1.0).
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996) and weaken the protection of ePHI in transit
    /// between applications and the database: transmission security (45 CFR 164.312(e)(1)),
    /// integrity controls (164.312(e)(2)(i)) and encryption (164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `minimal_tls_version` (as reported, null when omitted).
    ///
    /// ## Remediation
    /// `az cosmosdb update -n <account> -g <rg> --minimal-tls-version Tls12`, after checking
    /// that every client SDK negotiates TLS 1.2.
    pub struct CosmosDbMinTls12 {
        id: "azure-cosmosdb-min-tls12",
        title: "Cosmos DB accounts require TLS 1.2 or newer",
        severity: Medium,
        provider: Azure,
        kinds: [AzureCosmosDbAccount],
        controls: [TransmissionSecurity, TransmissionIntegrityControls, TransmissionEncryption],
    }
}

impl Check for CosmosDbMinTls12 {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<CosmosDbAccount>()
            .iter()
            .map(|a| {
                let (ok, reason) = tls12_verdict(
                    "minimalTlsVersion",
                    a.minimal_tls_version.as_deref(),
                    "accounts that never set it accepted TLS 1.0.",
                );
                ctx.verdict(ok, &a.resource)
                    .evidence("minimal_tls_version", &a.minimal_tls_version)
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
        inv.azure_cosmosdb_accounts = [Some("Tls12"), Some("Tls11"), Some("Tls"), None]
            .into_iter()
            .map(|v| CosmosDbAccount {
                minimal_tls_version: v.map(Into::into),
                ..cosmosdb_account(v.unwrap_or("silent"))
            })
            .collect();
        let f = run(&CosmosDbMinTls12, &inv);
        f.assert_statuses(&[("Tls12", Status::Pass), ("Tls11", Status::Fail), ("Tls", Status::Fail), ("silent", Status::Fail)]);
    }
}
