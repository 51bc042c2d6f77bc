//! Janus Healthcare Partners on GCP (project `janus-hcp-prod`): the EHR Postgres database,
//! the ePHI upload bucket, the bastion, Logstash and ElasticSearch servers, and the load
//! balancers of the patient portal and partner API. Each GCP check finds at least one
//! compliant and one non-compliant resource here.
//!
//! Resource ids are Cloud Asset Inventory full resource names
//! (`//compute.googleapis.com/projects/...`, `//cloudsql.googleapis.com/projects/...`,
//! `//storage.googleapis.com/<bucket>`, `//cloudkms.googleapis.com/projects/...`).

use chrono::{DateTime, Duration, Utc};

use super::{GCP_PROJECT as P, GCP_SANDBOX_PROJECT as SANDBOX};
use crate::model::gcp::{
    AuditConfig, AuditLogConfig, AuthorizedNetwork, BackendService, ComputeDisk, ComputeInstance,
    ComputeSnapshot, DatabaseFlag, DiskEncryption, Firewall, FirewallEntry, IamBinding,
    InstanceServiceAccount, KmsKey, LogSink, NetworkInterface, ProjectAuditConfig, ProjectLogSinks,
    ShieldedVm, SqlInstance, SslPolicy, StorageBucket, Subnetwork, TargetProxy,
};
use crate::model::{Inventory, ResourceKind, ResourceRef};

const REGION: &str = "us-central1";
const ZONE: &str = "us-central1-a";
const COMPUTE: &str = "https://www.googleapis.com/compute/v1";
const NETWORK: &str =
    "https://www.googleapis.com/compute/v1/projects/janus-hcp-prod/global/networks/janus-vpc";
const KEY_RING: &str = "janus-prod";
const DAY: i64 = 86_400;

fn compute_ref(kind: ResourceKind, location: &str, collection: &str, name: &str) -> ResourceRef {
    let scope = if location == "global" {
        "global".to_string()
    } else if matches!(
        kind,
        ResourceKind::GcpComputeDisk | ResourceKind::GcpComputeInstance
    ) {
        format!("zones/{location}")
    } else {
        format!("regions/{location}")
    };
    ResourceRef::new(
        kind,
        P,
        location,
        format!("//compute.googleapis.com/projects/{P}/{scope}/{collection}/{name}"),
        name,
    )
}

fn kms_key_name(key: &str) -> String {
    format!("projects/{P}/locations/{REGION}/keyRings/{KEY_RING}/cryptoKeys/{key}")
}

fn disk(name: &str, encryption: DiskEncryption, class: &str, instance: &str) -> ComputeDisk {
    ComputeDisk {
        resource: compute_ref(ResourceKind::GcpComputeDisk, ZONE, "disks", name)
            .with_tag("data-classification", class)
            .with_tag("env", "prod"),
        encryption,
        status: Some("READY".into()),
        users: vec![format!(
            "{COMPUTE}/projects/{P}/zones/{ZONE}/instances/{instance}"
        )],
    }
}

fn allow(proto: &str, ports: &[&str]) -> FirewallEntry {
    FirewallEntry {
        ip_protocol: proto.into(),
        ports: ports.iter().map(|p| p.to_string()).collect(),
    }
}

fn firewall(name: &str, sources: &[&str], tags: &[&str], allowed: Vec<FirewallEntry>) -> Firewall {
    Firewall {
        resource: compute_ref(
            ResourceKind::GcpComputeFirewall,
            "global",
            "firewalls",
            name,
        ),
        network: NETWORK.into(),
        direction: "INGRESS".into(),
        disabled: false,
        priority: 1000,
        source_ranges: sources.iter().map(|s| s.to_string()).collect(),
        target_tags: tags.iter().map(|t| t.to_string()).collect(),
        target_service_accounts: vec![],
        allowed,
        denied: vec![],
    }
}

