use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::ApplicationGateway;

declare_check! {
    /// ## What it checks
    /// No Application Gateway serves content over plain HTTP: every `Http` listener's
    /// routing rules redirect to HTTPS (a redirect configuration whose target is an `Https`
    /// listener of the gateway or an `https://` URL; for path-based rules, the default and
    /// every path rule must redirect). An `Http` listener that routes to a backend pool, or
    /// that no rule uses, FAILs. A gateway without `Http` listeners PASSes.
    ///
    /// ## Why it matters
    /// Transmission security (45 CFR 164.312(e)(1)) and encryption (164.312(e)(2)(ii)): an
    /// HTTP listener that serves the application lets a browser send credentials and ePHI
    /// in clear text; the policies promise that "all data transmission is encrypted".
    ///
    /// ## Evidence
    /// `http_listeners` (names and ports), `unredirected` (those that do not redirect).
    ///
    /// ## Remediation
    /// Add a redirect: `az network application-gateway redirect-config create -g <rg>
    /// --gateway-name <gw> -n http-to-https --type Permanent --target-listener
    /// <https-listener> --include-path true --include-query-string true`, point the HTTP
    /// listener's rule at it, or delete the HTTP listener.
    pub struct AppGatewayNoPlainHttp {
        id: "azure-appgw-no-plain-http",
        title: "Application Gateways redirect HTTP to HTTPS",
        severity: High,
        provider: Azure,
        kinds: [AzureApplicationGateway],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for AppGatewayNoPlainHttp {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<ApplicationGateway>()
            .iter()
            .map(|g| {
                let http: Vec<_> = g
                    .listeners
                    .iter()
                    .filter(|l| l.protocol.eq_ignore_ascii_case("Http"))
                    .collect();
                let named = |l: &&phiscan_core::model::azure::AppGatewayListener| match l.port {
                    Some(p) => format!("{} (port {p})", l.name),
                    None => l.name.clone(),
                };
                let unredirected: Vec<String> = http
                    .iter()
                    .filter(|l| !l.redirects_to_https)
                    .map(named)
                    .collect();
                let reason = if http.is_empty() {
                    "The gateway has no HTTP listener.".to_string()
                } else if unredirected.is_empty() {
                    format!("All {} HTTP listener(s) redirect to HTTPS.", http.len())
                } else {
                    format!(
                        "HTTP listener(s) {} serve plain HTTP instead of redirecting to HTTPS.",
                        unredirected.join(", ")
                    )
                };
                ctx.verdict(unredirected.is_empty(), &g.resource)
                    .evidence("http_listeners", http.iter().map(named).collect::<Vec<_>>())
                    .evidence("unredirected", &unredirected)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::{app_gateway_listener, application_gateway};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_application_gateways = vec![
            application_gateway(
                "redirects",
                vec![
                    app_gateway_listener("http", "Http", None, true),
                    app_gateway_listener("https", "Https", None, false),
                ],
            ),
            application_gateway(
                "serves",
                vec![app_gateway_listener("http", "Http", None, false)],
            ),
            application_gateway(
                "tls-only",
                vec![app_gateway_listener("https", "Https", None, false)],
            ),
        ];
        let f = run(&AppGatewayNoPlainHttp, &inv);
        assert_eq!(f.status_of("redirects"), Status::Pass);
        assert_eq!(f.status_of("serves"), Status::Fail);
        assert_eq!(f.status_of("tls-only"), Status::Pass);
        assert!(f.of("serves").reason.contains("http"));
    }
}
