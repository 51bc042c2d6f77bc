//! `Microsoft.Network`: Application Gateways, with each listener's protocol, port, TLS policy
//! in force, and whether its routing rules redirect to HTTPS; and each backend HTTP setting's
//! protocol with the routing rules (directly or through a URL path map) that use it.
//!
//! The gateway's sub-resources come inline in the list response (listeners, frontend ports,
//! SSL profiles, routing rules, URL path maps, redirect configurations, backend HTTP
//! settings) and refer to each
//! other by id; this module resolves those references so the checks read plain values.
//! A listener with an SSL profile uses the profile's `sslPolicy` instead of the gateway's.

use serde::Deserialize;

use super::arm::{same_id, IdRef, Item};
use super::client::{Arm, Op};
use super::{fail, versions};
use crate::model::azure::{
    AppGatewayBackendSetting, AppGatewayListener, AppGatewaySslPolicy, ApplicationGateway,
};
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Properties {
    ssl_policy: Option<SslPolicy>,
    frontend_ports: Vec<Sub<PortProperties>>,
    ssl_profiles: Vec<Sub<ProfileProperties>>,
    http_listeners: Vec<Sub<ListenerProperties>>,
    request_routing_rules: Vec<Sub<RuleProperties>>,
    url_path_maps: Vec<Sub<PathMapProperties>>,
    redirect_configurations: Vec<Sub<RedirectProperties>>,
    backend_http_settings_collection: Vec<Sub<BackendProperties>>,
}