/// A private Postgres instance with TLS, CMEK and backups; callers spoil what they need.
fn sql(name: &str, version: &str, now: DateTime<Utc>) -> SqlInstance {
    SqlInstance {
        resource: ResourceRef::new(
            ResourceKind::GcpSqlInstance,
            P,
            REGION,
            format!("//cloudsql.googleapis.com/projects/{P}/instances/{name}"),
            name,
        )
        .with_tag("data-classification", "protected"),
        database_version: version.into(),
        ssl_mode: Some("ENCRYPTED_ONLY".into()),
        require_ssl: Some(true),
        ipv4_enabled: false,
        authorized_networks: vec![],
        backup_enabled: true,
        point_in_time_recovery: Some(true),
        last_successful_backup: Some(now - Duration::hours(6)),
        kms_key_name: Some(kms_key_name("cloudsql-key")),
        database_flags: if version.starts_with("POSTGRES") {
            ["log_connections", "log_disconnections"]
                .iter()
                .map(|f| DatabaseFlag {
                    name: f.to_string(),
                    value: "on".into(),
                })
                .collect()
        } else {
            vec![]
        },
    }
}

fn binding(role: &str, members: &[&str]) -> IamBinding {
    IamBinding {
        role: role.into(),
        members: members.iter().map(|m| m.to_string()).collect(),
    }
}

fn bucket(name: &str, class: &str, uniform: bool, bindings: Vec<IamBinding>) -> StorageBucket {
    StorageBucket {
        resource: ResourceRef::new(
            ResourceKind::GcpStorageBucket,
            P,
            REGION,
            format!("//storage.googleapis.com/{name}"),
            name,
        )
        .with_tag("data-classification", class),
        iam_bindings: bindings,
        uniform_bucket_level_access: uniform,
        public_access_prevention: Some(if uniform { "enforced" } else { "inherited" }.into()),
        default_kms_key_name: uniform.then(|| kms_key_name("storage-key")),
        versioning_enabled: uniform,
        retention_period_seconds: None,
        logging_bucket: Some("janus-hcp-access-logs".into()),
    }
}

fn key(
    name: &str,
    purpose: &str,
    rotation_days: Option<i64>,
    state: &str,
    now: DateTime<Utc>,
) -> KmsKey {
    KmsKey {
        resource: ResourceRef::new(
            ResourceKind::GcpKmsKey,
            P,
            REGION,
            format!("//cloudkms.googleapis.com/{}", kms_key_name(name)),
            name,
        ),
        purpose: purpose.into(),
        rotation_period_seconds: rotation_days.map(|d| d * DAY),
        next_rotation_time: rotation_days.map(|d| now + Duration::days(d / 3)),
        primary_state: Some(state.into()),
        iam_bindings: vec![],
    }
}

fn ssl_policy(name: &str, min_tls: &str, profile: &str) -> SslPolicy {
    SslPolicy {
        resource: compute_ref(ResourceKind::GcpSslPolicy, "global", "sslPolicies", name),
        self_link: format!("{COMPUTE}/projects/{P}/global/sslPolicies/{name}"),
        min_tls_version: min_tls.into(),
        profile: profile.into(),
    }
}

