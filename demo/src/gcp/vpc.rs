//! VPC networks and the segmentation of the instances on them (issue 14; the checks in
//! `checks/src/gcp/vpc/` and the firewall checks of the data tier and the bastion). Runs after
//! `compute::add`: it labels the instances there with their customer, tier and role.
//!
//! - `janus-vpc` holds Mercy Health's EHR API, Lakeside Clinic's Logstash (the data tier, open
//!   to the whole internal range) and the bastion (reached through IAP, but also by the
//!   internal allow-all rule): two customers on one network.
//! - `janus-ops-vpc` holds Mercy Health's metrics store, reached only from its own bastion,
//!   which admits SSH from the VPN only; it peers with `janus-vpc` (two customers joined).
//! - `janus-dr-vpc` holds nothing and peers with `janus-ops-vpc` only.

use super::compute::{allow, firewall, instance};
use super::{compute_ref, COMPUTE, P};
use crate::model::gcp::{Network, NetworkPeering};
use crate::model::{Inventory, ResourceKind};

const OPS: &str = "janus-ops-vpc";
const DR: &str = "janus-dr-vpc";

fn link(name: &str) -> String {
    format!("{COMPUTE}/projects/{P}/global/networks/{name}")
}

fn network(name: &str, peers: &[(&str, &str)]) -> Network {
    Network {
        resource: compute_ref(ResourceKind::GcpNetwork, "global", "networks", name),
        self_link: link(name),
        peerings: peers
            .iter()
            .map(|(peering, peer)| NetworkPeering {
                name: peering.to_string(),
                network: link(peer),
                state: Some("ACTIVE".into()),
            })
            .collect(),
    }
}

pub(super) fn add(inv: &mut Inventory) {
    inv.gcp_networks = vec![
        network("janus-vpc", &[("to-ops", OPS)]),
        network(OPS, &[("to-janus", "janus-vpc"), ("to-dr", DR)]),
        network(DR, &[("to-ops", OPS)]),
    ];
    for i in &mut inv.gcp_compute_instances {
        let (labels, tags): (&[(&str, &str)], &[&str]) = match i.resource.name.as_str() {
            "ehr-api-1" => (&[("customer", "mercy-health")], &["ehr-api"]),
            "logstash-1" => (
                &[("customer", "lakeside-clinic"), ("tier", "data")],
                &["logstash"],
            ),
            "bastion" => (&[("role", "bastion")], &["bastion"]),
            _ => continue,
        };
        for (k, v) in labels {
            i.resource.tags.insert(k.to_string(), v.to_string());
        }
        i.network_tags = tags.iter().map(|t| t.to_string()).collect();
    }

    // The operations network: a metrics store and its bastion, no external addresses.
    let ops_sa = format!("ops@{P}.iam.gserviceaccount.com");
    let on_ops = |mut i: crate::model::gcp::ComputeInstance, labels: &[(&str, &str)], tag: &str| {
        for n in &mut i.network_interfaces {
            n.network = Some(link(OPS));
        }
        for (k, v) in labels {
            i.resource.tags.insert(k.to_string(), v.to_string());
        }
        i.network_tags = vec![tag.into()];
        i
    };
    inv.gcp_compute_instances.push(on_ops(
        instance("ops-bastion", "internal", &[], &ops_sa, &["logging.write"]),
        &[("role", "bastion")],
        "ops-bastion",
    ));
    inv.gcp_compute_instances.push(on_ops(
        instance(
            "ops-metrics-db",
            "protected",
            &[],
            &ops_sa,
            &["logging.write"],
        ),
        &[("customer", "mercy-health"), ("tier", "data")],
        "metrics-db",
    ));
    let on_ops_rule = |mut f: crate::model::gcp::Firewall| {
        f.network = link(OPS);
        f
    };
    // SSH to the ops bastion from the VPN only; Prometheus and SSH to the store from the
    // bastion only.
    inv.gcp_compute_firewalls.push(on_ops_rule(firewall(
        "allow-ssh-ops-vpn",
        &["10.8.0.0/16"],
        &["ops-bastion"],
        vec![allow("tcp", &["22"])],
    )));
    let mut from_bastion = on_ops_rule(firewall(
        "allow-metrics-from-bastion",
        &[],
        &["metrics-db"],
        vec![allow("tcp", &["22", "9090"])],
    ));
    from_bastion.source_tags = vec!["ops-bastion".into()];
    inv.gcp_compute_firewalls.push(from_bastion);
}
