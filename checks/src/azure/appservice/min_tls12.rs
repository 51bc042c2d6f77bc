use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::WebApp;

use crate::azure::support::tls12_verdict;

declare_check! {
    /// ## What it checks
    /// Every App Service web app's site configuration sets `minTlsVersion` to `1.2` or `1.3`
    /// (read from the app's `config/web`). `1.0`, `1.1`, unrecognised values and an
    /// unreported value FAIL. The deployment (SCM/Kudu) endpoint's `scmMinTlsVersion` is
    /// recorded as evidence.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996): a client negotiating them gets weaker
    /// protection for the ePHI the app serves: transmission security (45 CFR 164.312(e)(1)),
    /// integrity controls (164.312(e)(2)(i)) and encryption (164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `min_tls_version`, `scm_min_tls_version` (as reported, null when omitted).
    ///
    /// ## Remediation
    /// `az webapp config set -n <app> -g <rg> --min-tls-version 1.2` (and
    /// `--scm-min-tls-version 1.2`).
    pub struct AppServiceMinTls12 {
        id: "azure-appservice-min-tls12",
        title: "App Service apps require TLS 1.2 or newer",
        severity: Medium,
        provider: Azure,
        kinds: [AzureWebApp],
        controls: [TransmissionSecurity, TransmissionIntegrityControls, TransmissionEncryption],
    }
}

impl Check for AppServiceMinTls12 {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<WebApp>()
            .iter()
            .map(|a| {
                let (ok, reason) = tls12_verdict(
                    "minTlsVersion",
                    a.min_tls_version.as_deref(),
                    "the minimum cannot be shown to be TLS 1.2.",
                );
                ctx.verdict(ok, &a.resource)
                    .evidence("min_tls_version", &a.min_tls_version)
                    .evidence("scm_min_tls_version", &a.scm_min_tls_version)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::web_app;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_web_apps = [Some("1.2"), Some("1.3"), Some("1.0"), Some("1.1"), None]
            .into_iter()
            .map(|v| WebApp {
                min_tls_version: v.map(Into::into),
                ..web_app(v.unwrap_or("silent"))
            })
            .collect();
        let f = run(&AppServiceMinTls12, &inv);
        f.assert_statuses(&[("1.2", Status::Pass), ("1.3", Status::Pass), ("1.0", Status::Fail), ("1.1", Status::Fail), ("silent", Status::Fail)]);
    }
}
