use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::{AppGatewaySslPolicy, ApplicationGateway};
use serde_json::json;

declare_check! {
    /// ## What it checks
    /// Every HTTPS listener of an Application Gateway negotiates TLS 1.2 or newer. The policy
    /// in force on a listener is its SSL profile's `sslPolicy` when it has one, else the
    /// gateway's `sslPolicy`. Its minimum is `minProtocolVersion` when set, else the one of
    /// the predefined policy named: `AppGwSslPolicy20150501` is TLS 1.0,
    /// `AppGwSslPolicy20170401` TLS 1.1, `AppGwSslPolicy20170401S`, `AppGwSslPolicy20220101`
    /// and `AppGwSslPolicy20220101S` TLS 1.2.
    ///
    /// A listener without any policy reported FAILs: Azure then applies a default that
    /// depends on the API version the gateway was created with (TLS 1.0,
    /// `AppGwSslPolicy20150501`, for older gateways), which phiscan cannot see. So does an
    /// unknown predefined policy name. A gateway without HTTPS listeners is NOT_APPLICABLE
    /// (see `azure-appgw-no-plain-http` for its HTTP listeners).
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996). The gateway terminates the TLS that carries
    /// ePHI between users and the application: transmission security (45 CFR 164.312(e)(1)),
    /// integrity controls (164.312(e)(2)(i)) and encryption (164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `listeners` (each HTTPS listener: name, SSL profile, policy type and name, minimum
    /// version) and `weak_listeners`.
    ///
    /// ## Remediation
    /// `az network application-gateway ssl-policy set -g <rg> --gateway-name <gw>
    /// --policy-type Predefined --name AppGwSslPolicy20220101` (and the same on each SSL
    /// profile: `az network application-gateway ssl-profile update ... --policy-name
    /// AppGwSslPolicy20220101`).
    pub struct AppGatewayTls12Policy {
        id: "azure-appgw-tls12-policy",
        title: "Application Gateway HTTPS listeners require TLS 1.2 or newer",
        severity: Medium,
        provider: Azure,
        kinds: [AzureApplicationGateway],
        controls: [TransmissionSecurity, TransmissionIntegrityControls, TransmissionEncryption],
    }
}

/// The minimum TLS version a policy enforces, when phiscan can tell.
fn minimum(p: &AppGatewaySslPolicy) -> Option<&str> {
    if let Some(v) = p.min_protocol_version.as_deref() {
        return Some(v);
    }
    match p.policy_name.as_deref()?.to_ascii_lowercase().as_str() {
        "appgwsslpolicy20150501" => Some("TLSv1_0"),
        "appgwsslpolicy20170401" => Some("TLSv1_1"),
        "appgwsslpolicy20170401s" | "appgwsslpolicy20220101" | "appgwsslpolicy20220101s" => {
            Some("TLSv1_2")
        }
        _ => None,
    }
}

fn strong(version: Option<&str>) -> bool {
    version.is_some_and(|v| v.eq_ignore_ascii_case("TLSv1_2") || v.eq_ignore_ascii_case("TLSv1_3"))
}

impl Check for AppGatewayTls12Policy {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<ApplicationGateway>()
            .iter()
            .map(|g| {
                let https: Vec<_> = g
                    .listeners
                    .iter()
                    .filter(|l| l.protocol.eq_ignore_ascii_case("Https"))
                    .collect();
                let rows: Vec<serde_json::Value> = https
                    .iter()
                    .map(|l| {
                        let p = l.ssl_policy.as_ref();
                        json!({
                            "name": l.name,
                            "ssl_profile": l.ssl_profile,
                            "policy_type": p.and_then(|p| p.policy_type.as_deref()),
                            "policy_name": p.and_then(|p| p.policy_name.as_deref()),
                            "min_protocol_version": p.and_then(minimum),
                        })
                    })
                    .collect();
                let weak: Vec<String> = https
                    .iter()
                    .filter(|l| !strong(l.ssl_policy.as_ref().and_then(minimum)))
                    .map(|l| {
                        let why = match l.ssl_policy.as_ref() {
                            None => "no TLS policy reported".to_string(),
                            Some(p) => match minimum(p) {
                                Some(v) => format!("minimum {v}"),
                                None => format!(
                                    "unrecognised policy {}",
                                    p.policy_name
                                        .as_deref()
                                        .unwrap_or("without a name or minimum")
                                ),
                            },
                        };
                        format!("{} ({why})", l.name)
                    })
                    .collect();
                let builder = if https.is_empty() {
                    ctx.not_applicable(&g.resource)
                        .reason("The gateway has no HTTPS listener, so it negotiates no TLS.")
                } else if weak.is_empty() {
                    ctx.pass(&g.resource).reason(format!(
                        "All {} HTTPS listener(s) require TLS 1.2 or newer.",
                        https.len()
                    ))
                } else {
                    ctx.fail(&g.resource).reason(format!(
                        "HTTPS listener(s) {} accept TLS older than 1.2 or cannot be shown not to.",
                        weak.join(", ")
                    ))
                };
                builder
                    .evidence("listeners", rows)
                    .evidence("weak_listeners", &weak)
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
                "modern",
                vec![app_gateway_listener(
                    "a",
                    "Https",
                    Some(("AppGwSslPolicy20220101", "")),
                    false,
                )],
            ),
            application_gateway(
                "custom13",
                vec![app_gateway_listener(
                    "a",
                    "Https",
                    Some(("", "TLSv1_3")),
                    false,
                )],
            ),
            application_gateway(
                "old",
                vec![
                    app_gateway_listener(
                        "a",
                        "Https",
                        Some(("AppGwSslPolicy20220101S", "")),
                        false,
                    ),
                    app_gateway_listener("b", "Https", Some(("AppGwSslPolicy20150501", "")), false),
                ],
            ),
            application_gateway(
                "default",
                vec![app_gateway_listener("a", "Https", None, false)],
            ),
            application_gateway(
                "unknown",
                vec![app_gateway_listener(
                    "a",
                    "Https",
                    Some(("AppGwSslPolicy20990101", "")),
                    false,
                )],
            ),
            application_gateway(
                "http-only",
                vec![app_gateway_listener("a", "Http", None, false)],
            ),
        ];
        let f = run(&AppGatewayTls12Policy, &inv);
        assert_eq!(f.status_of("modern"), Status::Pass);
        assert_eq!(f.status_of("custom13"), Status::Pass);
        assert_eq!(f.status_of("old"), Status::Fail);
        assert!(f.of("old").reason.contains("b (minimum TLSv1_0)"));
        assert_eq!(f.status_of("default"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Fail);
        assert_eq!(f.status_of("http-only"), Status::NotApplicable);
    }
}
