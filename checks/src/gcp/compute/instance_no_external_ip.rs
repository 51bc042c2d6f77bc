use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::ComputeInstance;

declare_check! {
    /// ## What it checks
    /// Every Compute Engine instance labelled `data-classification=protected` (value compared
    /// case-insensitively) has no external address: no `accessConfigs` (external IPv4) and
    /// no `ipv6AccessConfigs` (external IPv6) on any network interface. An access config
    /// whose ephemeral address is not assigned yet (a stopped instance) still counts: the
    /// instance gets an address when it starts. Instances without the label are
    /// NOT_APPLICABLE, with their external addresses as evidence: a bastion or a web front
    /// end may need one, and they are not declared to hold ePHI.
    ///
    /// ## Why it matters
    /// Janus HCP's database servers are "only accessed through the bastion host". An ePHI
    /// host with an external address is one firewall-rule mistake away from the internet;
    /// without one, it is reachable only through the VPC, a load balancer, IAP or the
    /// bastion (access control, 45 CFR 164.312(a)(1); transmission security, 164.312(e)(1)).
    ///
    /// ## Evidence
    /// `data_classification` (the label, or null), `external_ips` (per interface name),
    /// `status`.
    ///
    /// ## Remediation
    /// Remove the access config: `gcloud compute instances delete-access-config <instance>
    /// --zone=<zone> --access-config-name="external-nat"`. For an external IPv6 address,
    /// move the interface to a subnet with internal IPv6 access or to stack type IPV4_ONLY.
    /// Reach Google APIs through Private Google Access and the internet through Cloud NAT;
    /// administer through IAP.
    pub struct InstanceNoExternalIp {
        id: "gcp-compute-instance-no-external-ip",
        title: "Instances holding protected data have no external IP address",
        severity: High,
        provider: Gcp,
        kinds: [GcpComputeInstance],
        controls: [AccessControl, TransmissionSecurity],
    }
}

const CLASSIFICATION_LABEL: &str = "data-classification";

impl Check for InstanceNoExternalIp {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<ComputeInstance>()
            .iter()
            .map(|i| {
                let class = i.resource.tags.get(CLASSIFICATION_LABEL);
                let protected = class.is_some_and(|c| c.trim().eq_ignore_ascii_case("protected"));
                let external: Vec<(String, &String)> = i
                    .network_interfaces
                    .iter()
                    .enumerate()
                    .flat_map(|(n, nic)| {
                        let name = nic.name.clone().unwrap_or_else(|| format!("nic{n}"));
                        nic.external_ips.iter().map(move |ip| (name.clone(), ip))
                    })
                    .collect();
                let listed = external
                    .iter()
                    .map(|(nic, ip)| format!("{ip} on {nic}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let builder = if !protected {
                    ctx.not_applicable(&i.resource).reason(match class {
                        Some(c) => format!("The instance is labelled data-classification={c}, not protected."),
                        None => "The instance has no data-classification label, so it is not declared to hold protected data.".to_string(),
                    })
                } else if external.is_empty() {
                    ctx.pass(&i.resource)
                        .reason("The instance has no external IPv4 or IPv6 address on any network interface.")
                } else {
                    ctx.fail(&i.resource).reason(format!(
                        "The instance holds protected data and has an external address: {listed}."
                    ))
                };
                let by_nic: std::collections::BTreeMap<&str, Vec<&String>> =
                    external.iter().fold(Default::default(), |mut m, (nic, ip)| {
                        m.entry(nic.as_str()).or_default().push(*ip);
                        m
                    });
                builder
                    .evidence("data_classification", class)
                    .evidence("external_ips", by_nic)
                    .evidence("status", &i.status)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::compute_instance;
    use crate::testing::run;
    use phiscan_core::model::gcp::NetworkInterface;
    use phiscan_core::{Inventory, Status};

    fn instance(id: &str, class: Option<&str>, ips: &[&str]) -> ComputeInstance {
        let mut i = compute_instance(id);
        if let Some(c) = class {
            i.resource = i.resource.with_tag(CLASSIFICATION_LABEL, c);
        }
        i.network_interfaces[0].external_ips = ips.iter().map(|s| s.to_string()).collect();
        i
    }

    #[test]
    fn protected_instances_must_not_have_external_addresses() {
        let mut inv = Inventory::new();
        let mut two_nics = instance("second-nic-external", Some("protected"), &[]);
        two_nics.network_interfaces.push(NetworkInterface {
            name: Some("nic1".into()),
            network: None,
            subnetwork: None,
            network_ip: None,
            external_ips: vec!["2600:1900:4000::1".into()],
        });
        inv.gcp_compute_instances = vec![
            instance("private", Some("Protected"), &[]),
            instance("public", Some("protected"), &["34.1.2.3"]),
            instance("stopped-ephemeral", Some("protected"), &["ephemeral"]),
            two_nics,
            instance("bastion", Some("internal"), &["34.9.9.9"]),
            instance("unlabelled", None, &["34.9.9.8"]),
        ];
        let f = run(&InstanceNoExternalIp, &inv);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert_eq!(f.status_of("public"), Status::Fail);
        assert!(f.of("public").reason.contains("34.1.2.3 on nic0"));
        assert_eq!(f.status_of("stopped-ephemeral"), Status::Fail);
        assert_eq!(f.status_of("second-nic-external"), Status::Fail);
        assert_eq!(
            f.evidence_of("second-nic-external", "external_ips")["nic1"][0],
            "2600:1900:4000::1"
        );
        assert_eq!(f.status_of("bastion"), Status::NotApplicable);
        assert_eq!(
            f.evidence_of("bastion", "external_ips")["nic0"][0],
            "34.9.9.9"
        );
        assert_eq!(f.status_of("unlabelled"), Status::NotApplicable);
    }
}
