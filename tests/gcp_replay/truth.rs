//! The known truth of the `estate` scenario: every verdict, per project.

use super::*;

/// The verdicts of `janus-ehr-prod`, where everything could be collected.
pub(crate) fn expected_prod() -> Vec<(&'static str, String, &'static str)> {
    let fw = |n: &str| compute(A, "global", "firewalls", n);
    vec![
        // Disks, over two pages of disks.aggregatedList.
        (
            DISK,
            compute(A, "zones/us-central1-a", "disks", "ehr-db-data"),
            "PASS",
        ),
        (
            DISK,
            compute(A, "zones/us-central1-a", "disks", "ehr-app-boot"),
            "PASS",
        ),
        (
            DISK,
            compute(A, "zones/us-east1-b", "disks", "imaging-scratch"),
            "FAIL",
        ),
        (
            DISK,
            compute(A, "regions/us-central1", "disks", "elasticsearch-data"),
            "PASS",
        ),
        // Firewalls (the list was throttled once, then answered).
        (ADMIN, fw("allow-ssh-anywhere"), "FAIL"),
        (DB, fw("allow-ssh-anywhere"), "PASS"),
        (ADMIN, fw("allow-iap-ssh"), "PASS"),
        (DB, fw("allow-iap-ssh"), "PASS"),
        (ADMIN, fw("allow-postgres-public"), "PASS"),
        (DB, fw("allow-postgres-public"), "FAIL"),
        (ADMIN, fw("allow-https-lb"), "PASS"),
        (DB, fw("allow-https-lb"), "PASS"),
        (ADMIN, fw("deny-all-egress"), "NOT_APPLICABLE"),
        (DB, fw("deny-all-egress"), "NOT_APPLICABLE"),
        (ADMIN, fw("legacy-rdp-disabled"), "PASS"),
        (DB, fw("legacy-rdp-disabled"), "PASS"),
        (ADMIN, fw("allow-any-ipv6"), "FAIL"),
        (DB, fw("allow-any-ipv6"), "FAIL"),
        // Issue 14's rules between instance tags: no source range, nothing public.
        (ADMIN, fw("allow-bastion-to-db"), "PASS"),
        (DB, fw("allow-bastion-to-db"), "PASS"),
        (ADMIN, fw("allow-imaging-to-db"), "PASS"),
        (DB, fw("allow-imaging-to-db"), "PASS"),
        // Cloud SQL.
        (TLS, sql(A, "ehr-db-prod"), "PASS"),
        (NET, sql(A, "ehr-db-prod"), "PASS"),
        (BACKUPS, sql(A, "ehr-db-prod"), "PASS"),
        (TLS, sql(A, "billing-mysql"), "FAIL"),
        (NET, sql(A, "billing-mysql"), "FAIL"),
        (BACKUPS, sql(A, "billing-mysql"), "FAIL"),
        (TLS, sql(A, "reporting-pg14"), "PASS"),
        (NET, sql(A, "reporting-pg14"), "PASS"),
        (BACKUPS, sql(A, "reporting-pg14"), "PASS"),
        // Newest successful backup, measured against NOW: 8 h, none, 56 h (runs on page 2).
        (RECENT, sql(A, "ehr-db-prod"), "PASS"),
        (RECENT, sql(A, "billing-mysql"), "FAIL"),
        (RECENT, sql(A, "reporting-pg14"), "FAIL"),
        (SQL_CMEK, sql(A, "ehr-db-prod"), "PASS"),
        (SQL_CMEK, sql(A, "billing-mysql"), "PASS"),
        (SQL_CMEK, sql(A, "reporting-pg14"), "FAIL"),
        // Buckets, over two pages of buckets.list.
        (PUBLIC, bucket("janus-phi-uploads"), "PASS"),
        (UNIFORM, bucket("janus-phi-uploads"), "PASS"),
        (PUBLIC, bucket("janus-patient-portal-assets"), "FAIL"),
        (UNIFORM, bucket("janus-patient-portal-assets"), "PASS"),
        (PUBLIC, bucket("janus-legacy-exports"), "PASS"),
        (UNIFORM, bucket("janus-legacy-exports"), "FAIL"),
        (PUBLIC, bucket("janus-public-docs-locked"), "PASS"),
        (UNIFORM, bucket("janus-public-docs-locked"), "PASS"),
        (PAP, bucket("janus-phi-uploads"), "PASS"),
        (PAP, bucket("janus-patient-portal-assets"), "FAIL"),
        (PAP, bucket("janus-legacy-exports"), "FAIL"),
        (PAP, bucket("janus-public-docs-locked"), "PASS"),
        (VERSIONING, bucket("janus-phi-uploads"), "PASS"),
        (
            VERSIONING,
            bucket("janus-patient-portal-assets"),
            "NOT_APPLICABLE",
        ),
        (VERSIONING, bucket("janus-legacy-exports"), "FAIL"),
        (
            VERSIONING,
            bucket("janus-public-docs-locked"),
            "NOT_APPLICABLE",
        ),
        // KMS keys.
        (
            ROTATION,
            key(A, "us-central1", "ehr-keys", "disk-key"),
            "PASS",
        ),
        (
            ROTATION,
            key(A, "us-central1", "ehr-keys", "sql-key"),
            "FAIL",
        ),
        (
            ROTATION,
            key(A, "us-central1", "ehr-keys", "backup-key"),
            "FAIL",
        ),
        (
            ROTATION,
            key(A, "us-central1", "ehr-keys", "hl7-signing-key"),
            "NOT_APPLICABLE",
        ),
        (
            ROTATION,
            key(A, "us-central1", "ehr-keys", "retired-key"),
            "NOT_APPLICABLE",
        ),
        (
            KEY_PUBLIC,
            key(A, "us-central1", "ehr-keys", "disk-key"),
            "PASS",
        ),
        (
            KEY_PUBLIC,
            key(A, "us-central1", "ehr-keys", "sql-key"),
            "PASS",
        ),
        (
            KEY_PUBLIC,
            key(A, "us-central1", "ehr-keys", "backup-key"),
            "PASS",
        ),
        (
            KEY_PUBLIC,
            key(A, "us-central1", "ehr-keys", "hl7-signing-key"),
            "FAIL",
        ),
        (
            KEY_PUBLIC,
            key(A, "us-central1", "ehr-keys", "retired-key"),
            "PASS",
        ),
        // TLS proxies and their SSL policies (global and regional).
        (
            LB,
            compute(A, "global", "targetHttpsProxies", "patient-portal-https"),
            "PASS",
        ),
        (
            LB,
            compute(A, "global", "targetHttpsProxies", "partner-api-https"),
            "FAIL",
        ),
        (
            LB,
            compute(
                A,
                "regions/us-central1",
                "targetHttpsProxies",
                "internal-ehr-api-https",
            ),
            "PASS",
        ),
        (
            LB,
            compute(A, "global", "targetSslProxies", "legacy-hl7-ssl"),
            "FAIL",
        ),
    ]
    .into_iter()
    .chain(expected_prod_more())
    .chain(super::truth_stores::prod())
    .chain(super::segmentation::prod_unconfigured())
    .collect()
}

