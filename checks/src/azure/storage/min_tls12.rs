use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::StorageAccount;

declare_check! {
    /// ## What it checks
    /// Every storage account's `minimumTlsVersion` is `TLS1_2` or `TLS1_3`. `TLS1_0` and
    /// `TLS1_1` FAIL. An account for which ARM reports no value FAILs too: the property is
    /// absent on accounts that never set it, and for those the effective minimum is TLS 1.0,
    /// the default of older accounts. Unrecognised values FAIL with the value named.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996) and weaken the encryption and integrity of
    /// ePHI in transit (45 CFR 164.312(e)(1), integrity controls 164.312(e)(2)(i),
    /// encryption 164.312(e)(2)(ii)); Qolty promises that "all data transmission is
    /// encrypted", which only holds with current protocol versions.
    ///
    /// ## Evidence
    /// `minimum_tls_version` (as reported, null when omitted) and `effective_minimum`.
    ///
    /// ## Remediation
    /// `az storage account update -n <account> -g <rg> --min-tls-version TLS1_2` (portal:
    /// Configuration > "Minimum TLS version"). Check the storage logs for clients still
    /// negotiating TLS 1.0/1.1 first.
    pub struct StorageMinTls12 {
        id: "azure-storage-min-tls12",
        title: "Storage accounts require TLS 1.2 or newer",
        severity: Medium,
        provider: Azure,
        kinds: [AzureStorageAccount],
        controls: [TransmissionSecurity, TransmissionIntegrityControls, TransmissionEncryption],
    }
}

impl Check for StorageMinTls12 {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<StorageAccount>()
            .iter()
            .map(|a| {
                let reported = a.minimum_tls_version.as_deref();
                let effective = reported.unwrap_or("TLS1_0");
                let (ok, reason) = match reported.map(str::to_ascii_uppercase).as_deref() {
                    Some("TLS1_2" | "TLS1_3") => (true, format!("The minimum TLS version is {effective}.")),
                    Some("TLS1_0" | "TLS1_1") => (
                        false,
                        format!("The minimum TLS version is {effective}: clients may connect with deprecated TLS."),
                    ),
                    Some(_) => (false, format!("The minimum TLS version {effective:?} is not one phiscan recognises as TLS 1.2 or newer.")),
                    None => (
                        false,
                        "ARM did not report minimumTlsVersion; an account that never set it accepts TLS 1.0 (the default of older accounts).".to_string(),
                    ),
                };
                ctx.verdict(ok, &a.resource)
                    .evidence("minimum_tls_version", reported)
                    .evidence("effective_minimum", effective)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::storage_account;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};
    use serde_json::json;

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        for (id, v) in [
            ("t10", "TLS1_0"),
            ("t11", "TLS1_1"),
            ("t12", "TLS1_2"),
            ("t13", "TLS1_3"),
            ("odd", "SSL3"),
        ] {
            let mut a = storage_account(id);
            a.minimum_tls_version = Some(v.into());
            inv.azure_storage_accounts.push(a);
        }
        inv.azure_storage_accounts.push(storage_account("omitted"));
        let f = run(&StorageMinTls12, &inv);
        assert_eq!(f.status_of("t10"), Status::Fail);
        assert_eq!(f.status_of("t11"), Status::Fail);
        assert_eq!(f.status_of("t12"), Status::Pass);
        assert_eq!(f.status_of("t13"), Status::Pass);
        assert_eq!(f.status_of("odd"), Status::Fail);
        assert_eq!(f.status_of("omitted"), Status::Fail);
        assert_eq!(
            f.evidence_of("omitted", "effective_minimum"),
            json!("TLS1_0")
        );
        assert_eq!(f.evidence_of("omitted", "minimum_tls_version"), json!(null));
    }
}