fn proxy(collection: &str, name: &str, policy: Option<&str>) -> TargetProxy {
    TargetProxy {
        resource: compute_ref(ResourceKind::GcpTargetProxy, "global", collection, name),
        proxy_type: if collection == "targetSslProxies" {
            "ssl"
        } else {
            "https"
        }
        .into(),
        ssl_policy: policy.map(|p| format!("{COMPUTE}/projects/{P}/global/sslPolicies/{p}")),
    }
}

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    let cmek = |k: &str| DiskEncryption::Cmek {
        kms_key_name: kms_key_name(k),
    };
    inv.gcp_compute_disks = vec![
        disk("ehr-data", cmek("ehr-disk-key"), "protected", "ehr-api-1"),
        disk(
            "elasticsearch-data",
            DiskEncryption::Csek,
            "protected",
            "elasticsearch-1",
        ),
        disk(
            "bastion-boot",
            DiskEncryption::GoogleManaged,
            "internal",
            "bastion",
        ),
        // Logstash ships application logs that contain patient identifiers.
        disk(
            "logstash-data",
            DiskEncryption::GoogleManaged,
            "protected",
            "logstash-1",
        ),
    ];

    let mut egress = firewall("deny-egress-internet", &[], &[], vec![]);
    egress.direction = "EGRESS".into();
    egress.denied = vec![allow("all", &[])];
    let mut es_debug = firewall(
        "allow-elasticsearch-debug",
        &["0.0.0.0/0"],
        &["elasticsearch"],
        vec![allow("tcp", &["9200"])],
    );
    es_debug.disabled = true;
    inv.gcp_compute_firewalls = vec![
        // SSH reaches the bastion only through Identity-Aware Proxy's forwarding range.
        firewall(
            "allow-ssh-bastion-iap",
            &["35.235.240.0/20"],
            &["bastion"],
            vec![allow("tcp", &["22"])],
        ),
        firewall(
            "allow-ssh-legacy-ops",
            &["0.0.0.0/0"],
            &["ops"],
            vec![allow("tcp", &["22", "3389"])],
        ),
        firewall(
            "allow-https-lb",
            &["130.211.0.0/22", "35.191.0.0/16"],
            &["web"],
            vec![allow("tcp", &["443"])],
        ),
        firewall(
            "allow-internal",
            &["10.10.0.0/16"],
            &[],
            vec![allow("all", &[])],
        ),
        firewall(
            "allow-postgres-vendor",
            &["0.0.0.0/0", "::/0"],
            &["postgres"],
            vec![allow("tcp", &["5432"])],
        ),
        firewall(
            "allow-portal-public",
            &["0.0.0.0/0"],
            &["web"],
            vec![allow("tcp", &["80", "443"])],
        ),
        es_debug,
        egress,
    ];

    let mut billing = sql("billing-db", "MYSQL_8_0", now);
    billing.ssl_mode = Some("ALLOW_UNENCRYPTED_AND_ENCRYPTED".into());
    billing.require_ssl = Some(false);
    billing.ipv4_enabled = true;
    billing.authorized_networks = vec![AuthorizedNetwork {
        name: Some("anywhere".into()),
        value: "0.0.0.0/0".into(),
    }];
    billing.backup_enabled = false;
    billing.point_in_time_recovery = Some(false);
    billing.last_successful_backup = None;
    let mut reporting = sql("reporting-db", "POSTGRES_14", now);
    reporting.ssl_mode = None;
    reporting.ipv4_enabled = true;
    reporting.authorized_networks = vec![AuthorizedNetwork {
        name: Some("janus-office".into()),
        value: "203.0.113.0/24".into(),
    }];
    reporting.point_in_time_recovery = Some(false);
    reporting.last_successful_backup = Some(now - Duration::hours(20));
    // Created before the CMEK rollout: still on Google-managed keys.
    reporting.kms_key_name = None;
    // Restored from a dump of a self-managed server; its logging flags were never set.
    reporting.database_flags = vec![];
    inv.gcp_sql_instances = vec![sql("ehr-db", "POSTGRES_15", now), billing, reporting];

    let uploader = "serviceAccount:ehr-api@janus-hcp-prod.iam.gserviceaccount.com";
    let mut buckets = vec![
        bucket(
            "phi-uploads",
            "protected",
            true,
            vec![binding("roles/storage.objectAdmin", &[uploader])],
        ),
        bucket(
            "janus-hcp-backups",
            "protected",
            true,
            vec![binding("roles/storage.objectCreator", &[uploader])],
        ),
        bucket(
            "patient-exports-tmp",
            "protected",
            false,
            vec![binding(
                "roles/storage.objectViewer",
                &[uploader, "allAuthenticatedUsers"],
            )],
        ),
    ];
    // The temporary export bucket was never given usage logs.
    buckets[2].logging_bucket = None;
    inv.gcp_storage_buckets = buckets;

    let compute_agent =
        "serviceAccount:service-418802339120@compute-system.iam.gserviceaccount.com";
    let mut disk_key = key("ehr-disk-key", "ENCRYPT_DECRYPT", Some(90), "ENABLED", now);
    disk_key.iam_bindings = vec![binding(
        "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        &[compute_agent],
    )];
    // A partner was given the public key "to verify tokens", to every Google account.
    let mut signing = key("api-token-signing", "ASYMMETRIC_SIGN", None, "ENABLED", now);
    signing.iam_bindings = vec![binding(
        "roles/cloudkms.publicKeyViewer",
        &["allAuthenticatedUsers"],
    )];
    inv.gcp_kms_keys = vec![
        disk_key,
        key("cloudsql-key", "ENCRYPT_DECRYPT", Some(30), "ENABLED", now),
        key("storage-key", "ENCRYPT_DECRYPT", None, "ENABLED", now),
        key(
            "logstash-archive-key",
            "ENCRYPT_DECRYPT",
            Some(365),
            "ENABLED",
            now,
        ),
        signing,
        key("legacy-2019-key", "ENCRYPT_DECRYPT", None, "DESTROYED", now),
    ];

    inv.gcp_ssl_policies = vec![
        ssl_policy("janus-tls12-modern", "TLS_1_2", "MODERN"),
        ssl_policy("partner-compat", "TLS_1_0", "COMPATIBLE"),
    ];
    inv.gcp_target_proxies = vec![
        proxy(
            "targetHttpsProxies",
            "portal-https-proxy",
            Some("janus-tls12-modern"),
        ),
        proxy("targetHttpsProxies", "fhir-api-https-proxy", None),
        proxy(
            "targetSslProxies",
            "partner-hl7-ssl-proxy",
            Some("partner-compat"),
        ),
    ];
}

