use std::net::Ipv4Addr;

use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::{FirewallRule, SqlServer};
use serde_json::json;

declare_check! {
    /// ## What it checks
    /// No Azure SQL server's firewall admits the whole internet or every Azure tenant:
    ///
    /// - a rule from `0.0.0.0` to `255.255.255.255` admits the whole IPv4 internet: FAIL;
    /// - the special rule `0.0.0.0`-`0.0.0.0` ("AllowAllWindowsAzureIps", the portal's
    ///   "Allow Azure services and resources to access this server") admits every Azure
    ///   service and every VM of every Azure customer, not only Qolty's: FAIL with its own
    ///   reason;
    /// - a rule whose addresses do not parse as IPv4 FAILs, since its span cannot be shown.
    ///
    /// Narrower ranges (office or VPN egress addresses) pass and are listed as evidence.
    /// When `publicNetworkAccess` is `Disabled` the server PASSes whatever its rules say:
    /// Azure then refuses every connection that does not come through a private endpoint,
    /// and IP firewall rules are not evaluated. `SecuredByPerimeter` and an unreported value
    /// are not treated as disabled: the rules are judged.
    ///
    /// ## Why it matters
    /// The policies promise that database servers holding ePHI "can only be accessed
    /// through a bastion host over a VPN connection". A firewall open to the internet or to
    /// all of Azure leaves only the SQL login between ePHI and an attacker (access control,
    /// 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `public_network_access`, `firewall_rules` (name, start, end of every rule),
    /// `internet_wide_rules`, `all_azure_rules` and `unparsed_rules` (rule names).
    ///
    /// ## Remediation
    /// Delete the rule (`az sql server firewall-rule delete -g <rg> -s <server> -n <rule>`;
    /// for "Allow Azure services", switch it off under Networking), reach the server through
    /// a private endpoint, then refuse public access:
    /// `az sql server update -g <rg> -n <server> --enable-public-network false`.
    pub struct SqlFirewallNoPublic {
        id: "azure-sql-firewall-no-public",
        title: "Azure SQL firewalls do not admit the internet or all of Azure",
        severity: Critical,
        provider: Azure,
        kinds: [AzureSqlServer],
        controls: [AccessControl, AccessAuthorization],
    }
}

#[derive(Debug, PartialEq)]
enum Span {
    Internet,
    AllAzure,
    Unparsed,
    Narrow,
}

fn span(rule: &FirewallRule) -> Span {
    let parse = |s: &str| s.trim().parse::<Ipv4Addr>().ok();
    match (parse(&rule.start_ip_address), parse(&rule.end_ip_address)) {
        (Some(Ipv4Addr::UNSPECIFIED), Some(Ipv4Addr::UNSPECIFIED)) => Span::AllAzure,
        (Some(Ipv4Addr::UNSPECIFIED), Some(Ipv4Addr::BROADCAST)) => Span::Internet,
        (Some(_), Some(_)) => Span::Narrow,
        _ => Span::Unparsed,
    }
}

fn names(rules: &[FirewallRule], kind: Span) -> Vec<&str> {
    rules
        .iter()
        .filter(|r| span(r) == kind)
        .map(|r| r.name.as_str())
        .collect()
}

impl Check for SqlFirewallNoPublic {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SqlServer>()
            .iter()
            .map(|s| {
                let disabled = s
                    .public_network_access
                    .as_deref()
                    .is_some_and(|p| p.eq_ignore_ascii_case("Disabled"));
                let internet = names(&s.firewall_rules, Span::Internet);
                let azure = names(&s.firewall_rules, Span::AllAzure);
                let unparsed = names(&s.firewall_rules, Span::Unparsed);
                let mut problems = Vec::new();
                if !internet.is_empty() {
                    problems.push(format!("rule(s) {} admit the whole internet (0.0.0.0-255.255.255.255)", internet.join(", ")));
                }
                if !azure.is_empty() {
                    problems.push(format!("rule(s) {} (0.0.0.0-0.0.0.0) admit every Azure service, including other customers' resources", azure.join(", ")));
                }
                if !unparsed.is_empty() {
                    problems.push(format!("rule(s) {} have addresses that are not IPv4, so their span cannot be shown", unparsed.join(", ")));
                }
                let ok = disabled || problems.is_empty();
                let reason = if disabled {
                    format!(
                        "Public network access is Disabled: only private endpoints connect, and IP firewall rules ({} defined) are not evaluated.",
                        s.firewall_rules.len()
                    )
                } else if problems.is_empty() {
                    format!(
                        "Public network access is {}, and none of the {} firewall rule(s) admits the internet or all of Azure.",
                        s.public_network_access.as_deref().unwrap_or("not reported"),
                        s.firewall_rules.len()
                    )
                } else {
                    format!("The firewall is open too wide: {}.", problems.join("; "))
                };
                let rules: Vec<serde_json::Value> = s
                    .firewall_rules
                    .iter()
                    .map(|r| json!({"name": r.name, "start": r.start_ip_address, "end": r.end_ip_address}))
                    .collect();
                ctx.verdict(ok, &s.resource)
                    .evidence("public_network_access", &s.public_network_access)
                    .evidence("firewall_rules", rules)
                    .evidence("internet_wide_rules", &internet)
                    .evidence("all_azure_rules", &azure)
                    .evidence("unparsed_rules", &unparsed)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::sql_server;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn rule(name: &str, start: &str, end: &str) -> FirewallRule {
        FirewallRule {
            name: name.into(),
            start_ip_address: start.into(),
            end_ip_address: end.into(),
        }
    }

    fn server(id: &str, access: Option<&str>, rules: Vec<FirewallRule>) -> SqlServer {
        SqlServer {
            minimal_tls_version: Some("1.2".into()),
            public_network_access: access.map(Into::into),
            firewall_rules: rules,
            auditing_enabled: Some(true),
            ..sql_server(id)
        }
    }

    #[test]
    fn verdicts() {
        let world = || rule("AllowAll", "0.0.0.0", "255.255.255.255");
        let azure = || rule("AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0");
        let office = || rule("office-vpn", "203.0.113.10", "203.0.113.10");
        let mut inv = Inventory::new();
        inv.azure_sql_servers = vec![
            server("world", Some("Enabled"), vec![office(), world()]),
            server("azure", None, vec![azure()]),
            server("office", Some("Enabled"), vec![office()]),
            server("no-rules", Some("Enabled"), vec![]),
            server("private", Some("Disabled"), vec![world(), azure()]),
            server("perimeter", Some("SecuredByPerimeter"), vec![world()]),
            server("garbled", Some("Enabled"), vec![rule("v6", "::", "ffff::")]),
        ];
        let f = run(&SqlFirewallNoPublic, &inv);
        assert_eq!(f.status_of("world"), Status::Fail);
        assert_eq!(
            f.evidence_of("world", "internet_wide_rules"),
            json!(["AllowAll"])
        );
        assert_eq!(f.status_of("azure"), Status::Fail);
        assert!(f.of("azure").reason.contains("every Azure service"));
        assert_eq!(f.status_of("office"), Status::Pass);
        assert_eq!(f.status_of("no-rules"), Status::Pass);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert!(f.of("private").reason.contains("Disabled"));
        assert_eq!(f.status_of("perimeter"), Status::Fail);
        assert_eq!(f.status_of("garbled"), Status::Fail);
    }
}
