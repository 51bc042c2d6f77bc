use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::WebApp;

use crate::azure::support::flag_verdict;

declare_check! {
    /// ## What it checks
    /// Every App Service web app (function apps included) has `httpsOnly` set: App Service
    /// answers plain HTTP requests with a redirect to HTTPS instead of serving them. `false`
    /// and not reported (the default is `false`) FAIL.
    ///
    /// ## Why it matters
    /// Without it the app serves pages, API responses and form posts holding ePHI over
    /// cleartext HTTP to any client that asks for `http://`: transmission security and
    /// encryption (45 CFR 164.312(e)(1), 164.312(e)(2)(ii)); the policies promise that "all
    /// data transmission is encrypted".
    ///
    /// ## Evidence
    /// `https_only` (null when not reported), `kind`.
    ///
    /// ## Remediation
    /// `az webapp update -n <app> -g <rg> --https-only true` (function apps:
    /// `az functionapp update ... --set httpsOnly=true`).
    pub struct AppServiceHttpsOnly {
        id: "azure-appservice-https-only",
        title: "App Service apps redirect HTTP to HTTPS",
        severity: High,
        provider: Azure,
        kinds: [AzureWebApp],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for AppServiceHttpsOnly {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<WebApp>()
            .iter()
            .map(|a| {
                let (ok, reason) = flag_verdict(
                    a.https_only,
                    true,
                    [
                        "HTTPS only is on: plain HTTP requests are redirected to HTTPS.",
                        "HTTPS only is off: the app answers plain HTTP requests.",
                        "ARM did not report httpsOnly; an app that never set it answers plain HTTP.",
                    ],
                );
                ctx.verdict(ok, &a.resource)
                    .evidence("https_only", a.https_only)
                    .evidence("kind", &a.kind)
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
        inv.azure_web_apps = [("on", Some(true)), ("off", Some(false)), ("silent", None)]
            .into_iter()
            .map(|(id, v)| WebApp {
                https_only: v,
                ..web_app(id)
            })
            .collect();
        let f = run(&AppServiceHttpsOnly, &inv);
        f.assert_statuses(&[("on", Status::Pass), ("off", Status::Fail), ("silent", Status::Fail)]);
    }
}