fn snapshot(name: &str, encryption: DiskEncryption, disk: &str) -> ComputeSnapshot {
    ComputeSnapshot {
        resource: compute_ref(
            ResourceKind::GcpComputeSnapshot,
            "global",
            "snapshots",
            name,
        ),
        encryption,
        source_disk: Some(format!("{COMPUTE}/projects/{P}/zones/{ZONE}/disks/{disk}")),
        storage_locations: vec!["us".into()],
        status: Some("READY".into()),
    }
}

fn instance(
    name: &str,
    class: &str,
    external: &[&str],
    sa: &str,
    scopes: &[&str],
) -> ComputeInstance {
    ComputeInstance {
        resource: compute_ref(ResourceKind::GcpComputeInstance, ZONE, "instances", name)
            .with_tag("data-classification", class),
        status: Some("RUNNING".into()),
        network_interfaces: vec![NetworkInterface {
            name: Some("nic0".into()),
            subnetwork: Some(format!(
                "{COMPUTE}/projects/{P}/regions/{REGION}/subnetworks/ehr-app"
            )),
            network_ip: Some("10.10.1.12".into()),
            external_ips: external.iter().map(|s| s.to_string()).collect(),
        }],
        service_accounts: vec![InstanceServiceAccount {
            email: sa.into(),
            scopes: scopes
                .iter()
                .map(|s| format!("https://www.googleapis.com/auth/{s}"))
                .collect(),
        }],
        disks: vec![],
        shielded_vm: Some(ShieldedVm {
            secure_boot: Some(true),
            vtpm: Some(true),
            integrity_monitoring: Some(true),
        }),
    }
}

fn subnet(name: &str, cidr: &str, flow_logs: bool, pga: bool) -> Subnetwork {
    Subnetwork {
        resource: compute_ref(ResourceKind::GcpSubnetwork, REGION, "subnetworks", name),
        network: Some(NETWORK.into()),
        ip_cidr_range: Some(cidr.into()),
        purpose: Some("PRIVATE".into()),
        flow_logs: Some(flow_logs),
        flow_sampling: flow_logs.then_some(0.5),
        private_google_access: Some(pga),
    }
}

fn backend(name: &str, protocol: &str, scheme: &str) -> BackendService {
    BackendService {
        resource: compute_ref(
            ResourceKind::GcpBackendService,
            "global",
            "backendServices",
            name,
        ),
        protocol: Some(protocol.into()),
        load_balancing_scheme: Some(scheme.into()),
    }
}

fn project_ref(kind: ResourceKind, project: &str, id: String) -> ResourceRef {
    ResourceRef::new(kind, project, "global", id, project)
}

fn sink(name: &str, destination: &str, filter: &str) -> LogSink {
    LogSink {
        name: name.into(),
        destination: destination.into(),
        filter: filter.into(),
        disabled: false,
    }
}

