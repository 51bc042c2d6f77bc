//! `--management-group`: the subscriptions under an Azure management group, at any depth.
//!
//! One call per group: `ManagementGroups_GetDescendants` lists every descendant of the group
//! (nested groups and their subscriptions alike, each with its own `type`), paginated with
//! `nextLink`, so no recursion over nested groups is needed. The subscriptions found are then
//! scanned exactly like `--subscription` ones (each one read with `Subscriptions_Get` first).

use std::collections::BTreeSet;

use futures::future::join_all;
use serde::Deserialize;

use super::client::{Arm, ArmError, Op};
use super::versions;

/// One descendant: `{"id", "type", "name", "properties": {...}}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Descendant {
    #[serde(rename = "type")]
    kind: String,
    name: String,
}

impl Descendant {
    /// The REST reference names subscriptions `/subscriptions`; the SDK docs also show the
    /// fully qualified `Microsoft.Management/managementGroups/subscriptions`.
    fn subscription(&self) -> Option<String> {
        let is_sub = self.kind.eq_ignore_ascii_case("/subscriptions")
            || self
                .kind
                .eq_ignore_ascii_case("Microsoft.Management/managementGroups/subscriptions");
        (is_sub && !self.name.trim().is_empty()).then(|| self.name.trim().to_ascii_lowercase())
    }
}

/// Why a group's subscriptions could not be listed: the scan cannot know what it would
/// miss, so it stops rather than report a partial estate as complete.
pub fn setup_error(group: &str, e: &ArmError) -> String {
    let hint = match e.status {
        Some(403) | Some(401) => " The credential needs Microsoft.Management/managementGroups/descendants/read on it (the Reader role on the management group grants it).",
        Some(404) => " Check the management group id (the group's name, not its display name) and that the credential can see it: it needs Microsoft.Management/managementGroups/descendants/read on it.",
        _ => "",
    };
    format!(
        "cannot list the subscriptions under management group {group:?}: {}{hint}",
        e.reason()
    )
}

/// The subscription ids (lowercase, sorted, unique) under `groups`; the first group that
/// cannot be listed is an error (see [`setup_error`]).
pub async fn subscriptions(arm: &Arm, groups: &[String]) -> Result<BTreeSet<String>, String> {
    let mut groups: Vec<&str> = groups.iter().map(|g| g.trim()).collect();
    groups.sort();
    groups.dedup();
    let lists = join_all(groups.iter().map(|group| async move {
        let op = Op {
            service: "Microsoft.Management",
            operation: "ManagementGroups_GetDescendants",
            subscription: None,
            region: None,
        };
        let path = format!("/providers/Microsoft.Management/managementGroups/{group}/descendants");
        let got = arm
            .list::<Descendant>(&path, versions::MANAGEMENT_GROUPS, &[], &op)
            .await;
        (*group, got)
    }))
    .await;
    let mut out = BTreeSet::new();
    for (group, got) in lists {
        let items = got.map_err(|e| setup_error(group, &e))?;
        out.extend(items.iter().filter_map(Descendant::subscription));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_subscriptions_are_taken_from_the_descendants() {
        let items: Vec<Descendant> = serde_json::from_str(
            r#"[{"id": "/providers/Microsoft.Management/managementGroups/child", "type": "Microsoft.Management/managementGroups", "name": "child"},
                {"id": "/subscriptions/AA", "type": "/subscriptions", "name": "AA"},
                {"id": "/subscriptions/bb", "type": "Microsoft.Management/managementGroups/subscriptions", "name": "bb"},
                {"type": "/subscriptions", "name": ""}]"#,
        )
        .unwrap();
        let subs: Vec<String> = items.iter().filter_map(Descendant::subscription).collect();
        assert_eq!(subs, ["aa", "bb"]);
    }

    #[test]
    fn a_denied_group_names_the_group_and_the_permission() {
        let e = ArmError {
            status: Some(403),
            code: "AuthorizationFailed".into(),
            message: "no".into(),
            operation: "ManagementGroups_GetDescendants",
        };
        let msg = setup_error("phi-workloads", &e);
        assert!(msg.contains("\"phi-workloads\""), "{msg}");
        assert!(
            msg.contains("Microsoft.Management/managementGroups/descendants/read"),
            "{msg}"
        );
    }
}