/// A gateway sub-resource: `{"name", "id", "properties"}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Sub<P: Default> {
    name: String,
    id: String,
    properties: P,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct SslPolicy {
    policy_type: Option<String>,
    policy_name: Option<String>,
    min_protocol_version: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PortProperties {
    port: Option<u16>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ProfileProperties {
    ssl_policy: Option<SslPolicy>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ListenerProperties {
    protocol: String,
    frontend_port: Option<IdRef>,
    ssl_profile: Option<IdRef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct RuleProperties {
    http_listener: Option<IdRef>,
    redirect_configuration: Option<IdRef>,
    url_path_map: Option<IdRef>,
    backend_http_settings: Option<IdRef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct PathMapProperties {
    default_redirect_configuration: Option<IdRef>,
    default_backend_http_settings: Option<IdRef>,
    path_rules: Vec<Sub<PathRuleProperties>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct PathRuleProperties {
    redirect_configuration: Option<IdRef>,
    backend_http_settings: Option<IdRef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BackendProperties {
    protocol: String,
    port: Option<u16>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct RedirectProperties {
    target_listener: Option<IdRef>,
    target_url: Option<String>,
}

fn policy(p: &SslPolicy) -> AppGatewaySslPolicy {
    AppGatewaySslPolicy {
        policy_type: p.policy_type.clone(),
        policy_name: p.policy_name.clone(),
        min_protocol_version: p.min_protocol_version.clone(),
    }
}

fn find<'a, P: Default>(items: &'a [Sub<P>], r: &Option<IdRef>) -> Option<&'a Sub<P>> {
    let id = r.as_ref()?.id.as_deref()?;
    items.iter().find(|i| same_id(&i.id, id))
}

/// Whether a redirect configuration sends clients to HTTPS.
fn to_https(p: &Properties, redirect: &Option<IdRef>) -> bool {
    let Some(r) = find(&p.redirect_configurations, redirect) else {
        return false;
    };
    match (&r.properties.target_listener, &r.properties.target_url) {
        (Some(_), _) => find(&p.http_listeners, &r.properties.target_listener)
            .is_some_and(|l| l.properties.protocol.eq_ignore_ascii_case("Https")),
        (None, Some(url)) => url.trim().to_ascii_lowercase().starts_with("https://"),
        (None, None) => false,
    }
}

fn redirects_to_https(p: &Properties, listener_id: &str) -> bool {
    let rules: Vec<&Sub<RuleProperties>> = p
        .request_routing_rules
        .iter()
        .filter(|r| {
            r.properties
                .http_listener
                .as_ref()
                .and_then(|l| l.id.as_deref())
                .is_some_and(|id| same_id(id, listener_id))
        })
        .collect();
    !rules.is_empty()
        && rules.iter().all(|r| {
            let rp = &r.properties;
            if rp.redirect_configuration.is_some() {
                return to_https(p, &rp.redirect_configuration);
            }
            // Path-based: the default and every path must redirect.
            find(&p.url_path_maps, &rp.url_path_map).is_some_and(|m| {
                to_https(p, &m.properties.default_redirect_configuration)
                    && m.properties
                        .path_rules
                        .iter()
                        .all(|pr| to_https(p, &pr.properties.redirect_configuration))
            })
        })
}

/// Each backend HTTP setting with the routing rules that use it: a basic rule names its
/// setting, a path-based rule uses its URL path map's default setting and each path rule's.
fn backend_settings(p: &Properties) -> Vec<AppGatewayBackendSetting> {
    let names = |r: &Option<IdRef>| r.as_ref().and_then(|r| r.id.clone());
    // (setting id, rule name) for every use.
    let mut uses: Vec<(String, String)> = Vec::new();
    for rule in &p.request_routing_rules {
        let rp = &rule.properties;
        uses.extend(names(&rp.backend_http_settings).map(|id| (id, rule.name.clone())));
        if let Some(m) = find(&p.url_path_maps, &rp.url_path_map) {
            let mp = &m.properties;
            let default = names(&mp.default_backend_http_settings);
            uses.extend(default.map(|id| (id, format!("{}/default", rule.name))));
            for pr in &mp.path_rules {
                let id = names(&pr.properties.backend_http_settings);
                uses.extend(id.map(|id| (id, format!("{}/{}", rule.name, pr.name))));
            }
        }
    }
    p.backend_http_settings_collection
        .iter()
        .map(|b| AppGatewayBackendSetting {
            name: b.name.clone(),
            protocol: b.properties.protocol.clone(),
            port: b.properties.port,
            rules: uses
                .iter()
                .filter(|(id, _)| same_id(id, &b.id))
                .map(|(_, rule)| rule.clone())
                .collect(),
        })
        .collect()
}

/// ApplicationGateways_ListAll.
pub async fn gateways(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureApplicationGateway;
    let op = Op::new("Microsoft.Network", "ApplicationGateways_ListAll", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Network/applicationGateways");
    match arm
        .list::<Item<Properties>>(&path, versions::NETWORK, &[], &op)
        .await
    {
        Ok(items) => {
            inv.azure_application_gateways = items
                .iter()
                .map(|g| {
                    let p = &g.properties;
                    let listeners = p
                        .http_listeners
                        .iter()
                        .map(|l| {
                            let lp = &l.properties;
                            let profile = find(&p.ssl_profiles, &lp.ssl_profile);
                            let effective = profile
                                .and_then(|pr| pr.properties.ssl_policy.as_ref())
                                .or(p.ssl_policy.as_ref());
                            AppGatewayListener {
                                name: l.name.clone(),
                                protocol: lp.protocol.clone(),
                                port: find(&p.frontend_ports, &lp.frontend_port)
                                    .and_then(|fp| fp.properties.port),
                                ssl_profile: profile.map(|pr| pr.name.clone()),
                                ssl_policy: effective.map(policy),
                                redirects_to_https: redirects_to_https(p, &l.id),
                            }
                        })
                        .collect();
                    ApplicationGateway {
                        resource: g.resource(kind, sub),
                        ssl_policy: p.ssl_policy.as_ref().map(policy),
                        listeners,
                        backend_settings: Some(backend_settings(p)),
                    }
                })
                .collect()
        }
        Err(e) => inv.errors.push(fail(sub, None, kind, &e)),
    }
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listeners_resolve_profiles_ports_and_redirects() {
        let g = |id: &str| {
            format!("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationGateways/gw/{id}")
        };
        let body = serde_json::json!({
            "sslPolicy": {"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101"},
            "frontendPorts": [{"name": "p80", "id": g("frontendPorts/p80"), "properties": {"port": 80}}],
            "sslProfiles": [{"name": "legacy", "id": g("sslProfiles/legacy"),
                "properties": {"sslPolicy": {"policyType": "Custom", "minProtocolVersion": "TLSv1_1"}}}],
            "httpListeners": [
                {"name": "https", "id": g("httpListeners/https"), "properties": {"protocol": "Https",
                    "sslProfile": {"id": g("sslProfiles/legacy")}}},
                {"name": "http", "id": g("httpListeners/http"), "properties": {"protocol": "Http",
                    "frontendPort": {"id": g("frontendPorts/p80")}}},
                {"name": "plain", "id": g("httpListeners/plain"), "properties": {"protocol": "Http"}}
            ],
            "backendHttpSettingsCollection": [
                {"name": "tls", "id": g("backendHttpSettingsCollection/tls"), "properties": {"port": 443, "protocol": "Https"}},
                {"name": "plain", "id": g("backendHttpSettingsCollection/plain"), "properties": {"port": 80, "protocol": "Http"}}
            ],
            "urlPathMaps": [{"name": "m", "id": g("urlPathMaps/m"), "properties": {
                "defaultBackendHttpSettings": {"id": g("backendHttpSettingsCollection/tls")},
                "pathRules": [{"name": "api", "id": g("urlPathMaps/m/pathRules/api"),
                    "properties": {"backendHttpSettings": {"id": g("backendHttpSettingsCollection/plain")}}}]}}],
            "redirectConfigurations": [{"name": "r", "id": g("redirectConfigurations/r"),
                "properties": {"redirectType": "Permanent", "targetListener": {"id": g("httpListeners/https")}}}],
            "requestRoutingRules": [
                {"name": "a", "id": g("requestRoutingRules/a"), "properties": {"ruleType": "Basic",
                    "httpListener": {"id": g("httpListeners/http")}, "redirectConfiguration": {"id": g("redirectConfigurations/r")}}},
                {"name": "b", "id": g("requestRoutingRules/b"), "properties": {"ruleType": "Basic",
                    "httpListener": {"id": g("httpListeners/plain")},
                    "backendHttpSettings": {"id": g("backendHttpSettingsCollection/tls")}}},
                {"name": "c", "id": g("requestRoutingRules/c"), "properties": {"ruleType": "PathBasedRouting",
                    "httpListener": {"id": g("httpListeners/https")}, "urlPathMap": {"id": g("urlPathMaps/m")}}}
            ]
        });
        let p: Properties = serde_json::from_value(body).unwrap();
        let settings = backend_settings(&p);
        assert_eq!(settings[0].name, "tls");
        assert_eq!(settings[0].rules, ["b", "c/default"]);
        assert_eq!(
            (settings[1].protocol.as_str(), settings[1].port),
            ("Http", Some(80))
        );
        assert_eq!(settings[1].rules, ["c/api"]);
        assert!(redirects_to_https(&p, &g("httpListeners/http")));
        assert!(!redirects_to_https(&p, &g("httpListeners/plain")));
        assert!(
            !redirects_to_https(&p, &g("httpListeners/https")),
            "no rule uses it"
        );
        let profile = find(&p.ssl_profiles, &p.http_listeners[0].properties.ssl_profile).unwrap();
        assert_eq!(
            profile
                .properties
                .ssl_policy
                .as_ref()
                .unwrap()
                .min_protocol_version
                .as_deref(),
            Some("TLSv1_1")
        );
        assert_eq!(
            find(
                &p.frontend_ports,
                &p.http_listeners[1].properties.frontend_port
            )
            .unwrap()
            .properties
            .port,
            Some(80)
        );
    }
}
