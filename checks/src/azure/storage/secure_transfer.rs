use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::StorageAccount;

declare_check! {
    /// ## What it checks
    /// Every storage account has "secure transfer required" (`supportsHttpsTrafficOnly`)
    /// on, so its blob, file, queue and table endpoints refuse plain HTTP (and SMB without
    /// encryption).
    ///
    /// When ARM does not report the property the account PASSes, and the finding says the
    /// value was assumed: ARM defaults `supportsHttpsTrafficOnly` to true since API version
    /// 2019-04-01, and the collector reads accounts with a newer API version, so an omitted
    /// value is the default, true. The evidence records `reported: false` and
    /// `effective_value: true` so an auditor sees the assumption.
    ///
    /// ## Why it matters
    /// Transmission security (45 CFR 164.312(e)(1)) and its encryption specification
    /// (164.312(e)(2)(ii)) require ePHI in transit to be protected; Qolty promises that "all
    /// data transmission is encrypted". An account that accepts HTTP lets a client send or
    /// fetch ePHI in clear text.
    ///
    /// ## Evidence
    /// `supports_https_traffic_only` (as reported, null when omitted), `reported`,
    /// `effective_value` and `minimum_tls_version`.
    ///
    /// ## Remediation
    /// Portal: storage account > Configuration > "Secure transfer required" = Enabled; or
    /// `az storage account update -n <account> -g <rg> --https-only true`. Check first that
    /// no client still uses `http://` endpoints.
    pub struct StorageSecureTransfer {
        id: "azure-storage-secure-transfer",
        title: "Storage accounts require secure transfer (HTTPS only)",
        severity: High,
        provider: Azure,
        kinds: [AzureStorageAccount],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for StorageSecureTransfer {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<StorageAccount>()
            .iter()
            .map(|a| {
                let effective = a.supports_https_traffic_only.unwrap_or(true);
                let reason = match a.supports_https_traffic_only {
                    Some(true) => "Secure transfer is required (supportsHttpsTrafficOnly = true): the account refuses plain HTTP.".to_string(),
                    Some(false) => "Secure transfer is not required (supportsHttpsTrafficOnly = false): the account accepts plain HTTP.".to_string(),
                    None => "ARM did not report supportsHttpsTrafficOnly; it is taken as true, the ARM default since API 2019-04-01, which the collector's API version applies.".to_string(),
                };
                ctx.verdict(effective, &a.resource)
                    .evidence("supports_https_traffic_only", a.supports_https_traffic_only)
                    .evidence("reported", a.supports_https_traffic_only.is_some())
                    .evidence("effective_value", effective)
                    .evidence("minimum_tls_version", &a.minimum_tls_version)
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

    /// A storage account with everything unreported; tests set what they examine.
    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut https = storage_account("https");
        https.supports_https_traffic_only = Some(true);
        let mut http = storage_account("http");
        http.supports_https_traffic_only = Some(false);
        inv.azure_storage_accounts = vec![https, http, storage_account("omitted")];
        let f = run(&StorageSecureTransfer, &inv);
        assert_eq!(f.status_of("https"), Status::Pass);
        assert_eq!(f.status_of("http"), Status::Fail);
        assert_eq!(f.status_of("omitted"), Status::Pass);
        assert_eq!(f.evidence_of("omitted", "reported"), json!(false));
        assert_eq!(f.evidence_of("omitted", "effective_value"), json!(true));
        assert!(f.of("omitted").reason.contains("did not report"));
        assert_eq!(f.evidence_of("http", "effective_value"), json!(false));
    }
}
