//! Shared logic of the PostgreSQL and MySQL flexible-server public access checks.
//!
//! A server passes when `network.publicNetworkAccess` is `Disabled` (private access or
//! private endpoints only), or when it is public but no firewall rule admits the whole
//! internet (`0.0.0.0`-`255.255.255.255`) or every Azure service (`0.0.0.0`-`0.0.0.0`, the
//! portal's "Allow public access from any Azure service", which includes other customers'
//! resources). A rule whose addresses are not IPv4 counts as too wide: its span cannot be
//! shown. An unreported public network access setting is judged by its rules, like
//! `Enabled`.

use std::net::Ipv4Addr;

use phiscan_core::check::{Ctx, Finding, FindingError};
use phiscan_core::model::azure::{FirewallRule, FlexibleServer};
use serde_json::json;

fn too_wide(rule: &FirewallRule) -> Option<&'static str> {
    let parse = |s: &str| s.trim().parse::<Ipv4Addr>().ok();
    match (parse(&rule.start_ip_address), parse(&rule.end_ip_address)) {
        (Some(Ipv4Addr::UNSPECIFIED), Some(Ipv4Addr::BROADCAST)) => Some("the whole internet"),
        (Some(Ipv4Addr::UNSPECIFIED), Some(Ipv4Addr::UNSPECIFIED)) => Some("every Azure service"),
        (Some(_), Some(_)) => None,
        _ => Some("an unparsable range"),
    }
}

pub fn evaluate<'a>(
    ctx: &Ctx,
    servers: impl Iterator<Item = &'a FlexibleServer>,
    engine: &str,
) -> Result<Vec<Finding>, FindingError> {
    servers
        .map(|s| {
            let access = s.public_network_access.as_deref();
            let disabled = access.is_some_and(|a| a.eq_ignore_ascii_case("Disabled"));
            let wide: Vec<String> = s
                .firewall_rules
                .iter()
                .filter_map(|r| too_wide(r).map(|what| format!("{} ({what})", r.name)))
                .collect();
            let reason = if disabled {
                format!("Public network access to the {engine} server is Disabled.")
            } else if wide.is_empty() {
                format!(
                    "Public network access is {}, limited by {} firewall rule(s), none of which admits the internet or all of Azure.",
                    access.unwrap_or("not reported"),
                    s.firewall_rules.len()
                )
            } else {
                format!(
                    "Public network access is {} and firewall rule(s) {} admit too much.",
                    access.unwrap_or("not reported"),
                    wide.join(", ")
                )
            };
            let rules: Vec<serde_json::Value> = s
                .firewall_rules
                .iter()
                .map(|r| json!({"name": r.name, "start": r.start_ip_address, "end": r.end_ip_address}))
                .collect();
            ctx.verdict(disabled || wide.is_empty(), &s.resource)
                .evidence("public_network_access", access)
                .evidence("firewall_rules", rules)
                .evidence("too_wide_rules", &wide)
                .reason(reason)
                .build()
        })
        .collect()
}
