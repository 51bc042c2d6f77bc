use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::CosmosDbAccount;

declare_check! {
    /// ## What it checks
    /// No Cosmos DB account is reachable from every network. An account passes when
    /// `publicNetworkAccess` is `Disabled` or `SecuredByPerimeter` (private endpoints or a
    /// network security perimeter only), or when its firewall limits the public endpoint:
    /// IP rules none of which is open to the internet, or the virtual network filter on.
    ///
    /// It FAILs when public access is enabled (or not reported: ARM's default is `Enabled`)
    /// with no IP rule and the virtual network filter off (then every network is accepted),
    /// and when an IP rule is `0.0.0.0/0` or `0.0.0.0` (the latter admits every Azure
    /// datacenter, any tenant's resources included).
    ///
    /// ## Why it matters
    /// The policies promise that database servers holding ePHI are reached only from the
    /// internal network. An account key or token leaked from an open endpoint reads all data:
    /// access control (45 CFR 164.312(a)(1)) and transmission security (164.312(e)(1)).
    ///
    /// ## Evidence
    /// `public_network_access`, `ip_rules`, `is_virtual_network_filter_enabled`,
    /// `virtual_network_rules`, `open_rules` (the IP rules open to the internet or Azure).
    ///
    /// ## Remediation
    /// `az cosmosdb update -n <account> -g <rg> --public-network-access Disabled` and reach
    /// it through a private endpoint, or list the callers: `--ip-range-filter
    /// <cidr>,<cidr>` / `--enable-virtual-network true --virtual-network-rules <subnet-id>`.
    pub struct CosmosDbNoPublicAccess {
        id: "azure-cosmosdb-no-public-access",
        title: "Cosmos DB accounts are not open to every network",
        severity: High,
        provider: Azure,
        kinds: [AzureCosmosDbAccount],
        controls: [AccessControl, TransmissionSecurity],
    }
}

/// IP rules that admit the internet (`0.0.0.0/0`) or every Azure datacenter (`0.0.0.0`).
fn open_rules(rules: &[String]) -> Vec<&str> {
    rules
        .iter()
        .map(|r| r.trim())
        .filter(|r| matches!(*r, "0.0.0.0" | "0.0.0.0/0" | "*"))
        .collect()
}

impl Check for CosmosDbNoPublicAccess {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<CosmosDbAccount>()
            .iter()
            .map(|a| {
                let access = a.public_network_access.as_deref().unwrap_or("Enabled");
                let vnet = a.is_virtual_network_filter_enabled == Some(true);
                let open = open_rules(&a.ip_rules);
                let (ok, reason) = if access.eq_ignore_ascii_case("Disabled")
                    || access.eq_ignore_ascii_case("SecuredByPerimeter")
                {
                    (true, format!("Public network access is {access}: only private endpoints reach the account."))
                } else if !open.is_empty() {
                    (false, format!("The firewall admits {}: the internet or every Azure datacenter can reach the account.", open.join(", ")))
                } else if a.ip_rules.is_empty() && !vnet {
                    (false, "Public network access is enabled with no IP rule and no virtual network filter: every network can reach the account.".to_string())
                } else {
                    (true, format!("Public network access is enabled but limited to {} IP rule(s){}.", a.ip_rules.len(), if vnet { " and the virtual network filter" } else { "" }))
                };
                ctx.verdict(ok, &a.resource)
                    .evidence("public_network_access", &a.public_network_access)
                    .evidence("ip_rules", &a.ip_rules)
                    .evidence("is_virtual_network_filter_enabled", a.is_virtual_network_filter_enabled)
                    .evidence("virtual_network_rules", &a.virtual_network_rules)
                    .evidence("open_rules", &open)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::cosmosdb_account;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn account(id: &str, access: Option<&str>, ips: &[&str], vnet: bool) -> CosmosDbAccount {
        CosmosDbAccount {
            public_network_access: access.map(Into::into),
            ip_rules: ips.iter().map(|s| s.to_string()).collect(),
            is_virtual_network_filter_enabled: Some(vnet),
            ..cosmosdb_account(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_cosmosdb_accounts = vec![
            account("private", Some("Disabled"), &[], false),
            account("firewalled", Some("Enabled"), &["203.0.113.0/24"], false),
            account("vnet-only", None, &[], true),
            account("wide-open", Some("Enabled"), &[], false),
            account("unreported-open", None, &[], false),
            account("azure-wide", Some("Enabled"), &["0.0.0.0"], false),
            account("internet-rule", Some("Enabled"), &["10.0.0.0/8", "0.0.0.0/0"], true),
        ];
        let f = run(&CosmosDbNoPublicAccess, &inv);
        for ok in ["private", "firewalled", "vnet-only"] {
            assert_eq!(f.status_of(ok), Status::Pass, "{ok}");
        }
        for bad in ["wide-open", "unreported-open", "azure-wide", "internet-rule"] {
            assert_eq!(f.status_of(bad), Status::Fail, "{bad}");
        }
        assert!(f.of("azure-wide").reason.contains("0.0.0.0"));
    }
}
