//! Application gateways, their listeners and backend settings.

use super::{arm_ref, EAST};
use crate::model::azure::{
    AppGatewayBackendSetting, AppGatewayListener, AppGatewaySslPolicy, ApplicationGateway,
};
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    // The patient portal's gateway: TLS 1.2 policy, port 80 only redirects, HTTPS to the
    // app servers. The legacy partner gateway still offers TLS 1.0, serves its API over
    // plain HTTP too, and forwards its API rule to the servers over HTTP.
    inv.azure_application_gateways = vec![
        app_gateway(
            "agw-qolty-portal",
            "rg-ephi-prod",
            vec![
                listener(
                    "portal-https",
                    "Https",
                    443,
                    Some("AppGwSslPolicy20220101"),
                    false,
                ),
                listener("portal-http-redirect", "Http", 80, None, true),
            ],
            vec![backend(
                "portal-app-https",
                "Https",
                443,
                "portal-https-rule",
            )],
        ),
        app_gateway(
            "agw-qolty-legacy-partners",
            "rg-qolty-legacy",
            vec![
                listener(
                    "partners-https",
                    "Https",
                    443,
                    Some("AppGwSslPolicy20150501"),
                    false,
                ),
                listener("partners-http", "Http", 80, None, false),
            ],
            vec![
                backend("partners-app-https", "Https", 443, "partners-https-rule"),
                backend("partners-api-http", "Http", 8080, "partners-http-rule"),
            ],
        ),
    ];
}

fn listener(
    name: &str,
    protocol: &str,
    port: u16,
    policy: Option<&str>,
    redirect: bool,
) -> AppGatewayListener {
    AppGatewayListener {
        name: name.into(),
        protocol: protocol.into(),
        port: Some(port),
        ssl_profile: None,
        ssl_policy: policy.map(|p| AppGatewaySslPolicy {
            policy_type: Some("Predefined".into()),
            policy_name: Some(p.into()),
            min_protocol_version: None,
        }),
        redirects_to_https: redirect,
    }
}

fn backend(name: &str, protocol: &str, port: u16, rule: &str) -> AppGatewayBackendSetting {
    AppGatewayBackendSetting {
        name: name.into(),
        protocol: protocol.into(),
        port: Some(port),
        rules: vec![rule.into()],
    }
}

fn app_gateway(
    name: &str,
    rg: &str,
    listeners: Vec<AppGatewayListener>,
    backends: Vec<AppGatewayBackendSetting>,
) -> ApplicationGateway {
    ApplicationGateway {
        resource: arm_ref(
            ResourceKind::AzureApplicationGateway,
            EAST,
            rg,
            "Microsoft.Network/applicationGateways",
            name,
        ),
        ssl_policy: listeners.iter().find_map(|l| l.ssl_policy.clone()),
        listeners,
        backend_settings: Some(backends),
    }
}
