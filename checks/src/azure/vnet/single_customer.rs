use std::collections::BTreeSet;

use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::VirtualNetwork;
use serde_json::json;

use super::topology::{customers, members_evidence, Members};
use crate::segmentation::{not_applicable, single_customer};

declare_check! {
    /// ## What it checks
    /// No virtual network holds resources of two customers, and a network holding a
    /// customer's resources carries that customer's tag. A resource is in a network through
    /// its subnet (VM NICs, flexible servers' delegated subnets, Bastion hosts); its customer
    /// is the value of `segmentation.customer_tag` on it. Resources without that tag are
    /// shared infrastructure and listed, not judged. Without `segmentation.customer_tag` the
    /// check is NOT_APPLICABLE, naming the setting.
    ///
    /// ## Why it matters
    /// Qolty's policy promises "dedicated Virtual Networks" per customer: ePHI of one
    /// customer must not share a network with another's, so that one customer's compromise
    /// or misrouting cannot reach another's data (access control, 45 CFR 164.312(a)(1);
    /// access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `customer_tag`, `network_customer` (the network's own tag value), `members` (each
    /// resource id with its customer) and `customers` (the distinct customers found).
    ///
    /// ## Remediation
    /// Move the other customer's resources into that customer's own network
    /// (`az network nic ip-config update --subnet ...` after creating the network), and tag
    /// every customer network: `az network vnet update -g <rg> -n <vnet> --set
    /// tags.customer=<name>`.
    pub struct VnetSingleCustomer {
        id: "azure-vnet-single-customer",
        title: "Each virtual network holds one customer's resources and carries its tag",
        severity: High,
        provider: Azure,
        kinds: [AzureVirtualNetwork, AzureVirtualMachine, AzurePostgresFlexibleServer, AzureMysqlFlexibleServer, AzureBastionHost],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for VnetSingleCustomer {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let seg = ctx.config.segmentation();
        let members = Members::new(ctx.inventory);
        ctx.resources::<VirtualNetwork>()
            .iter()
            .map(|vnet| {
                let tag = match seg.customer_tag() {
                    Ok(t) => t,
                    Err(missing) => return not_applicable(ctx, &vnet.resource, missing),
                };
                let inside = members.of(vnet);
                let own = seg.customer_of(&vnet.resource.tags);
                let held: BTreeSet<String> = inside
                    .iter()
                    .filter_map(|m| seg.customer_of(&m.tags))
                    .map(str::to_string)
                    .collect();
                let (ok, reason) = single_customer(tag, &held, Some(own));
                ctx.verdict(ok, &vnet.resource)
                    .evidence("customer_tag", tag)
                    .evidence("network_customer", own)
                    .evidence("members", members_evidence(seg, inside))
                    .evidence("customers", json!(customers(seg, vnet, inside)))
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::{virtual_machine, virtual_network};
    use crate::testing::{run, run_with, segmentation};
    use phiscan_core::{Inventory, Status};

    #[test]
    fn one_customer_per_network_tagged_for_it() {
        let mut inv = Inventory::new();
        inv.azure_virtual_networks = vec![
            virtual_network("northwind", Some("northwind"), "10.1.0.0/16"),
            virtual_network("mixed", Some("northwind"), "10.2.0.0/16"),
            virtual_network("untagged", None, "10.3.0.0/16"),
            virtual_network("wrong-tag", Some("contoso"), "10.4.0.0/16"),
            virtual_network("empty", None, "10.5.0.0/16"),
        ];
        let vm = |id: &str, vnet: &str, customer: Option<&str>| {
            let mut v = virtual_machine(id);
            v.subnet_ids = vec![format!("{vnet}/subnets/default")];
            if let Some(c) = customer {
                v.resource.tags.insert("customer".into(), c.into());
            }
            v
        };
        inv.azure_virtual_machines = vec![
            vm("a", "northwind", Some("northwind")),
            vm("shared-dns", "northwind", None),
            vm("b", "mixed", Some("northwind")),
            vm("c", "mixed", Some("contoso")),
            vm("d", "untagged", Some("contoso")),
            vm("e", "wrong-tag", Some("northwind")),
        ];
        let f = run_with(&VnetSingleCustomer, &inv, &segmentation());
        f.assert_statuses(&[
            ("northwind", Status::Pass),
            ("mixed", Status::Fail),
            ("untagged", Status::Fail),
            ("wrong-tag", Status::Fail),
            ("empty", Status::Pass),
        ]);
        assert_eq!(f.evidence_of("mixed", "customers"), json!(["contoso", "northwind"]));
        // Without [segmentation] nothing is judged, and the reason names the setting.
        let none = run(&VnetSingleCustomer, &inv);
        assert_eq!(none.status_of("mixed"), Status::NotApplicable);
        assert!(none.of("mixed").reason.contains("segmentation.customer_tag"));
    }
}
