use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::WebApp;

declare_check! {
    /// ## What it checks
    /// Every App Service web app's site configuration sets `ftpsState` to `FtpsOnly` (FTP
    /// over TLS only) or `Disabled` (no FTP endpoint). `AllAllowed` (plain FTP accepted),
    /// unrecognised values and an unreported value FAIL.
    ///
    /// ## Why it matters
    /// Plain FTP sends the deployment credentials and the files (application code,
    /// configuration with connection strings, data files) in cleartext: transmission
    /// security and encryption (45 CFR 164.312(e)(1), 164.312(e)(2)(ii)), and whoever reads
    /// the credentials can change the app that handles ePHI (integrity, 164.312(c)(1)).
    ///
    /// ## Evidence
    /// `ftps_state` (as reported, null when omitted).
    ///
    /// ## Remediation
    /// `az webapp config set -n <app> -g <rg> --ftps-state Disabled` (or `FtpsOnly` where a
    /// deployment still needs FTP).
    pub struct AppServiceFtpsOnlyOrDisabled {
        id: "azure-appservice-ftps-only-or-disabled",
        title: "App Service apps refuse plain FTP",
        severity: Medium,
        provider: Azure,
        kinds: [AzureWebApp],
        controls: [TransmissionSecurity, TransmissionEncryption, Integrity],
    }
}

impl Check for AppServiceFtpsOnlyOrDisabled {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<WebApp>()
            .iter()
            .map(|a| {
                let state = a.ftps_state.as_deref().map(str::trim);
                let (ok, reason) = match state {
                    Some(s) if s.eq_ignore_ascii_case("Disabled") => (true, "FTP is disabled.".to_string()),
                    Some(s) if s.eq_ignore_ascii_case("FtpsOnly") => (true, "Only FTPS (FTP over TLS) is accepted.".to_string()),
                    Some(s) if s.eq_ignore_ascii_case("AllAllowed") => (false, "ftpsState is AllAllowed: plain FTP is accepted, credentials and files travel in cleartext.".to_string()),
                    Some(other) => (false, format!("ftpsState {other:?} is not one phiscan recognises as FTPS-only or disabled.")),
                    None => (false, "ARM did not report ftpsState; plain FTP cannot be shown to be refused.".to_string()),
                };
                ctx.verdict(ok, &a.resource)
                    .evidence("ftps_state", &a.ftps_state)
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
        inv.azure_web_apps = [Some("Disabled"), Some("FtpsOnly"), Some("AllAllowed"), None]
            .into_iter()
            .map(|v| WebApp {
                ftps_state: v.map(Into::into),
                ..web_app(v.unwrap_or("silent"))
            })
            .collect();
        let f = run(&AppServiceFtpsOnlyOrDisabled, &inv);
        f.assert_statuses(&[("Disabled", Status::Pass), ("FtpsOnly", Status::Pass), ("AllAllowed", Status::Fail), ("silent", Status::Fail)]);
    }
}
