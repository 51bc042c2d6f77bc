//! Qolty's ePHI hosting on Azure (subscription `qolty-ephi-prod`): the EHR application and
//! database tier in `rg-ephi-prod` / `rg-ephi-data`, customer-managed keys in
//! `rg-ephi-security`, the Recovery Services vault in `rg-ephi-backup`, and the reporting,
//! research and legacy corners where the drift lives (`rg-qolty-analytics`,
//! `rg-qolty-legacy`). Each Azure check finds at least one compliant and one non-compliant
//! resource here.
//!
//! Resource ids are ARM ids
//! (`/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/disks/<name>`);
//! regions are ARM locations. Value spellings follow the ARM example responses in
//! `shared/reference/azure-arm-examples/`.

use chrono::{DateTime, Duration, Utc};

use super::AZURE_SUBSCRIPTION as SUB;
use crate::model::azure::{
    ActivityLog, ActivityLogDiagnosticSetting, AppGatewayListener, AppGatewaySslPolicy,
    ApplicationGateway, BackupProtectedItem, Disk, FirewallRule, FlexibleServer, KeyVault,
    MysqlFlexibleServer, NetworkSecurityGroup, NsgRule, PostgresFlexibleServer, SqlDatabase,
    SqlServer, StorageAccount, VirtualMachine,
};
use crate::model::{Inventory, ResourceKind, ResourceRef};

const EAST: &str = "eastus";
const EAST2: &str = "eastus2";
const PLATFORM_KEY: &str = "EncryptionAtRestWithPlatformKey";
const CUSTOMER_KEY: &str = "EncryptionAtRestWithCustomerKey";

/// `/subscriptions/<sub>/resourceGroups/<rg>/providers/<type>/<name>`.
fn arm_id(rg: &str, rtype: &str, name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{rg}/providers/{rtype}/{name}")
}

fn arm_ref(kind: ResourceKind, location: &str, rg: &str, rtype: &str, name: &str) -> ResourceRef {
    ResourceRef::new(kind, SUB, location, arm_id(rg, rtype, name), name).with_tag(
        "env",
        if rg.contains("legacy") {
            "legacy"
        } else {
            "prod"
        },
    )
}

fn disk(name: &str, rg: &str, class: &str, enc: Option<&str>, vm: Option<&str>) -> Disk {
    let des = arm_id(
        "rg-ephi-security",
        "Microsoft.Compute/diskEncryptionSets",
        "des-qolty-ephi-cmk",
    );
    Disk {
        resource: arm_ref(
            ResourceKind::AzureDisk,
            EAST,
            rg,
            "Microsoft.Compute/disks",
            name,
        )
        .with_tag("data-classification", class),
        encryption_type: enc.map(Into::into),
        disk_encryption_set_id: (enc == Some(CUSTOMER_KEY)).then_some(des),
        ade_enabled: None,
        // Internal disks kept Azure's defaults: export SAS URLs work from anywhere.
        network_access_policy: Some(
            if class == "internal" {
                "AllowAll"
            } else {
                "DenyAll"
            }
            .into(),
        ),
        public_network_access: Some(
            if class == "internal" {
                "Enabled"
            } else {
                "Disabled"
            }
            .into(),
        ),
        disk_state: Some(
            if vm.is_some() {
                "Attached"
            } else {
                "Unattached"
            }
            .into(),
        ),
        managed_by: vm.map(|v| arm_id(rg, "Microsoft.Compute/virtualMachines", v)),
    }
}

fn vm(name: &str, rg: &str, location: &str, public_ips: &[&str]) -> VirtualMachine {
    VirtualMachine {
        resource: arm_ref(
            ResourceKind::AzureVirtualMachine,
            location,
            rg,
            "Microsoft.Compute/virtualMachines",
            name,
        ),
        vm_id: None,
        os_disk_id: Some(arm_id(
            rg,
            "Microsoft.Compute/disks",
            &format!("{name}-osdisk"),
        )),
        data_disk_ids: vec![],
        nic_ids: vec![arm_id(
            rg,
            "Microsoft.Network/networkInterfaces",
            &format!("{name}-nic"),
        )],
        public_ips: public_ips.iter().map(|s| s.to_string()).collect(),
        encryption_at_host: Some(rg == "rg-ephi-prod"),
    }
}

