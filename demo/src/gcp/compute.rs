//! Compute Engine: disks, snapshots, VM instances, firewalls and subnetworks (the checks
//! in `checks/src/gcp/compute/`).

use chrono::{DateTime, Duration, Utc};

use super::{compute_ref, kms_key_name, COMPUTE, P, REGION};
use crate::model::gcp::{
    ComputeDisk, ComputeInstance, ComputeSnapshot, DiskEncryption, Firewall, FirewallEntry,
    InstanceServiceAccount, NetworkInterface, ShieldedVm, Subnetwork,
};
use crate::model::{Inventory, ResourceKind};

const ZONE: &str = "us-central1-a";
const NETWORK: &str =
    "https://www.googleapis.com/compute/v1/projects/janus-hcp-prod/global/networks/janus-vpc";

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    let cmek = |k: &str| DiskEncryption::Cmek {
        kms_key_name: kms_key_name(k),
    };
    // The EHR disk has a daily snapshot schedule; ElasticSearch's has none (no snapshot).
    let mut ehr_data = disk("ehr-data", cmek("ehr-disk-key"), "protected", "ehr-api-1");
    ehr_data.resource_policies = vec![format!(
        "{COMPUTE}/projects/{P}/regions/{REGION}/resourcePolicies/daily-backup"
    )];
    inv.gcp_compute_disks = vec![
        ehr_data,
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

    inv.gcp_compute_snapshots = vec![
        snapshot(
            "ehr-data-daily",
            DiskEncryption::Cmek {
                kms_key_name: kms_key_name("ehr-disk-key"),
            },
            "ehr-data",
            now - Duration::hours(6),
        ),
        // Logstash's disk is protected; its snapshot inherits that, not the key. Weekly:
        // five days old at scan time.
        snapshot(
            "logstash-data-weekly",
            DiskEncryption::GoogleManaged,
            "logstash-data",
            now - Duration::days(5),
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
        resource_policies: vec![],
    }
}

pub(super) fn allow(proto: &str, ports: &[&str]) -> FirewallEntry {
    FirewallEntry {
        ip_protocol: proto.into(),
        ports: ports.iter().map(|p| p.to_string()).collect(),
    }
}

pub(super) fn firewall(
    name: &str,
    sources: &[&str],
    tags: &[&str],
    allowed: Vec<FirewallEntry>,
) -> Firewall {
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
        source_tags: vec![],
        source_service_accounts: vec![],
        allowed,
        denied: vec![],
    }
}
fn snapshot(
    name: &str,
    encryption: DiskEncryption,
    disk: &str,
    taken: DateTime<Utc>,
) -> ComputeSnapshot {
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
        created_at: Some(taken),
        auto_created: false,
    }
}

pub(super) fn instance(
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
            network: Some(NETWORK.into()),
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
        network_tags: vec![],
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
