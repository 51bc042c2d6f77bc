//! Which instances (and firewall rules) sit on which VPC network, and so which customers a network holds: shared
//! by the two VPC checks and the firewall checks. GCP networks carry no labels, so a
//! network's customers are those named by `segmentation.customer_tag` on the instances whose
//! interfaces are on it.

use std::collections::{BTreeSet, HashMap};

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

/// Items (instances, firewall rules, networks) by the networks they are on: the items on a
/// network are found by its name, not by comparing it with every item of every project (an
/// inventory of many projects made each network's lookup as long as the inventory).
pub(crate) struct ByNetwork<'a, T> {
    items: &'a [T],
    /// Network name -> the project its URL names (`None`: none) -> positions of items.
    by_name: HashMap<&'a str, HashMap<Option<&'a str>, Vec<usize>>>,
}

impl<'a, T> ByNetwork<'a, T> {
    /// `networks` gives the network URLs an item is on.
    pub(crate) fn new<N: IntoIterator<Item = &'a str>>(
        items: &'a [T],
        networks: impl Fn(&'a T) -> N,
    ) -> Self {
        let mut by_name: HashMap<&str, HashMap<Option<&str>, Vec<usize>>> = HashMap::new();
        for (at, item) in items.iter().enumerate() {
            for url in networks(item) {
                let (project, name) = parts(url);
                by_name
                    .entry(name)
                    .or_default()
                    .entry(project)
                    .or_default()
                    .push(at);
            }
        }
        ByNetwork { items, by_name }
    }

    /// The items on any of `networks` ([`same_network`]), in their order, each once.
    pub(crate) fn on<'n>(&self, networks: impl IntoIterator<Item = &'n str>) -> Vec<&'a T> {
        let mut at: Vec<usize> = Vec::new();
        for url in networks {
            let (project, name) = parts(url);
            let Some(projects) = self.by_name.get(name) else {
                continue;
            };
            match project {
                // A URL of one project: that project's items, and those whose URL names none.
                Some(_) => [project, None]
                    .iter()
                    .filter_map(|p| projects.get(p))
                    .for_each(|found| at.extend(found)),
                None => projects.values().for_each(|found| at.extend(found)),
            }
        }
        at.sort_unstable();
        at.dedup();
        at.into_iter().map(|i| &self.items[i]).collect()
    }
}

/// The networks an instance has an interface on.
pub(crate) fn networks_of(i: &ComputeInstance) -> impl Iterator<Item = &str> {
    i.network_interfaces
        .iter()
        .filter_map(|n| n.network.as_deref())
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

    /// Every spelling of a network in two projects, and one of a different name.
    const URLS: [&str; 6] = [
        "https://www.googleapis.com/compute/v1/projects/p/global/networks/ehr",
        "projects/p/global/networks/ehr",
        "projects/q/global/networks/ehr",
        "global/networks/ehr",
        "https://www.googleapis.com/compute/v1/projects/q/global/networks/ehr/",
        "projects/p/global/networks/lab",
    ];

    proptest::proptest! {
        /// The index finds what comparing with every item finds, in the items' order.
        #[test]
        fn the_index_finds_what_a_scan_finds(
            items in proptest::collection::vec(proptest::collection::vec(0..URLS.len(), 0..3), 0..12),
            asked in proptest::collection::vec(0..URLS.len(), 0..3),
        ) {
            let index = ByNetwork::new(&items, |i: &Vec<usize>| i.iter().map(|u| URLS[*u]));
            let asked: Vec<&str> = asked.iter().map(|u| URLS[*u]).collect();
            let scanned: Vec<&Vec<usize>> = items
                .iter()
                .filter(|i| i.iter().any(|u| asked.iter().any(|q| same_network(URLS[*u], q))))
                .collect();
            let found = index.on(asked.iter().copied());
            proptest::prop_assert!(found.len() == scanned.len());
            proptest::prop_assert!(found.iter().zip(&scanned).all(|(a, b)| std::ptr::eq(*a, *b)));
        }
    }
}
