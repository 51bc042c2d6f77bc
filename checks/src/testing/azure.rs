//! Azure resources for check tests, in `eastus` of the test subscription, named by their id.
//! Most builders return a resource that passes every check reading its kind; the storage
//! account and the SQL server report nothing (every setting `None`), since their checks'
//! tests are about what each unreported setting means. A test edits the fields it is about.

use chrono::Duration;
use phiscan_core::model::azure::*;
use phiscan_core::ResourceKind;

use super::{azure_ref, now};

mod segmentation;
mod services;
pub use segmentation::*;
pub use services::*;

/// An application gateway with these listeners and no gateway-wide TLS policy.
pub fn application_gateway(id: &str, listeners: Vec<AppGatewayListener>) -> ApplicationGateway {
    ApplicationGateway {
        resource: azure_ref(ResourceKind::AzureApplicationGateway, "eastus", id),
        ssl_policy: None,
        listeners,
        backend_settings: Some(vec![app_gateway_backend("app-https", "Https", &["rule"])]),
    }
}

/// A backend HTTP setting on port 443 used by these routing rules.
pub fn app_gateway_backend(name: &str, protocol: &str, rules: &[&str]) -> AppGatewayBackendSetting {
    AppGatewayBackendSetting {
        name: name.into(),
        protocol: protocol.into(),
        port: Some(443),
        rules: rules.iter().map(|r| r.to_string()).collect(),
    }
}

/// A listener; `policy` is (predefined policy name or "" for a custom one, minimum
/// protocol version or "" when unreported).
pub fn app_gateway_listener(
    name: &str,
    protocol: &str,
    policy: Option<(&str, &str)>,
    redirect: bool,
) -> AppGatewayListener {
    AppGatewayListener {
        name: name.into(),
        protocol: protocol.into(),
        port: None,
        ssl_profile: None,
        ssl_policy: policy.map(|(name, min)| AppGatewaySslPolicy {
            policy_type: Some(
                if name.is_empty() {
                    "Custom"
                } else {
                    "Predefined"
                }
                .into(),
            ),
            policy_name: (!name.is_empty()).then(|| name.to_string()),
            min_protocol_version: (!min.is_empty()).then(|| min.to_string()),
        }),
        redirects_to_https: redirect,
    }
}

/// The subscription's activity log with no diagnostic settings: tests add theirs.
pub fn activity_log(id: &str) -> ActivityLog {
    ActivityLog {
        resource: azure_ref(ResourceKind::AzureActivityLog, "global", id),
        settings: vec![],
    }
}

/// A protected item of `source` in vault `rsv-1`, backed up successfully five hours ago.
pub fn backup_protected_item(id: &str, source: &str) -> BackupProtectedItem {
    BackupProtectedItem {
        resource: azure_ref(ResourceKind::AzureBackupProtectedItem, "eastus", id),
        source_resource_id: source.into(),
        vault_id:
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv-1"
                .into(),
        protection_state: Some("Protected".into()),
        last_backup_status: Some("Completed".into()),
        last_backup_time: Some(now() - Duration::hours(5)),
    }
}

/// A managed disk attached to `vm-1`, encrypted with platform keys, without network access.
pub fn disk(id: &str) -> Disk {
    Disk {
        resource: azure_ref(ResourceKind::AzureDisk, "eastus", id),
        encryption_type: Some("EncryptionAtRestWithPlatformKey".into()),
        disk_encryption_set_id: None,
        ade_enabled: None,
        network_access_policy: Some("DenyAll".into()),
        public_network_access: Some("Disabled".into()),
        disk_state: Some("Attached".into()),
        managed_by: Some("vm-1".into()),
    }
}

/// A MySQL or PostgreSQL flexible server (`kind`) requiring TLS, without public access, kept
/// geo-redundantly for 7 days.
pub fn flexible_server(kind: ResourceKind, id: &str) -> FlexibleServer {
    FlexibleServer {
        resource: azure_ref(kind, "eastus", id),
        require_secure_transport: Some("ON".into()),
        public_network_access: Some("Disabled".into()),
        firewall_rules: vec![],
        backup_retention_days: Some(7),
        geo_redundant_backup: Some("Enabled".into()),
        delegated_subnet_id: None,
    }
}