/// The verdicts of `janus-ehr-prod` for snapshots, instances, subnets, backend services,
/// bucket keys and logs, Postgres flags, audit configs and log sinks.
fn expected_prod_more() -> Vec<(&'static str, String, &'static str)> {
    let snap = |n: &str| compute(A, "global", "snapshots", n);
    let vm = |z: &str, n: &str| compute(A, &format!("zones/{z}"), "instances", n);
    let net = |r: &str, n: &str| compute(A, &format!("regions/{r}"), "subnetworks", n);
    let (db, gw, worker) = (
        vm("us-central1-a", "ehr-db-1"),
        vm("us-east1-b", "imaging-gw-1"),
        vm("us-east1-b", "imaging-worker-2"),
    );
    let app = vm("us-central1-a", "ehr-app-1");
    let (ehr_net, proxy_net, imaging_net) = (
        net("us-central1", "ehr-subnet"),
        net("us-central1", "proxy-only-us-central1"),
        net("us-east1", "imaging-subnet"),
    );
    vec![
        // Snapshots, over two pages: CMEK, an unlabelled snapshot of an internal disk, a
        // Google-managed snapshot of a protected disk, a protected one of a deleted disk, CSEK.
        (SNAPSHOT, snap("ehr-db-data-20260601"), "PASS"),
        (SNAPSHOT, snap("ehr-app-boot-20260601"), "PASS"),
        (SNAPSHOT, snap("imaging-scratch-20260531"), "FAIL"),
        (SNAPSHOT, snap("legacy-phi-export-2024"), "FAIL"),
        (SNAPSHOT, snap("elasticsearch-data-20260601"), "PASS"),
        // Instances; the imaging gateway has Shielded VM protection off.
        (EXTERNAL_IP, db.clone(), "PASS"),
        (DEFAULT_SA, db.clone(), "PASS"),
        (SHIELDED, db, "PASS"),
        (EXTERNAL_IP, app.clone(), "NOT_APPLICABLE"),
        (DEFAULT_SA, app.clone(), "PASS"),
        (SHIELDED, app, "PASS"),
        (EXTERNAL_IP, gw.clone(), "FAIL"),
        (DEFAULT_SA, gw.clone(), "FAIL"),
        (SHIELDED, gw, "FAIL"),
        // Stopped, with an ephemeral external address still configured.
        (EXTERNAL_IP, worker.clone(), "FAIL"),
        (DEFAULT_SA, worker.clone(), "PASS"),
        (SHIELDED, worker, "PASS"),
        // Subnetworks; the proxy-only subnet carries no VM traffic.
        (FLOW_LOGS, ehr_net.clone(), "PASS"),
        (PGA, ehr_net, "PASS"),
        (FLOW_LOGS, proxy_net.clone(), "NOT_APPLICABLE"),
        (PGA, proxy_net, "NOT_APPLICABLE"),
        (FLOW_LOGS, imaging_net.clone(), "FAIL"),
        (PGA, imaging_net, "FAIL"),
        // Backend services, global and regional.
        (
            BACKEND,
            compute(A, "global", "backendServices", "portal-backend"),
            "PASS",
        ),
        (
            BACKEND,
            compute(A, "global", "backendServices", "partner-api-backend"),
            "FAIL",
        ),
        (
            BACKEND,
            compute(
                A,
                "regions/us-central1",
                "backendServices",
                "internal-ehr-api-backend",
            ),
            "FAIL",
        ),
        (
            BACKEND,
            compute(A, "regions/us-central1", "backendServices", "hl7-ilb"),
            "NOT_APPLICABLE",
        ),
        // Bucket keys and usage logs.
        (BUCKET_CMEK, bucket("janus-phi-uploads"), "PASS"),
        (BUCKET_CMEK, bucket("janus-patient-portal-assets"), "PASS"),
        (BUCKET_CMEK, bucket("janus-legacy-exports"), "FAIL"),
        (BUCKET_CMEK, bucket("janus-public-docs-locked"), "PASS"),
        (BUCKET_LOGGING, bucket("janus-phi-uploads"), "PASS"),
        (
            BUCKET_LOGGING,
            bucket("janus-patient-portal-assets"),
            "NOT_APPLICABLE",
        ),
        (BUCKET_LOGGING, bucket("janus-legacy-exports"), "FAIL"),
        (
            BUCKET_LOGGING,
            bucket("janus-public-docs-locked"),
            "NOT_APPLICABLE",
        ),
        // Postgres logging flags: on, off / unset, and a MySQL instance.
        (PG_CONNECT, sql(A, "ehr-db-prod"), "PASS"),
        (PG_DISCONNECT, sql(A, "ehr-db-prod"), "PASS"),
        (PG_CONNECT, sql(A, "billing-mysql"), "NOT_APPLICABLE"),
        (PG_DISCONNECT, sql(A, "billing-mysql"), "NOT_APPLICABLE"),
        (PG_CONNECT, sql(A, "reporting-pg14"), "FAIL"),
        (PG_DISCONNECT, sql(A, "reporting-pg14"), "FAIL"),
        // The project: audit configs for allServices, an audit sink on page 2 of sinks.list.
        (AUDIT_LOGS, project_policy(A), "PASS"),
        (SINK, sinks(A), "PASS"),
    ]
}

