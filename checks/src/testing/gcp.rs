//! GCP resources for check tests. Each builder returns a resource that passes every check
//! reading its kind (unless its doc says otherwise), named by its id, in project `proj-1`;
//! a test edits the fields it is about.

use phiscan_core::model::gcp::*;
use phiscan_core::ResourceKind;

use super::gcp_ref;

/// The `selfLink` prefix of the project's SSL policies.
pub const SSL_POLICIES: &str =
    "https://www.googleapis.com/compute/v1/projects/proj-1/global/sslPolicies/";

/// An HTTPS backend service of an external Application Load Balancer.
pub fn backend_service(id: &str) -> BackendService {
    BackendService {
        resource: gcp_ref(ResourceKind::GcpBackendService, "global", id),
        protocol: Some("HTTPS".into()),
        load_balancing_scheme: Some("EXTERNAL_MANAGED".into()),
    }
}

/// A ready, unattached zonal disk with Google-managed keys (and no classification label).
pub fn compute_disk(id: &str) -> ComputeDisk {
    ComputeDisk {
        resource: gcp_ref(ResourceKind::GcpComputeDisk, "us-central1-a", id),
        encryption: DiskEncryption::GoogleManaged,
        status: Some("READY".into()),
        users: vec![],
        resource_policies: vec![],
    }
}

/// A running VM with one internal-only interface, no service account, and every Shielded
/// VM feature on.
pub fn compute_instance(id: &str) -> ComputeInstance {
    ComputeInstance {
        resource: gcp_ref(ResourceKind::GcpComputeInstance, "us-central1-a", id),
        status: Some("RUNNING".into()),
        network_interfaces: vec![NetworkInterface {
            name: Some("nic0".into()),
            network: Some("projects/proj-1/global/networks/default".into()),
            subnetwork: None,
            network_ip: Some("10.0.0.2".into()),
            external_ips: vec![],
        }],
        service_accounts: vec![],
        disks: vec![],
        shielded_vm: Some(ShieldedVm {
            secure_boot: Some(true),
            vtpm: Some(true),
            integrity_monitoring: Some(true),
        }),
        network_tags: vec![],
    }
}

/// A ready multi-regional snapshot with Google-managed keys and no known source disk.
pub fn compute_snapshot(id: &str) -> ComputeSnapshot {
    ComputeSnapshot {
        resource: gcp_ref(ResourceKind::GcpComputeSnapshot, "global", id),
        encryption: DiskEncryption::GoogleManaged,
        source_disk: None,
        storage_locations: vec!["us".into()],
        status: Some("READY".into()),
        created_at: None,
        auto_created: false,
    }
}

/// An enabled ingress rule of the default network, priority 1000, to every instance.
pub fn firewall(id: &str, sources: &[&str], allowed: Vec<FirewallEntry>) -> Firewall {
    Firewall {
        resource: gcp_ref(ResourceKind::GcpComputeFirewall, "global", id),
        network: "projects/proj-1/global/networks/default".into(),
        direction: "INGRESS".into(),
        disabled: false,
        priority: 1000,
        source_ranges: sources.iter().map(|s| s.to_string()).collect(),
        target_tags: vec![],
        target_service_accounts: vec![],
        source_tags: vec![],
        source_service_accounts: vec![],
        allowed,
        denied: vec![],
    }
}

pub fn firewall_entry(proto: &str, ports: &[&str]) -> FirewallEntry {
    FirewallEntry {
        ip_protocol: proto.into(),
        ports: ports.iter().map(|p| p.to_string()).collect(),
    }
}

pub fn iam_binding(role: &str, members: &[&str]) -> IamBinding {
    IamBinding {
        role: role.into(),
        members: members.iter().map(|m| m.to_string()).collect(),
        condition: None,
    }
}

/// An enabled symmetric key rotated every 90 days, with no IAM bindings.
pub fn kms_key(id: &str) -> KmsKey {
    KmsKey {
        resource: gcp_ref(ResourceKind::GcpKmsKey, "us-central1", id),
        purpose: "ENCRYPT_DECRYPT".into(),
        rotation_period_seconds: Some(90 * 24 * 3600),
        next_rotation_time: None,
        primary_state: Some("ENABLED".into()),
        iam_bindings: vec![],
    }
}

/// The project's audit configuration: every Data Access log type of every service, with
/// no exemptions.
pub fn project_audit_config(project: &str) -> ProjectAuditConfig {
    ProjectAuditConfig {
        resource: gcp_ref(ResourceKind::GcpProjectAuditConfig, "global", project),
        audit_configs: vec![AuditConfig {
            service: "allServices".into(),
            log_configs: ["ADMIN_READ", "DATA_READ", "DATA_WRITE"]
                .into_iter()
                .map(|t| AuditLogConfig {
                    log_type: t.into(),
                    exempted_members: vec![],
                })
                .collect(),
        }],
        iam_bindings: Some(vec![]),
    }
}

