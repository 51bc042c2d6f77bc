//! Which instances sit on which VPC network, and so which customers a network holds: shared
//! by the two VPC checks and the firewall checks. GCP networks carry no labels, so a
//! network's customers are those named by `segmentation.customer_tag` on the instances whose
//! interfaces are on it.

use std::collections::BTreeSet;

use phiscan_core::config::Segmentation;
use phiscan_core::model::gcp::ComputeInstance;

/// (project, name) of a network URL as Compute spells it in its several forms
/// (`https://www.googleapis.com/compute/v1/projects/p/global/networks/n`,
/// `projects/p/global/networks/n`, `global/networks/n`).
fn parts(url: &str) -> (Option<&str>, &str) {
    let name = url.trim_end_matches('/').rsplit('/').next().unwrap_or(url);
    let project = url
        .split_once("projects/")
        .and_then(|(_, rest)| rest.split('/').next());
    (project, name)
}

/// Whether two network URLs name the same network (a form without a project matches the
/// named network of any project: that is how rules of the same project spell it).
pub(crate) fn same_network(a: &str, b: &str) -> bool {
    let ((pa, na), (pb, nb)) = (parts(a), parts(b));
    na == nb && (pa.is_none() || pb.is_none() || pa == pb)
}

/// Whether an instance has an interface on `network`.
pub(crate) fn on_network(i: &ComputeInstance, network: &str) -> bool {
    i.network_interfaces
        .iter()
        .any(|n| n.network.as_deref().is_some_and(|x| same_network(x, network)))
}

/// The instances on `network`.
pub(crate) fn instances_on<'a>(
    instances: &'a [ComputeInstance],
    network: &str,
) -> Vec<&'a ComputeInstance> {
    instances.iter().filter(|i| on_network(i, network)).collect()
}

/// The customers the instances name.
pub(crate) fn customers(seg: &Segmentation, on: &[&ComputeInstance]) -> BTreeSet<String> {
    on.iter()
        .filter_map(|i| seg.customer_of(&i.resource.tags))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_urls_in_every_form() {
        let full = "https://www.googleapis.com/compute/v1/projects/p/global/networks/ehr";
        assert!(same_network(full, "projects/p/global/networks/ehr"));
        assert!(same_network(full, "global/networks/ehr"));
        assert!(!same_network(full, "projects/q/global/networks/ehr"));
        assert!(!same_network(full, "projects/p/global/networks/ehr-2"));
    }
}