/// A VM backup item of the Recovery Services vault; `source` is the VM id as Backup spells it.
fn backup_item(
    vm: &str,
    rg: &str,
    source: String,
    state: &str,
    last: Option<(DateTime<Utc>, &str)>,
) -> BackupProtectedItem {
    let vault = arm_id(
        "rg-ephi-backup",
        "Microsoft.RecoveryServices/vaults",
        "rsv-qolty-ephi-prod",
    );
    let container = format!("iaasvmcontainerv2;{rg};{vm}");
    let name = format!("VM;{container}");
    let id = format!(
        "{vault}/backupFabrics/Azure/protectionContainers/IaasVMContainer;{container}/protectedItems/{name}"
    );
    BackupProtectedItem {
        resource: ResourceRef::new(ResourceKind::AzureBackupProtectedItem, SUB, EAST, id, name),
        source_resource_id: source,
        vault_id: vault,
        protection_state: Some(state.into()),
        last_backup_status: last.map(|(_, s)| s.to_string()),
        last_backup_time: last.map(|(t, _)| t),
    }
}

fn storage(
    name: &str,
    rg: &str,
    class: &str,
    https: Option<bool>,
    tls: Option<&str>,
    public: Option<bool>,
) -> StorageAccount {
    let hardened = public == Some(false);
    StorageAccount {
        resource: arm_ref(
            ResourceKind::AzureStorageAccount,
            EAST,
            rg,
            "Microsoft.Storage/storageAccounts",
            name,
        )
        .with_tag("data-classification", class),
        supports_https_traffic_only: https,
        minimum_tls_version: tls.map(Into::into),
        allow_blob_public_access: public,
        key_source: Some(
            if hardened {
                "Microsoft.Keyvault"
            } else {
                "Microsoft.Storage"
            }
            .into(),
        ),
        require_infrastructure_encryption: Some(hardened),
        network_default_action: Some(if hardened { "Deny" } else { "Allow" }.into()),
        public_network_access: Some(if hardened { "Disabled" } else { "Enabled" }.into()),
        allow_shared_key_access: Some(!hardened),
    }
}

fn fw(name: &str, start: &str, end: &str) -> FirewallRule {
    FirewallRule {
        name: name.into(),
        start_ip_address: start.into(),
        end_ip_address: end.into(),
    }
}

fn sql_server(
    name: &str,
    rg: &str,
    location: &str,
    access: &str,
    rules: Vec<FirewallRule>,
) -> SqlServer {
    SqlServer {
        resource: arm_ref(
            ResourceKind::AzureSqlServer,
            location,
            rg,
            "Microsoft.Sql/servers",
            name,
        ),
        minimal_tls_version: Some("1.2".into()),
        public_network_access: Some(access.into()),
        firewall_rules: rules,
        auditing_enabled: Some(true),
    }
}

fn sql_db(server: &SqlServer, name: &str, tde: &str) -> SqlDatabase {
    let id = format!("{}/databases/{name}", server.resource.id);
    let mut resource = ResourceRef::new(
        ResourceKind::AzureSqlDatabase,
        SUB,
        &server.resource.region,
        id,
        name,
    );
    resource.tags = server.resource.tags.clone();
    SqlDatabase {
        resource,
        server_id: server.resource.id.clone(),
        tde_state: Some(tde.into()),
    }
}

/// An NSG rule; `ports` and `sources` are comma-separated, as the portal shows them.
fn rule(
    name: &str,
    priority: i32,
    dir: &str,
    access: &str,
    proto: &str,
    ports: &str,
    sources: &str,
) -> NsgRule {
    NsgRule {
        name: name.into(),
        direction: dir.into(),
        access: access.into(),
        protocol: proto.into(),
        priority,
        source_address_prefixes: sources.split(',').map(Into::into).collect(),
        destination_port_ranges: ports.split(',').map(Into::into).collect(),
        default_rule: false,
    }
}