/// A firewall rule named `<start>-<end>`.
pub fn firewall_rule(start: &str, end: &str) -> FirewallRule {
    FirewallRule {
        name: format!("{start}-{end}"),
        start_ip_address: start.into(),
        end_ip_address: end.into(),
    }
}

/// A recoverable, RBAC-authorised vault closed to public networks.
pub fn key_vault(id: &str) -> KeyVault {
    KeyVault {
        resource: azure_ref(ResourceKind::AzureKeyVault, "eastus", id),
        soft_delete_enabled: Some(true),
        soft_delete_retention_days: Some(90),
        purge_protection_enabled: Some(true),
        public_network_access: Some("Disabled".into()),
        enable_rbac_authorization: Some(true),
        network_default_action: Some("Deny".into()),
    }
}

/// An NSG, attached to nothing, with these custom rules followed by Azure's default rules.
pub fn network_security_group(id: &str, rules: Vec<NsgRule>) -> NetworkSecurityGroup {
    NetworkSecurityGroup {
        resource: azure_ref(ResourceKind::AzureNetworkSecurityGroup, "eastus", id),
        rules: rules.into_iter().chain(nsg_default_rules()).collect(),
        attached_to: vec![],
    }
}

/// An inbound custom rule; `ports` and `sources` are comma-separated.
pub fn nsg_rule(
    name: &str,
    priority: i32,
    access: &str,
    proto: &str,
    ports: &str,
    sources: &str,
) -> NsgRule {
    NsgRule {
        name: name.into(),
        direction: "Inbound".into(),
        access: access.into(),
        protocol: proto.into(),
        priority,
        source_address_prefixes: sources.split(',').map(Into::into).collect(),
        destination_port_ranges: ports.split(',').map(Into::into).collect(),
        default_rule: false,
        source_application_security_groups: vec![],
        destination_address_prefixes: vec!["*".into()],
        destination_application_security_groups: vec![],
    }
}

/// The three inbound default rules every NSG carries.
pub fn nsg_default_rules() -> Vec<NsgRule> {
    let mut out = vec![
        nsg_rule(
            "AllowVnetInBound",
            65000,
            "Allow",
            "*",
            "*",
            "VirtualNetwork",
        ),
        nsg_rule(
            "AllowAzureLoadBalancerInBound",
            65001,
            "Allow",
            "*",
            "*",
            "AzureLoadBalancer",
        ),
        nsg_rule("DenyAllInBound", 65500, "Deny", "*", "*", "*"),
    ];
    for r in &mut out {
        r.default_rule = true;
    }
    out
}

/// A database of server `sql-1` with transparent data encryption on.
pub fn sql_database(id: &str) -> SqlDatabase {
    SqlDatabase {
        resource: azure_ref(ResourceKind::AzureSqlDatabase, "eastus", id),
        server_id: "sql-1".into(),
        tde_state: Some("Enabled".into()),
    }
}

/// A SQL server reporting nothing: tests set what they examine.
pub fn sql_server(id: &str) -> SqlServer {
    SqlServer {
        resource: azure_ref(ResourceKind::AzureSqlServer, "eastus", id),
        minimal_tls_version: None,
        public_network_access: None,
        firewall_rules: vec![],
        auditing_enabled: None,
    }
}

/// A storage account reporting nothing: tests set what they examine.
pub fn storage_account(id: &str) -> StorageAccount {
    StorageAccount {
        resource: azure_ref(ResourceKind::AzureStorageAccount, "eastus", id),
        supports_https_traffic_only: None,
        minimum_tls_version: None,
        allow_blob_public_access: None,
        key_source: None,
        require_infrastructure_encryption: None,
        network_default_action: None,
        public_network_access: None,
        allow_shared_key_access: None,
    }
}

/// A VM with encryption at host, no disks, NICs or public IPs on record.
pub fn virtual_machine(id: &str) -> VirtualMachine {
    VirtualMachine {
        resource: azure_ref(ResourceKind::AzureVirtualMachine, "eastus", id),
        vm_id: None,
        os_disk_id: None,
        data_disk_ids: vec![],
        nic_ids: vec![],
        public_ips: vec![],
        encryption_at_host: Some(true),
        subnet_ids: vec![],
        nic_security_group_ids: vec![],
        application_security_group_ids: vec![],
    }
}
