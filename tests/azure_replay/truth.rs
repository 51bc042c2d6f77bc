//! The known truth of the prod subscription in `two-subscriptions`.

use super::*;

/// The known truth of the prod subscription in `two-subscriptions`.
pub(crate) fn prod_truth() -> Vec<(&'static str, String, &'static str)> {
    fn p(rg: &str, typ: &str, name: &str) -> String {
        rid(PROD, rg, typ, name)
    }
    let disk = |rg, name| p(rg, "Microsoft.Compute/disks", name);
    let sa = |rg, name| p(rg, "Microsoft.Storage/storageAccounts", name);
    let nsg = |rg, name| p(rg, "Microsoft.Network/networkSecurityGroups", name);
    let sql = |rg, name| p(rg, "Microsoft.Sql/servers", name);
    let vm = |rg, name| p(rg, "Microsoft.Compute/virtualMachines", name);
    let mut t = vec![
        // Page 1 and page 2 (nextLink with $skiptoken, rewritten to the replay server).
        (
            "azure-disk-encrypted",
            disk("rg-ephi-prod", "ehr-db-data"),
            "PASS",
        ),
        (
            "azure-disk-encrypted",
            disk("rg-ephi-prod", "ehr-app-os"),
            "FAIL",
        ),
        ("azure-disk-encrypted", disk("rg-web", "web-cache"), "PASS"),
        (
            "azure-disk-encrypted",
            disk("rg-analytics", "analytics-scratch"),
            "FAIL",
        ),
        (
            "azure-keyvault-recoverable",
            p("rg-ephi-prod", "Microsoft.KeyVault/vaults", "kv-ehr-prod"),
            "PASS",
        ),
        (
            "azure-keyvault-recoverable",
            p(
                "rg-analytics",
                "Microsoft.KeyVault/vaults",
                "kv-dev-secrets",
            ),
            "FAIL",
        ),
        (
            "azure-mysql-flexible-tls-required",
            p(
                "rg-ephi-prod",
                "Microsoft.DBforMySQL/flexibleServers",
                "mysql-portal",
            ),
            "PASS",
        ),
        (
            "azure-mysql-flexible-tls-required",
            p(
                "rg-qolty-legacy",
                "Microsoft.DBforMySQL/flexibleServers",
                "mysql-legacy",
            ),
            "FAIL",
        ),
        (
            "azure-postgres-flexible-tls-required",
            p(
                "rg-ephi-prod",
                "Microsoft.DBforPostgreSQL/flexibleServers",
                "psql-ehr-prod",
            ),
            "PASS",
        ),
        (
            "azure-postgres-flexible-tls-required",
            p(
                "rg-analytics",
                "Microsoft.DBforPostgreSQL/flexibleServers",
                "psql-analytics",
            ),
            "FAIL",
        ),
        (
            "azure-sql-firewall-no-public",
            sql("rg-ephi-prod", "sql-ehr-prod"),
            "PASS",
        ),
        (
            "azure-sql-firewall-no-public",
            sql("rg-analytics", "sql-reporting"),
            "FAIL",
        ),
        (
            "azure-sql-tde-enabled",
            format!("{}/databases/ehrdb", sql("rg-ephi-prod", "sql-ehr-prod")),
            "PASS",
        ),
        (
            "azure-sql-tde-enabled",
            format!("{}/databases/master", sql("rg-ephi-prod", "sql-ehr-prod")),
            "NOT_APPLICABLE",
        ),
        (
            "azure-sql-tde-enabled",
            format!(
                "{}/databases/reportsdb",
                sql("rg-analytics", "sql-reporting")
            ),
            "FAIL",
        ),
        (
            "azure-vm-backup-protected",
            vm("rg-ephi-prod", "vm-ehr-app-01"),
            "PASS",
        ),
        (
            "azure-vm-backup-protected",
            vm("rg-ephi-prod", "vm-ehr-db-01"),
            "FAIL",
        ),
        (
            "azure-vm-backup-protected",
            vm("rg-qolty-legacy", "vm-legacy-jumpbox"),
            "FAIL",
        ),
    ];
    // The checks beyond the first twelve, over the same resources.
    let kv = |rg, name| p(rg, "Microsoft.KeyVault/vaults", name);
    let flex = |ns: &str, rg, name| p(rg, &format!("{ns}/flexibleServers"), name);
    t.extend([
        (
            "azure-disk-network-access-restricted",
            disk("rg-ephi-prod", "ehr-db-data"),
            "PASS",
        ),
        (
            "azure-disk-network-access-restricted",
            disk("rg-ephi-prod", "ehr-app-os"),
            "PASS",
        ),
        (
            "azure-disk-network-access-restricted",
            disk("rg-web", "web-cache"),
            "FAIL",
        ),
        // AllowPrivate (a disk access private endpoint), from the DiskAccess example.
        (
            "azure-disk-network-access-restricted",
            disk("rg-analytics", "analytics-scratch"),
            "PASS",
        ),
        (
            "azure-vm-no-public-ip",
            vm("rg-ephi-prod", "vm-ehr-app-01"),
            "PASS",
        ),
        (
            "azure-vm-no-public-ip",
            vm("rg-ephi-prod", "vm-ehr-db-01"),
            "PASS",
        ),
        (
            "azure-vm-no-public-ip",
            vm("rg-qolty-legacy", "vm-legacy-jumpbox"),
            "FAIL",
        ),
        // Last completed backup 2026-11-22T23:04Z, the scan clock 2026-11-23T09:00Z.
        (
            "azure-vm-backup-recent",
            vm("rg-ephi-prod", "vm-ehr-app-01"),
            "PASS",
        ),
        (
            "azure-vm-backup-recent",
            vm("rg-ephi-prod", "vm-ehr-db-01"),
            "FAIL",
        ),
        (
            "azure-vm-backup-recent",
            vm("rg-qolty-legacy", "vm-legacy-jumpbox"),
            "FAIL",
        ),
        (
            "azure-storage-default-network-deny",
            sa("rg-ephi-prod", "stphiuploads"),
            "PASS",
        ),
        (
            "azure-storage-default-network-deny",
            sa("rg-qolty-legacy", "stlegacyexports"),
            "FAIL",
        ),
        (
            "azure-storage-default-network-deny",
            sa("rg-analytics", "stdiaglogs"),
            "FAIL",
        ),
        (
            "azure-storage-cmk-or-double-encryption",
            sa("rg-ephi-prod", "stphiuploads"),
            "PASS",
        ),
        (
            "azure-storage-cmk-or-double-encryption",
            sa("rg-qolty-legacy", "stlegacyexports"),
            "FAIL",
        ),
        (
            "azure-storage-cmk-or-double-encryption",
            sa("rg-analytics", "stdiaglogs"),
            "NOT_APPLICABLE",
        ),
        (
            "azure-sql-auditing-enabled",
            sql("rg-ephi-prod", "sql-ehr-prod"),
            "PASS",
        ),
        (
            "azure-sql-auditing-enabled",
            sql("rg-analytics", "sql-reporting"),
            "FAIL",
        ),
        (
            "azure-sql-min-tls12",
            sql("rg-ephi-prod", "sql-ehr-prod"),
            "PASS",
        ),
        (
            "azure-sql-min-tls12",
            sql("rg-analytics", "sql-reporting"),
            "FAIL",
        ),
        (
            "azure-postgres-flexible-no-public-access",
            flex("Microsoft.DBforPostgreSQL", "rg-ephi-prod", "psql-ehr-prod"),
            "PASS",
        ),
        (
            "azure-postgres-flexible-no-public-access",
            flex(
                "Microsoft.DBforPostgreSQL",
                "rg-analytics",
                "psql-analytics",
            ),
            "FAIL",
        ),
        (
            "azure-mysql-flexible-no-public-access",
            flex("Microsoft.DBforMySQL", "rg-ephi-prod", "mysql-portal"),
            "PASS",
        ),
        (
            "azure-mysql-flexible-no-public-access",
            flex("Microsoft.DBforMySQL", "rg-qolty-legacy", "mysql-legacy"),
            "FAIL",
        ),
        (
            "azure-keyvault-public-network-restricted",
            kv("rg-ephi-prod", "kv-ehr-prod"),
            "PASS",
        ),
        (
            "azure-keyvault-public-network-restricted",
            kv("rg-analytics", "kv-dev-secrets"),
            "FAIL",
        ),
    ]);
    let agw = |rg, name| p(rg, "Microsoft.Network/applicationGateways", name);
    t.extend([
        (
            "azure-appgw-tls12-policy",
            agw("rg-ephi-prod", "agw-ehr-portal"),
            "PASS",
        ),
        // The HTTPS listener's SSL profile (Custom, TLSv1_1) replaces the gateway policy.
        (
            "azure-appgw-tls12-policy",
            agw("rg-qolty-legacy", "agw-partners"),
            "FAIL",
        ),
        (
            "azure-appgw-no-plain-http",
            agw("rg-ephi-prod", "agw-ehr-portal"),
            "PASS",
        ),
        (
            "azure-appgw-no-plain-http",
            agw("rg-qolty-legacy", "agw-partners"),
            "FAIL",
        ),
        (
            "azure-appgw-backend-tls",
            agw("rg-ephi-prod", "agw-ehr-portal"),
            "PASS",
        ),
        // partners-http-rule forwards through the `app-http` setting (Http, port 80).
        (
            "azure-appgw-backend-tls",
            agw("rg-qolty-legacy", "agw-partners"),
            "FAIL",
        ),
        (
            "azure-activity-log-exported",
            format!("/subscriptions/{PROD}/providers/Microsoft.Insights/diagnosticSettings"),
            "PASS",
        ),
        (
            "azure-vm-encryption-at-host",
            vm("rg-ephi-prod", "vm-ehr-app-01"),
            "PASS",
        ),
        (
            "azure-vm-encryption-at-host",
            vm("rg-ephi-prod", "vm-ehr-db-01"),
            "PASS",
        ),
        (
            "azure-vm-encryption-at-host",
            vm("rg-qolty-legacy", "vm-legacy-jumpbox"),
            "FAIL",
        ),
        (
            "azure-keyvault-rbac-authorization",
            kv("rg-ephi-prod", "kv-ehr-prod"),
            "PASS",
        ),
        (
            "azure-keyvault-rbac-authorization",
            kv("rg-analytics", "kv-dev-secrets"),
            "FAIL",
        ),
    ]);
    let pg = |rg, name| flex("Microsoft.DBforPostgreSQL", rg, name);
    let my = |rg, name| flex("Microsoft.DBforMySQL", rg, name);
    for (check, ehr, analytics, portal, legacy) in [
        (
            "azure-flexible-server-backup-retention",
            "PASS",
            "PASS",
            "PASS",
            "FAIL",
        ),
        (
            "azure-flexible-server-geo-backup",
            "PASS",
            "FAIL",
            "PASS",
            "FAIL",
        ),
    ] {
        t.push((check, pg("rg-ephi-prod", "psql-ehr-prod"), ehr));
        t.push((check, pg("rg-analytics", "psql-analytics"), analytics));
        t.push((check, my("rg-ephi-prod", "mysql-portal"), portal));
        t.push((check, my("rg-qolty-legacy", "mysql-legacy"), legacy));
    }
    for (check, ehr, bastion, web) in [
        ("azure-nsg-no-public-admin-ports", "PASS", "FAIL", "PASS"),
        ("azure-nsg-no-public-db-ports", "PASS", "FAIL", "PASS"),
    ] {
        t.push((check, nsg("rg-ephi-prod", "ehr-db-nsg"), ehr));
        t.push((check, nsg("rg-qolty-legacy", "bastion-nsg"), bastion));
        // web-nsg allows 22 from the internet, but a higher-priority Deny blocks it first.
        t.push((check, nsg("rg-web", "web-nsg"), web));
        // The subnet NSGs of issue 14 admit private ranges, service tags and an ASG only.
        t.push((check, nsg("rg-ephi-prod", "bastion-subnet-nsg"), "PASS"));
        t.push((check, nsg("rg-ephi-prod", "psql-subnet-nsg"), "PASS"));
    }
    // The 429-then-200 list: the accounts are there, judged on their properties.
    for (check, phi, legacy, diag) in [
        // stdiaglogs is the list example's item: it reports no allowSharedKeyAccess.
        ("azure-storage-no-shared-key-access", "PASS", "FAIL", "FAIL"),
        ("azure-storage-secure-transfer", "PASS", "FAIL", "FAIL"),
        ("azure-storage-min-tls12", "PASS", "FAIL", "FAIL"),
        (
            "azure-storage-no-public-blob-access",
            "PASS",
            "FAIL",
            "FAIL",
        ),
    ] {
        t.push((check, sa("rg-ephi-prod", "stphiuploads"), phi));
        t.push((check, sa("rg-qolty-legacy", "stlegacyexports"), legacy));
        t.push((check, sa("rg-analytics", "stdiaglogs"), diag));
    }
    t.extend(super::truth_services::prod_services_truth());
    t.extend(super::segmentation::prod_unconfigured());
    t
}