/// An NSG with its custom rules followed by the six `defaultSecurityRules` ARM returns.
fn nsg(
    name: &str,
    location: &str,
    rules: Vec<NsgRule>,
    attached_to: Vec<String>,
) -> NetworkSecurityGroup {
    let defaults = [
        (
            "AllowVnetInBound",
            65000,
            "Inbound",
            "Allow",
            "VirtualNetwork",
        ),
        (
            "AllowAzureLoadBalancerInBound",
            65001,
            "Inbound",
            "Allow",
            "AzureLoadBalancer",
        ),
        ("DenyAllInBound", 65500, "Inbound", "Deny", "*"),
        (
            "AllowVnetOutBound",
            65000,
            "Outbound",
            "Allow",
            "VirtualNetwork",
        ),
        ("AllowInternetOutBound", 65001, "Outbound", "Allow", "*"),
        ("DenyAllOutBound", 65500, "Outbound", "Deny", "*"),
    ]
    .map(|(n, p, dir, access, src)| NsgRule {
        default_rule: true,
        ..rule(n, p, dir, access, "*", "*", src)
    });
    NetworkSecurityGroup {
        resource: arm_ref(
            ResourceKind::AzureNetworkSecurityGroup,
            location,
            "rg-ephi-network",
            "Microsoft.Network/networkSecurityGroups",
            name,
        ),
        rules: rules.into_iter().chain(defaults).collect(),
        attached_to,
    }
}

fn subnet(name: &str) -> String {
    format!(
        "{}/subnets/{name}",
        arm_id(
            "rg-ephi-network",
            "Microsoft.Network/virtualNetworks",
            "vnet-qolty-ephi"
        )
    )
}

fn flexible(
    kind: ResourceKind,
    rtype: &str,
    name: &str,
    rg: &str,
    tls: &str,
    access: &str,
) -> FlexibleServer {
    FlexibleServer {
        resource: arm_ref(kind, EAST, rg, rtype, name).with_tag("data-classification", "protected"),
        require_secure_transport: Some(tls.into()),
        public_network_access: Some(access.into()),
        firewall_rules: if access == "Enabled" {
            vec![fw("office-vpn", "203.0.113.10", "203.0.113.10")]
        } else {
            vec![]
        },
        backup_retention_days: Some(if access == "Enabled" { 7 } else { 35 }),
        geo_redundant_backup: Some(
            if access == "Enabled" {
                "Disabled"
            } else {
                "Enabled"
            }
            .into(),
        ),
    }
}

