//! What the segmentation checks of Azure and GCP say alike: NOT_APPLICABLE naming the
//! missing `[segmentation]` setting, whether a peering joins two customers' networks, and
//! the sentences that explain it. Which resources sit in which network is each cloud's own
//! (`azure/vnet/topology.rs`, `gcp/vpc/topology.rs`).

use std::collections::BTreeSet;

use phiscan_core::check::{Ctx, Finding, FindingError};
use phiscan_core::config::Missing;
use phiscan_core::ResourceRef;

/// NOT_APPLICABLE on `r`: the setting the check needs is not in phiscan.toml.
pub fn not_applicable(
    ctx: &Ctx,
    r: &ResourceRef,
    missing: Missing,
) -> Result<Finding, FindingError> {
    ctx.not_applicable(r)
        .evidence("setting", format!("segmentation.{}", missing.0))
        .reason(missing.to_string())
        .build()
}

/// The ports the data-tier checks watch: `params.db_ports` and `params.admin_ports` (whose
/// defaults are the shared table of `phiscan_core::network::ports`), once each, ascending.
pub fn data_tier_ports(ctx: &Ctx) -> Vec<u16> {
    let p = &ctx.config.params;
    let mut w: Vec<u16> = p.db_ports.iter().chain(&p.admin_ports).copied().collect();
    w.sort_unstable();
    w.dedup();
    w
}

/// `a, b` (or `none`).
pub fn list(customers: &BTreeSet<String>) -> String {
    if customers.is_empty() {
        "none".into()
    } else {
        customers.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// The verdict on a network whose resources name the customers `held`: at most one, and,
/// where networks carry tags (`tagged` is `Some(the network's own value)`), tagged for it.
pub fn single_customer(
    tag: &str,
    held: &BTreeSet<String>,
    tagged: Option<Option<&str>>,
) -> (bool, String) {
    let names: Vec<&str> = held.iter().map(String::as_str).collect();
    match (names.as_slice(), tagged) {
        ([], _) => (
            true,
            format!(
                "Nothing in the network carries a {tag:?} tag: no customer's data is placed in it."
            ),
        ),
        ([one], Some(Some(own))) if *one != own => (
            false,
            format!("The network holds resources of {one:?} but is tagged for {own:?}."),
        ),
        ([one], Some(None)) => (
            false,
            format!("The network holds resources of {one:?} but carries no {tag:?} tag naming it."),
        ),
        ([one], _) => (
            true,
            format!("Every customer resource in the network belongs to {one:?}."),
        ),
        (many, _) => (
            false,
            format!(
                "The network holds resources of {} customers: {}.",
                many.len(),
                many.join(", ")
            ),
        ),
    }
}

/// Whether a peering from a network holding `own` customers to `remote` (holding `theirs`,
/// `None` when phiscan did not scan it) joins different customers' data, and if so the
/// sentence saying how. An inactive peering carries nothing; a network holding no
/// customer's resources joins nobody's data; an unscanned peer of a customer network cannot
/// be shown to be the same customer's.
pub fn peering_joins(
    own: &BTreeSet<String>,
    name: &str,
    remote: &str,
    theirs: Option<&BTreeSet<String>>,
    active: bool,
) -> Option<String> {
    if !active {
        return None;
    }
    match theirs {
        Some(t) if own.iter().any(|a| t.iter().any(|b| a != b)) => Some(format!(
            "{name} joins it to {remote} (customers {})",
            list(t)
        )),
        Some(_) => None,
        None if own.is_empty() => None,
        None => Some(format!(
            "{name} joins it to {remote}, which phiscan did not scan: its customer cannot be shown"
        )),
    }
}

/// The reason of a network's peering verdict.
pub fn peering_reason(own: &BTreeSet<String>, crossing: &[String]) -> String {
    if crossing.is_empty() {
        format!(
            "No active peering joins this network (customers: {}) to another customer's network.",
            list(own)
        )
    } else {
        format!("This network holds {}; {}.", list(own), crossing.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(c: &[&str]) -> BTreeSet<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_peering_joins_customers_only_across_different_ones() {
        let nw = set(&["northwind"]);
        assert!(peering_joins(&nw, "p", "r", Some(&set(&["northwind"])), true).is_none());
        assert!(peering_joins(&nw, "p", "r", Some(&set(&[])), true).is_none());
        assert!(peering_joins(&nw, "p", "r", Some(&set(&["contoso"])), true).is_some());
        assert!(peering_joins(&nw, "p", "r", Some(&set(&["contoso"])), false).is_none());
        assert!(peering_joins(&nw, "p", "r", None, true)
            .unwrap()
            .contains("did not scan"));
        assert!(peering_joins(&set(&[]), "p", "r", None, true).is_none());
        assert!(peering_reason(&nw, &[]).contains("customers: northwind"));
    }
}
