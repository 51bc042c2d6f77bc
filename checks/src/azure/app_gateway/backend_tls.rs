use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::ApplicationGateway;
use serde_json::json;

declare_check! {
    /// ## What it checks
    /// Every backend HTTP setting of an Application Gateway (`backendHttpSettingsCollection`)
    /// uses `Https`: the protocol of the hop from the gateway to the application servers. An
    /// `Http` setting fails whether or not a routing rule uses it today (any rule can be
    /// pointed at it). A gateway without backend settings forwards nothing and is
    /// NOT_APPLICABLE; one read from an inventory saved before phiscan recorded its backend
    /// settings is ERROR (unknown, not compliant).
    ///
    /// Azure Load Balancer (layer 4) cannot terminate TLS: it passes the client's TCP
    /// stream, TLS included, to the backend unchanged, so there is no backend protocol to
    /// judge there. Azure Front Door's origin protocol and the gateway's layer-4 proxy
    /// settings (`backendSettingsCollection`, `Tcp`/`Tls`) are not read by this check.
    ///
    /// ## Why it matters
    /// The policies promise that "data is transmitted from the load balancers to the
    /// application servers over an SSL encrypted session". The listener's TLS ends at the
    /// gateway; an `Http` backend setting carries the ePHI across the virtual network in
    /// clear text (transmission security, 45 CFR 164.312(e)(1); encryption,
    /// 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `backend_settings` (each setting's name, protocol, port and the routing rules that
    /// use it: `rule`, or `rule/path-rule` through a URL path map), `plain` (the names of
    /// the settings that are not `Https`).
    ///
    /// ## Remediation
    /// Serve TLS on the backend servers and switch the setting to HTTPS (`az network
    /// application-gateway http-settings update -g <rg> --gateway-name <gw> -n <setting>
    /// --protocol Https --port 443`), with a trusted root certificate for self-signed
    /// backends.
    pub struct AppGatewayBackendTls {
        id: "azure-appgw-backend-tls",
        title: "Application Gateways forward to their backends over HTTPS",
        severity: High,
        provider: Azure,
        kinds: [AzureApplicationGateway],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for AppGatewayBackendTls {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<ApplicationGateway>()
            .iter()
            .map(|g| {
                let Some(settings) = &g.backend_settings else {
                    return ctx
                        .error(&g.resource)
                        .evidence("backend_settings", "not recorded")
                        .reason("The gateway's backend HTTP settings were not recorded (inventory saved by an older phiscan): how it reaches its backends is unknown.")
                        .build();
                };
                let plain: Vec<&str> = settings
                    .iter()
                    .filter(|s| !s.protocol.eq_ignore_ascii_case("Https"))
                    .map(|s| s.name.as_str())
                    .collect();
                let listed: Vec<_> = settings
                    .iter()
                    .map(|s| json!({"name": s.name, "protocol": s.protocol, "port": s.port, "rules": s.rules}))
                    .collect();
                let b = if settings.is_empty() {
                    ctx.not_applicable(&g.resource)
                        .reason("The gateway has no backend HTTP settings: it forwards to no backend.")
                } else if plain.is_empty() {
                    ctx.pass(&g.resource).reason(format!(
                        "All {} backend HTTP setting(s) use HTTPS: traffic to the application servers is encrypted.",
                        settings.len()
                    ))
                } else {
                    ctx.fail(&g.resource).reason(format!(
                        "Backend HTTP setting(s) {} forward to the application servers without TLS.",
                        plain.join(", ")
                    ))
                };
                b.evidence("backend_settings", listed)
                    .evidence("plain", &plain)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::{app_gateway_backend, application_gateway};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let gw = |id: &str, settings: Option<Vec<_>>| {
            let mut g = application_gateway(id, vec![]);
            g.backend_settings = settings;
            g
        };
        inv.azure_application_gateways = vec![
            gw("tls", Some(vec![app_gateway_backend("app", "Https", &["r1"])])),
            gw(
                "mixed",
                Some(vec![
                    app_gateway_backend("app", "Https", &["r1"]),
                    app_gateway_backend("legacy", "Http", &[]),
                ]),
            ),
            gw("none", Some(vec![])),
            gw("old-inventory", None),
        ];
        let f = run(&AppGatewayBackendTls, &inv);
        f.assert_statuses(&[
            ("tls", Status::Pass),
            // An unused HTTP setting fails too: a rule can use it any time.
            ("mixed", Status::Fail),
            ("none", Status::NotApplicable),
            ("old-inventory", Status::Error),
        ]);
        assert_eq!(f.evidence_of("mixed", "plain"), json!(["legacy"]));
        assert_eq!(
            f.evidence_of("tls", "backend_settings")[0]["rules"],
            json!(["r1"])
        );
    }
}