fn key_vault(name: &str, soft: Option<bool>, purge: Option<bool>) -> KeyVault {
    KeyVault {
        resource: arm_ref(
            ResourceKind::AzureKeyVault,
            EAST,
            "rg-ephi-security",
            "Microsoft.KeyVault/vaults",
            name,
        ),
        soft_delete_enabled: soft,
        soft_delete_retention_days: Some(90),
        purge_protection_enabled: purge,
        public_network_access: Some("Disabled".into()),
        enable_rbac_authorization: Some(true),
        network_default_action: Some("Deny".into()),
    }
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

/// A subscription's activity log, exported to the security workspace when `exported`.
fn activity_log(sub: &str, exported: bool) -> ActivityLog {
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Insights/diagnosticSettings");
    ActivityLog {
        resource: ResourceRef::new(
            ResourceKind::AzureActivityLog,
            sub,
            "global",
            path,
            "activity-log",
        ),
        settings: if exported {
            vec![ActivityLogDiagnosticSetting {
                name: "export-activity-log".into(),
                storage_account_id: None,
                workspace_id: Some(arm_id(
                    "rg-ephi-security",
                    "Microsoft.OperationalInsights/workspaces",
                    "law-qolty-security",
                )),
                event_hub_authorization_rule_id: None,
                marketplace_partner_id: None,
                enabled_categories: vec!["allLogs".into()],
            }]
        } else {
            vec![]
        },
    }
}

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    // Production exports its activity log to the security workspace; the sandbox was never
    // set up, so its 90 days of activity vanish.
    inv.azure_activity_logs = vec![
        activity_log(SUB, true),
        activity_log(super::AZURE_SANDBOX_SUBSCRIPTION, false),
    ];

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

    // Disks: the EHR database disk uses Qolty's CMK; the PHI archive is Protected but still on
    // a platform key; the reporting scratch disk predates the encryption property.
    inv.azure_disks = vec![
        disk(
            "vm-ehr-app-01-osdisk",
            "rg-ephi-prod",
            "confidential",
            Some(PLATFORM_KEY),
            Some("vm-ehr-app-01"),
        ),
        disk(
            "ehr-db-prod-data",
            "rg-ephi-prod",
            "protected",
            Some(CUSTOMER_KEY),
            Some("vm-ehr-db-01"),
        ),
        disk(
            "phi-archive-data",
            "rg-ephi-prod",
            "Protected",
            Some(PLATFORM_KEY),
            None,
        ),
        disk(
            "vm-reporting-01-scratch",
            "rg-qolty-analytics",
            "internal",
            None,
            Some("vm-reporting-01"),
        ),
    ];

    inv.azure_virtual_machines = vec![
        vm("vm-ehr-app-01", "rg-ephi-prod", EAST, &[]),
        vm("vm-ehr-db-01", "rg-ephi-prod", EAST, &[]),
        vm(
            "vm-reporting-01",
            "rg-qolty-analytics",
            EAST2,
            &["198.51.100.24"],
        ),
        vm(
            "vm-legacy-jumpbox",
            "rg-qolty-legacy",
            EAST,
            &["198.51.100.57"],
        ),
    ];
    // Backup spells the database VM's id in its own casing: ARM ids are case-insensitive.
    let db_vm_as_backup_spells_it =
        format!("/subscriptions/{SUB}/resourcegroups/RG-EPHI-PROD/providers/microsoft.compute/virtualmachines/VM-EHR-DB-01");
    let vm_id = |rg: &str, name: &str| arm_id(rg, "Microsoft.Compute/virtualMachines", name);
    inv.azure_backup_protected_items = vec![
        backup_item(
            "vm-ehr-app-01",
            "rg-ephi-prod",
            vm_id("rg-ephi-prod", "vm-ehr-app-01"),
            "Protected",
            Some((now - Duration::hours(6), "Completed")),
        ),
        backup_item(
            "vm-ehr-db-01",
            "rg-ephi-prod",
            db_vm_as_backup_spells_it,
            "Protected",
            Some((now - Duration::hours(5), "Completed")),
        ),
        // Protection was stopped (data retained) during a migration and never resumed.
        backup_item(
            "vm-legacy-jumpbox",
            "rg-qolty-legacy",
            vm_id("rg-qolty-legacy", "vm-legacy-jumpbox"),
            "ProtectionStopped",
            Some((now - Duration::days(97), "Completed")),
        ),
    ];

    inv.azure_storage_accounts = vec![
        storage(
            "stqoltyphiuploads",
            "rg-ephi-data",
            "protected",
            Some(true),
            Some("TLS1_2"),
            Some(false),
        ),
        storage(
            "stqoltylegacyexports",
            "rg-qolty-legacy",
            "protected",
            Some(false),
            Some("TLS1_0"),
            Some(true),
        ),
        // Created in 2021 and never touched: ARM omits the unset properties.
        storage(
            "stqoltydiaglogs",
            "rg-qolty-analytics",
            "internal",
            None,
            Some("TLS1_2"),
            None,
        ),
    ];

    let ehr = sql_server(
        "sql-qolty-ehr-prod",
        "rg-ephi-data",
        EAST,
        "Disabled",
        vec![],
    );
    let reporting = sql_server(
        "sql-qolty-reporting",
        "rg-qolty-analytics",
        EAST2,
        "Enabled",
        vec![
            fw("office-vpn", "203.0.113.10", "203.0.113.10"),
            fw("AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0"),
        ],
    );
    let research = sql_server(
        "sql-qolty-research-dev",
        "rg-qolty-legacy",
        EAST,
        "Enabled",
        vec![fw("AllowAll", "0.0.0.0", "255.255.255.255")],
    );
    inv.azure_sql_databases = vec![
        sql_db(&ehr, "ehr", "Enabled"),
        sql_db(&ehr, "master", "Enabled"),
        sql_db(&reporting, "claims-reporting", "Disabled"),
        sql_db(&reporting, "master", "Disabled"),
        sql_db(&research, "research-deid", "Enabled"),
    ];
    let mut reporting = reporting;
    // A partner's reporting tool only speaks TLS 1.1; research never turned auditing on.
    reporting.minimal_tls_version = Some("1.1".into());
    let mut research = research;
    research.auditing_enabled = Some(false);
    inv.azure_sql_servers = vec![ehr, reporting, research];

    let nic = |rg: &str, vm: &str| {
        arm_id(
            rg,
            "Microsoft.Network/networkInterfaces",
            &format!("{vm}-nic"),
        )
    };
    inv.azure_network_security_groups = vec![
        // The web tier: HTTPS from the internet; admin ports denied before a vendor's
        // forgotten SSH rule can match, SSH only from the Azure Bastion subnet.
        nsg(
            "nsg-ehr-app-snet",
            EAST,
            vec![
                rule(
                    "Deny-Admin-From-Internet",
                    100,
                    "Inbound",
                    "Deny",
                    "*",
                    "22,3389",
                    "Internet",
                ),
                rule(
                    "Allow-HTTPS-From-Internet",
                    110,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "443",
                    "Internet",
                ),
                rule(
                    "Allow-SSH-From-Bastion",
                    120,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "22",
                    "10.20.0.0/26",
                ),
                rule(
                    "Allow-SSH-Vendor-Legacy",
                    4000,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "22",
                    "*",
                ),
            ],
            vec![subnet("snet-ehr-app")],
        ),
        nsg(
            "nsg-ehr-db-snet",
            EAST,
            vec![
                rule(
                    "Allow-Postgres-From-App",
                    100,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "5432",
                    "10.20.1.0/24",
                ),
                rule(
                    "Allow-SQL-From-App",
                    110,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "1433",
                    "10.20.1.0/24",
                ),
            ],
            vec![subnet("snet-ehr-db")],
        ),
        nsg(
            "nsg-reporting-vm",
            EAST2,
            vec![
                rule(
                    "Allow-RDP-Anywhere",
                    300,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "3389",
                    "*",
                ),
                rule(
                    "Allow-MSSQL-Partner",
                    310,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "1433",
                    "Internet",
                ),
            ],
            vec![nic("rg-qolty-analytics", "vm-reporting-01")],
        ),
        nsg(
            "nsg-legacy-jumpbox",
            EAST,
            vec![rule(
                "SSH",
                1000,
                "Inbound",
                "Allow",
                "Tcp",
                "22",
                "0.0.0.0/0",
            )],
            vec![nic("rg-qolty-legacy", "vm-legacy-jumpbox")],
        ),
    ];

    let pg = |name, rg, tls, access| {
        PostgresFlexibleServer(flexible(
            ResourceKind::AzurePostgresFlexibleServer,
            "Microsoft.DBforPostgreSQL/flexibleServers",
            name,
            rg,
            tls,
            access,
        ))
    };
    inv.azure_postgres_flexible_servers = vec![
        pg("psql-qolty-ehr-prod", "rg-ephi-data", "on", "Disabled"),
        pg(
            "psql-qolty-analytics",
            "rg-qolty-analytics",
            "off",
            "Enabled",
        ),
    ];
    let mysql = |name, rg, tls, access| {
        MysqlFlexibleServer(flexible(
            ResourceKind::AzureMysqlFlexibleServer,
            "Microsoft.DBforMySQL/flexibleServers",
            name,
            rg,
            tls,
            access,
        ))
    };
    inv.azure_mysql_flexible_servers = vec![
        mysql("mysql-qolty-portal", "rg-ephi-data", "ON", "Disabled"),
        mysql(
            "mysql-qolty-legacy-crm",
            "rg-qolty-legacy",
            "OFF",
            "Enabled",
        ),
    ];

    // The analytics server's firewall was opened "for a day" during a data migration; the
    // legacy CRM lets every Azure service in.
    for s in &mut inv.azure_postgres_flexible_servers {
        if s.0.resource.name == "psql-qolty-analytics" {
            s.0.firewall_rules
                .push(fw("AllowAll_2026-3-1", "0.0.0.0", "255.255.255.255"));
        }
    }
    for s in &mut inv.azure_mysql_flexible_servers {
        if s.0.resource.name == "mysql-qolty-legacy-crm" {
            // Retention cut to 3 days to save storage costs.
            s.0.backup_retention_days = Some(3);
            s.0.firewall_rules.push(fw(
                "AllowAllAzureServicesAndResourcesWithinAzureIps",
                "0.0.0.0",
                "0.0.0.0",
            ));
        }
    }

    let mut app_secrets = key_vault("kv-qolty-app-secrets", Some(true), None);
    // Reachable from any network: the CI runners' addresses were never listed.
    app_secrets.public_network_access = Some("Enabled".into());
    app_secrets.network_default_action = Some("Allow".into());
    app_secrets.enable_rbac_authorization = Some(false);
    inv.azure_key_vaults = vec![
        // Created after 2020: ARM omits enableSoftDelete, which can no longer be turned off.
        key_vault("kv-qolty-ephi-cmk", None, Some(true)),
        app_secrets,
    ];
}