/// The verdicts of the two projects where some collections fail.
pub(crate) fn expected_degraded() -> Vec<(&'static str, String, &'static str)> {
    let fw = |p: &str, n: &str| compute(p, "global", "firewalls", n);
    let errors = |checks: &[&'static str], p: &str, region: &str, kind: &str| {
        checks
            .iter()
            .map(|c| (*c, error(p, region, kind), "ERROR"))
            .collect::<Vec<_>>()
    };
    let mut out = vec![
        (
            DISK,
            compute(B, "zones/us-central1-c", "disks", "analytics-worker-boot"),
            "PASS",
        ),
        (ADMIN, fw(B, "default-allow-icmp"), "PASS"),
        (DB, fw(B, "default-allow-icmp"), "PASS"),
        (ADMIN, fw(B, "default-allow-internal"), "PASS"),
        (DB, fw(B, "default-allow-internal"), "PASS"),
        (ADMIN, fw(B, "default-allow-rdp"), "FAIL"),
        (DB, fw(B, "default-allow-rdp"), "PASS"),
        (ADMIN, fw(B, "default-allow-ssh"), "FAIL"),
        (DB, fw(B, "default-allow-ssh"), "PASS"),
        // The other janus-analytics bucket, in the region of the one whose IAM policy is
        // denied, keeps its verdicts: one unreadable bucket blinds only itself.
        (PUBLIC, bucket("analytics-scratch"), "PASS"),
        (UNIFORM, bucket("analytics-scratch"), "PASS"),
        (PAP, bucket("analytics-scratch"), "PASS"),
        (VERSIONING, bucket("analytics-scratch"), "NOT_APPLICABLE"),
        (BUCKET_CMEK, bucket("analytics-scratch"), "PASS"),
        (
            BUCKET_LOGGING,
            bucket("analytics-scratch"),
            "NOT_APPLICABLE",
        ),
        // janus-analytics: the default subnet, no flow logs, no Private Google Access; audit
        // configs for Cloud Storage only.
        (
            FLOW_LOGS,
            compute(B, "regions/us-central1", "subnetworks", "default"),
            "FAIL",
        ),
        (
            PGA,
            compute(B, "regions/us-central1", "subnetworks", "default"),
            "FAIL",
        ),
        (AUDIT_LOGS, project_policy(B), "FAIL"),
        (SINK, error(B, "all-regions", "GcpProjectLogSinks"), "ERROR"),
        // janus-partner-sandbox: snapshots denied, and the disks their verdict also reads.
        (
            SNAPSHOT,
            error(C, "all-regions", "GcpComputeSnapshot"),
            "ERROR",
        ),
        (SNAPSHOT, error(C, "all-regions", "GcpComputeDisk"), "ERROR"),
        (
            EXTERNAL_IP,
            compute(C, "zones/us-central1-a", "instances", "partner-vpn-gw"),
            "NOT_APPLICABLE",
        ),
        (
            DEFAULT_SA,
            compute(C, "zones/us-central1-a", "instances", "partner-vpn-gw"),
            "FAIL",
        ),
        (
            SHIELDED,
            compute(C, "zones/us-central1-a", "instances", "partner-vpn-gw"),
            "PASS",
        ),
        (
            FLOW_LOGS,
            compute(C, "regions/us-central1", "subnetworks", "partner-subnet"),
            "PASS",
        ),
        (
            PGA,
            compute(C, "regions/us-central1", "subnetworks", "partner-subnet"),
            "PASS",
        ),
        (
            BACKEND,
            compute(C, "global", "backendServices", "partner-ssl-backend"),
            "PASS",
        ),
        // allServices, but a partner ETL account is exempted from DATA_READ.
        (AUDIT_LOGS, project_policy(C), "FAIL"),
        // An errors-only sink and a disabled export.
        (SINK, sinks(C), "FAIL"),
        // janus-partner-sandbox: disks denied; the global key ring's key is still judged.
        (DISK, error(C, "all-regions", "GcpComputeDisk"), "ERROR"),
        (ADMIN, fw(C, "allow-partner-vpn"), "PASS"),
        (DB, fw(C, "allow-partner-vpn"), "PASS"),
        (
            ROTATION,
            key(C, "global", "partner-keys", "partner-token-key"),
            "PASS",
        ),
        (
            KEY_PUBLIC,
            key(C, "global", "partner-keys", "partner-token-key"),
            "PASS",
        ),
    ];
    // Cloud SQL Admin API disabled in janus-analytics.
    out.extend(errors(&SQL_CHECKS, B, "all-regions", "GcpSqlInstance"));
    // One janus-analytics bucket's IAM policy denied: that bucket is ERROR.
    out.extend(BUCKET_CHECKS.map(|c| (c, bucket("analytics-exports"), "ERROR")));
    // janus-partner-sandbox: buckets throttled past retries, key rings denied in us-central1.
    out.extend(errors(&BUCKET_CHECKS, C, "all-regions", "GcpStorageBucket"));
    out.extend(errors(&KEY_CHECKS, C, "us-central1", "GcpKmsKey"));
    out.extend(super::truth_stores::degraded());
    out.extend(super::segmentation::degraded_unconfigured());
    out
}
