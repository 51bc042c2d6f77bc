//! The known truth of the kinds of issue 18 in `two-subscriptions` (written by
//! `fixtures/azure/two_subscriptions_services.py`): Cosmos DB, App Service, Redis, SQL
//! long-term retention and managed instances, blob services, Key Vault diagnostics, flow
//! logs, Defender plans, role assignments and custom roles.

use super::*;

type Truth = Vec<(&'static str, String, &'static str)>;

/// Prod: every resource's verdict, and the web app whose site config was denied (ERROR for
/// that app alone).
pub(crate) fn prod_services_truth() -> Truth {
    let p = |rg: &str, typ: &str, name: &str| rid(PROD, rg, typ, name);
    let mut t: Truth = Vec::new();
    let mut each = |checks: &[&'static str], id: String, verdicts: &[&'static str]| {
        for (c, v) in checks.iter().zip(verdicts) {
            t.push((c, id.clone(), v));
        }
    };
    let cosmos = [
        "azure-cosmosdb-cmk",
        "azure-cosmosdb-no-public-access",
        "azure-cosmosdb-local-auth-disabled",
        "azure-cosmosdb-backup",
        "azure-cosmosdb-min-tls12",
    ];
    let account = |rg, name| p(rg, "Microsoft.DocumentDB/databaseAccounts", name);
    each(
        &cosmos,
        account("rg-ephi-prod", "cosmos-ehr-engagement"),
        &["PASS"; 5],
    );
    // The list example's item: every network, keys on, Tls (1.0), 8 hours of backups.
    each(
        &cosmos,
        account("rg-analytics", "cosmos-analytics"),
        &["FAIL"; 5],
    );
    // Untagged (no key demanded), firewalled to one range, a week of backups, Tls11.
    each(
        &cosmos,
        account("rg-qolty-legacy", "cosmos-partner-sync"),
        &["NOT_APPLICABLE", "PASS", "FAIL", "PASS", "FAIL"],
    );
    let web = [
        "azure-appservice-https-only",
        "azure-appservice-min-tls12",
        "azure-appservice-ftps-only-or-disabled",
    ];
    let site = |rg, name| p(rg, "Microsoft.Web/sites", name);
    each(&web, site("rg-ephi-prod", "app-ehr-portal"), &["PASS"; 3]);
    each(
        &web,
        site("rg-qolty-legacy", "app-partner-intake"),
        &["FAIL"; 3],
    );
    // Page 2; its config/web answers 403: ERROR for this app only, even for httpsOnly.
    each(
        &web,
        site("rg-ephi-prod", "func-claims-intake"),
        &["ERROR"; 3],
    );
    let redis = [
        "azure-redis-ssl-only",
        "azure-redis-min-tls12",
        "azure-redis-no-public-access",
    ];
    let cache = |rg, name| p(rg, "Microsoft.Cache/Redis", name);
    each(
        &redis,
        cache("rg-ephi-prod", "redis-ehr-sessions"),
        &["PASS"; 3],
    );
    each(
        &redis,
        cache("rg-analytics", "redis-reporting"),
        &["FAIL"; 3],
    );
    let ltr = |rg, server, name| {
        let server = p(rg, "Microsoft.Sql/servers", server);
        format!("{server}/databases/{name}/backupLongTermRetentionPolicies/default")
    };
    each(
        &["azure-sql-ltr-backup"],
        ltr("rg-ephi-prod", "sql-ehr-prod", "ehrdb"),
        &["PASS"],
    );
    each(
        &["azure-sql-ltr-backup"],
        ltr("rg-analytics", "sql-reporting", "reportsdb"),
        &["FAIL"],
    );
    let mi = [
        "azure-sql-managed-instance-tde",
        "azure-sql-managed-instance-no-public-endpoint",
        "azure-sql-managed-instance-min-tls12",
    ];
    let instance = |rg, name| p(rg, "Microsoft.Sql/managedInstances", name);
    each(&mi, instance("rg-ephi-prod", "sqlmi-billing"), &["PASS"; 3]);
    each(
        &mi,
        instance("rg-qolty-legacy", "sqlmi-migrated"),
        &["FAIL"; 3],
    );
    let blob = [
        "azure-storage-blob-soft-delete",
        "azure-storage-container-soft-delete",
        "azure-storage-blob-versioning",
    ];
    let sa = |rg, name| {
        let account = p(rg, "Microsoft.Storage/storageAccounts", name);
        format!("{account}/blobServices/default")
    };
    each(&blob, sa("rg-ephi-prod", "stphiuploads"), &["PASS"; 3]);
    each(
        &blob,
        sa("rg-qolty-legacy", "stlegacyexports"),
        &["FAIL"; 3],
    );
    // The example body: blob soft delete and versioning on, no container policy.
    each(
        &blob,
        sa("rg-analytics", "stdiaglogs"),
        &["PASS", "FAIL", "PASS"],
    );
    let kv = |rg, name| {
        let vault = p(rg, "Microsoft.KeyVault/vaults", name);
        format!("{vault}/providers/Microsoft.Insights/diagnosticSettings")
    };
    each(
        &["azure-keyvault-diagnostic-logs"],
        kv("rg-ephi-prod", "kv-ehr-prod"),
        &["PASS"],
    );
    each(
        &["azure-keyvault-diagnostic-logs"],
        kv("rg-analytics", "kv-dev-secrets"),
        &["FAIL"],
    );
    // ehr-db-nsg's subnet is in the VNet with a flow log; bastion-nsg's flow log is
    // disabled; web-nsg has none.
    let nsg = |rg, name| p(rg, "Microsoft.Network/networkSecurityGroups", name);
    each(
        &["azure-nsg-flow-logs"],
        nsg("rg-ephi-prod", "ehr-db-nsg"),
        &["PASS"],
    );
    // The subnet NSGs of issue 14 are in that VNet too.
    for name in ["bastion-subnet-nsg", "psql-subnet-nsg"] {
        each(
            &["azure-nsg-flow-logs"],
            nsg("rg-ephi-prod", name),
            &["PASS"],
        );
    }
    each(
        &["azure-nsg-flow-logs"],
        nsg("rg-qolty-legacy", "bastion-nsg"),
        &["FAIL"],
    );
    each(
        &["azure-nsg-flow-logs"],
        nsg("rg-web", "web-nsg"),
        &["FAIL"],
    );
    each(
        &["azure-defender-plans"],
        format!("/subscriptions/{PROD}/providers/Microsoft.Security/pricings"),
        &["PASS"],
    );
    // Three Owners on the subscription and a group inherited from the root group.
    each(
        &["azure-rbac-limited-owners"],
        format!("/subscriptions/{PROD}/providers/Microsoft.Authorization/roleAssignments"),
        &["FAIL"],
    );
    let role = |guid: &str| {
        format!("/subscriptions/{PROD}/providers/Microsoft.Authorization/roleDefinitions/{guid}")
    };
    each(
        &["azure-rbac-no-custom-role-wildcard"],
        role("6c3e1a4f-2b7d-4c8e-9f1a-3b5d7e9f1a01"),
        &["PASS"],
    );
    each(
        &["azure-rbac-no-custom-role-wildcard"],
        role("6c3e1a4f-2b7d-4c8e-9f1a-3b5d7e9f1a02"),
        &["FAIL"],
    );
    t
}

