//! Application gateways and their listeners.

use super::{arm_ref, EAST};
use crate::model::azure::{AppGatewayListener, AppGatewaySslPolicy, ApplicationGateway};
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    // The patient portal's gateway: TLS 1.2 policy, port 80 only redirects. The legacy
    // partner gateway still offers TLS 1.0 and serves its API over plain HTTP too.
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

fn app_gateway(name: &str, rg: &str, listeners: Vec<AppGatewayListener>) -> ApplicationGateway {
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
    }
}