/// Snapshots, VMs, subnets, backend services, and the production and sandbox projects'
/// audit configuration and log sinks.
pub(super) fn add_more(inv: &mut Inventory) {
    inv.gcp_compute_snapshots = vec![
        snapshot(
            "ehr-data-daily",
            DiskEncryption::Cmek {
                kms_key_name: kms_key_name("ehr-disk-key"),
            },
            "ehr-data",
        ),
        // Logstash's disk is protected; its snapshot inherits that, not the key.
        snapshot(
            "logstash-data-weekly",
            DiskEncryption::GoogleManaged,
            "logstash-data",
        ),
    ];

    let default_sa = "418802339120-compute@developer.gserviceaccount.com";
    // The bastion runs an old image without Shielded VM support.
    let mut bastion = instance(
        "bastion",
        "internal",
        &["34.121.40.2"],
        default_sa,
        &["logging.write"],
    );
    bastion.shielded_vm = Some(ShieldedVm {
        secure_boot: Some(false),
        vtpm: Some(false),
        integrity_monitoring: Some(false),
    });
    inv.gcp_compute_instances = vec![
        instance(
            "ehr-api-1",
            "protected",
            &[],
            &format!("ehr-api@{P}.iam.gserviceaccount.com"),
            &["cloud-platform"],
        ),
        // Logstash was set up from a tutorial: public address, default account, full scope.
        instance(
            "logstash-1",
            "protected",
            &["34.121.40.7"],
            default_sa,
            &["cloud-platform"],
        ),
        bastion,
    ];

    inv.gcp_subnetworks = vec![
        subnet("ehr-app", "10.10.1.0/24", true, true),
        subnet("ops-legacy", "10.10.9.0/24", false, false),
    ];

    inv.gcp_backend_services = vec![
        backend("portal-backend", "HTTPS", "EXTERNAL_MANAGED"),
        backend("fhir-api-backend", "HTTP", "EXTERNAL_MANAGED"),
    ];

    let all = |types: &[&str]| AuditConfig {
        service: "allServices".into(),
        log_configs: types
            .iter()
            .map(|t| AuditLogConfig {
                log_type: t.to_string(),
                exempted_members: vec![],
            })
            .collect(),
    };
    let rm = |p: &str| format!("//cloudresourcemanager.googleapis.com/projects/{p}");
    inv.gcp_project_audit_configs = vec![
        ProjectAuditConfig {
            resource: project_ref(ResourceKind::GcpProjectAuditConfig, P, rm(P)),
            audit_configs: vec![all(&["ADMIN_READ", "DATA_READ", "DATA_WRITE"])],
        },
        // The sandbox only ever got admin reads.
        ProjectAuditConfig {
            resource: project_ref(ResourceKind::GcpProjectAuditConfig, SANDBOX, rm(SANDBOX)),
            audit_configs: vec![all(&["ADMIN_READ"])],
        },
    ];

    let sinks = |p: &str| format!("//logging.googleapis.com/projects/{p}/sinks");
    let built_ins = |p: &str| {
        vec![
            sink(
                "_Default",
                &format!("logging.googleapis.com/projects/{p}/locations/global/buckets/_Default"),
                r#"NOT LOG_ID("cloudaudit.googleapis.com/activity") AND NOT LOG_ID("externalaudit.googleapis.com/activity") AND NOT LOG_ID("cloudaudit.googleapis.com/system_event") AND NOT LOG_ID("externalaudit.googleapis.com/system_event") AND NOT LOG_ID("cloudaudit.googleapis.com/access_transparency") AND NOT LOG_ID("externalaudit.googleapis.com/access_transparency")"#,
            ),
            sink(
                "_Required",
                &format!("logging.googleapis.com/projects/{p}/locations/global/buckets/_Required"),
                r#"LOG_ID("cloudaudit.googleapis.com/activity") OR LOG_ID("externalaudit.googleapis.com/activity") OR LOG_ID("cloudaudit.googleapis.com/system_event") OR LOG_ID("externalaudit.googleapis.com/system_event") OR LOG_ID("cloudaudit.googleapis.com/access_transparency") OR LOG_ID("externalaudit.googleapis.com/access_transparency")"#,
            ),
        ]
    };
    let mut prod = built_ins(P);
    prod.push(sink(
        "audit-archive",
        "storage.googleapis.com/janus-hcp-audit-archive",
        r#"logName:"cloudaudit.googleapis.com""#,
    ));
    inv.gcp_project_log_sinks = vec![
        ProjectLogSinks {
            resource: project_ref(ResourceKind::GcpProjectLogSinks, P, sinks(P)),
            sinks: prod,
        },
        ProjectLogSinks {
            resource: project_ref(ResourceKind::GcpProjectLogSinks, SANDBOX, sinks(SANDBOX)),
            sinks: built_ins(SANDBOX),
        },
    ];
}