/// The project's sinks: only the two Google creates in every project (`_Required` and
/// `_Default`), which export nothing: tests add the sink they are about.
pub fn project_log_sinks(project: &str) -> ProjectLogSinks {
    ProjectLogSinks {
        resource: gcp_ref(ResourceKind::GcpProjectLogSinks, "global", project),
        sinks: vec![
            log_sink(
                "_Required",
                r#"LOG_ID("cloudaudit.googleapis.com/activity")"#,
            ),
            log_sink(
                "_Default",
                r#"NOT LOG_ID("cloudaudit.googleapis.com/activity")"#,
            ),
        ],
    }
}

/// An enabled sink to a Cloud Storage bucket named after it.
pub fn log_sink(name: &str, filter: &str) -> LogSink {
    LogSink {
        name: name.into(),
        destination: format!("storage.googleapis.com/{name}-bucket"),
        filter: filter.into(),
        disabled: false,
    }
}

/// A private, TLS-only Postgres 15 instance with backups and point-in-time recovery.
pub fn sql_instance(id: &str) -> SqlInstance {
    SqlInstance {
        resource: gcp_ref(ResourceKind::GcpSqlInstance, "us-central1", id),
        database_version: "POSTGRES_15".into(),
        ssl_mode: Some("ENCRYPTED_ONLY".into()),
        require_ssl: None,
        ipv4_enabled: false,
        authorized_networks: vec![],
        backup_enabled: true,
        point_in_time_recovery: Some(true),
        last_successful_backup: None,
        kms_key_name: None,
        database_flags: vec![],
    }
}

/// `sql_instance` on `version` with an unrelated flag set, and `flag` set to `value` when
/// there is one.
pub fn sql_instance_with_flag(
    id: &str,
    version: &str,
    flag: &str,
    value: Option<&str>,
) -> SqlInstance {
    let mut i = sql_instance(id);
    i.database_version = version.into();
    i.database_flags = vec![DatabaseFlag {
        name: "max_connections".into(),
        value: "200".into(),
    }];
    if let Some(v) = value {
        i.database_flags.push(DatabaseFlag {
            name: flag.into(),
            value: v.into(),
        });
    }
    i
}

/// A global TLS 1.2 `MODERN` policy.
pub fn ssl_policy(name: &str) -> SslPolicy {
    SslPolicy {
        resource: gcp_ref(ResourceKind::GcpSslPolicy, "global", name),
        self_link: format!("{SSL_POLICIES}{name}"),
        min_tls_version: "TLS_1_2".into(),
        profile: "MODERN".into(),
    }
}

/// A private bucket (no bindings) with uniform access, no public access prevention
/// reported, and nothing else configured: tests set what they check.
pub fn storage_bucket(id: &str) -> StorageBucket {
    StorageBucket {
        resource: gcp_ref(ResourceKind::GcpStorageBucket, "us-central1", id),
        iam_bindings: vec![],
        uniform_bucket_level_access: true,
        public_access_prevention: None,
        default_kms_key_name: None,
        versioning_enabled: false,
        retention_period_seconds: None,
        logging_bucket: None,
    }
}

/// A subnet of network `vpc`; `flow_logs` and `pga` as the API reports them (None: the
/// field is absent), sampling half the flows when flow logs are on.
pub fn subnetwork(id: &str, flow_logs: Option<bool>, pga: Option<bool>) -> Subnetwork {
    Subnetwork {
        resource: gcp_ref(ResourceKind::GcpSubnetwork, "us-central1", id),
        network: Some(
            "https://www.googleapis.com/compute/v1/projects/proj-1/global/networks/vpc".into(),
        ),
        ip_cidr_range: Some("10.0.0.0/24".into()),
        purpose: None,
        flow_logs,
        flow_sampling: flow_logs.filter(|on| *on).map(|_| 0.5),
        private_google_access: pga,
    }
}

/// An HTTPS proxy on the `tls12` policy of `ssl_policy`.
pub fn target_proxy(id: &str) -> TargetProxy {
    TargetProxy {
        resource: gcp_ref(ResourceKind::GcpTargetProxy, "global", id),
        proxy_type: "https".into(),
        ssl_policy: Some(format!("{SSL_POLICIES}tls12")),
    }
}

/// VPC network `id` of the test project, with peerings (name, peer network, state); a peer
/// without a `/` is a network of the test project.
pub fn network(id: &str, peerings: &[(&str, &str, &str)]) -> Network {
    let link = |n: &str| {
        if n.contains('/') {
            n.to_string()
        } else {
            format!("projects/proj-1/global/networks/{n}")
        }
    };
    Network {
        resource: gcp_ref(ResourceKind::GcpNetwork, "global", id),
        self_link: link(id),
        peerings: peerings
            .iter()
            .map(|(name, peer, state)| NetworkPeering {
                name: name.to_string(),
                network: link(peer),
                state: Some(state.to_string()),
            })
            .collect(),
    }
}