/// Dev: Cosmos DB not registered (409), Redis denied (403), Key Vaults throttled past
/// retries (429, so their diagnostics too): ERROR for the subscription; the one storage
/// account's blob service denied (403): ERROR for that account; Defender for SQL and
/// storage on Free; one Owner.
pub(crate) fn dev_services_truth() -> Truth {
    let mut t: Truth = Vec::new();
    for (checks, kind) in [
        (
            &[
                "azure-cosmosdb-cmk",
                "azure-cosmosdb-no-public-access",
                "azure-cosmosdb-local-auth-disabled",
                "azure-cosmosdb-backup",
                "azure-cosmosdb-min-tls12",
            ][..],
            "AzureCosmosDbAccount",
        ),
        (
            &[
                "azure-redis-ssl-only",
                "azure-redis-min-tls12",
                "azure-redis-no-public-access",
            ][..],
            "AzureRedisCache",
        ),
        (
            &["azure-keyvault-diagnostic-logs"][..],
            "AzureKeyVaultDiagnostics",
        ),
    ] {
        for c in checks {
            t.push((c, error_id(DEV, kind), "ERROR"));
        }
    }
    let account = rid(
        DEV,
        "rg-dev",
        "Microsoft.Storage/storageAccounts",
        "stdevscratch",
    );
    let sa = format!("{account}/blobServices/default");
    for c in [
        "azure-storage-blob-soft-delete",
        "azure-storage-container-soft-delete",
        "azure-storage-blob-versioning",
    ] {
        t.push((c, sa.clone(), "ERROR"));
    }
    t.push((
        "azure-defender-plans",
        format!("/subscriptions/{DEV}/providers/Microsoft.Security/pricings"),
        "FAIL",
    ));
    t.push((
        "azure-rbac-limited-owners",
        format!("/subscriptions/{DEV}/providers/Microsoft.Authorization/roleAssignments"),
        "PASS",
    ));
    t
}
