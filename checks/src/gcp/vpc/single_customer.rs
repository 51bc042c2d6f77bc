use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::{ComputeInstance, Network};
use serde_json::json;

use super::topology::{customers, networks_of, ByNetwork};
use crate::segmentation::{not_applicable, single_customer};

declare_check! {
    /// ## What it checks
    /// No VPC network holds instances of two customers: the instances with an interface on
    /// the network name at most one customer in their `segmentation.customer_tag` label.
    /// Instances without the label are shared infrastructure and listed, not judged. GCP
    /// networks carry no labels, so "the network carries its customer's tag" cannot be
    /// checked here; the network's customer is the one its instances name. Without
    /// `segmentation.customer_tag` the check is NOT_APPLICABLE.
    ///
    /// ## Why it matters
    /// HealthTensor and Janus promise "dedicated, private segmented and separated networks
    /// and IP spaces, for each SaaS Customer"; two customers on one network share a routing
    /// domain and every rule written for one reaches the other (access control, 45 CFR
    /// 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `customer_tag`, `instances` (name and customer) and `customers`.
    ///
    /// ## Remediation
    /// Create a network per customer (`gcloud compute networks create <customer>-vpc
    /// --subnet-mode=custom`) and move the other customer's instances there (recreate them
    /// with `--network`), then delete the mixed network.
    pub struct VpcSingleCustomer {
        id: "gcp-vpc-single-customer",
        title: "Each VPC network holds one customer's instances",
        severity: High,
        provider: Gcp,
        kinds: [GcpNetwork, GcpComputeInstance],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for VpcSingleCustomer {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let seg = ctx.config.segmentation();
        let on_network = ByNetwork::new(ctx.resources::<ComputeInstance>(), networks_of);
        ctx.resources::<Network>()
            .iter()
            .map(|net| {
                let tag = match seg.customer_tag() {
                    Ok(t) => t,
                    Err(missing) => return not_applicable(ctx, &net.resource, missing),
                };
                let on = on_network.on([net.self_link.as_str()]);
                let found = customers(seg, &on);
                // GCP networks carry no labels: there is no network tag to hold to.
                let (ok, reason) = single_customer(tag, &found, None);
                ctx.verdict(ok, &net.resource)
                    .evidence("customer_tag", tag)
                    .evidence(
                        "instances",
                        on.iter()
                            .map(|i| json!({"name": i.resource.name, "customer": seg.customer_of(&i.resource.tags)}))
                            .collect::<Vec<_>>(),
                    )
                    .evidence("customers", &found)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{compute_instance, network};
    use crate::testing::{run, run_with, segmentation};
    use phiscan_core::{Inventory, Status};

    #[test]
    fn one_customer_per_network() {
        let mut inv = Inventory::new();
        inv.gcp_networks = vec![network("ehr", &[]), network("mixed", &[]), network("empty", &[])];
        let on = |id: &str, net: &str, customer: Option<&str>| {
            let mut i = compute_instance(id);
            i.network_interfaces[0].network = Some(format!("projects/proj-1/global/networks/{net}"));
            if let Some(c) = customer {
                i.resource.tags.insert("customer".into(), c.into());
            }
            i
        };
        inv.gcp_compute_instances = vec![
            on("a", "ehr", Some("northwind")),
            on("dns", "ehr", None),
            on("b", "mixed", Some("northwind")),
            on("c", "mixed", Some("contoso")),
        ];
        let f = run_with(&VpcSingleCustomer, &inv, &segmentation());
        f.assert_statuses(&[("ehr", Status::Pass), ("mixed", Status::Fail), ("empty", Status::Pass)]);
        assert!(f.of("mixed").reason.contains("contoso, northwind"));
        assert_eq!(run(&VpcSingleCustomer, &inv).status_of("ehr"), Status::NotApplicable);
    }
}
