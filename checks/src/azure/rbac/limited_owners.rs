use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::SubscriptionRoleAssignments;

declare_check! {
    /// ## What it checks
    /// Every subscription has at most `params.max_subscription_owners` (default 3) Owner
    /// role assignments that apply to it as a whole: assigned on the subscription, or
    /// inherited from a management group or the root (`/`). Assignments on resource groups
    /// and resources are not counted. A group counts once, whatever its size: ARM does not
    /// expand groups (that would need Microsoft Graph).
    ///
    /// The Owner role is recognised by its fixed id `8e3af657-a8ff-443c-a75c-2fe8c4bcb635`
    /// at the end of `roleDefinitionId`.
    ///
    /// ## Why it matters
    /// An Owner can read every ePHI store, change every control phiscan checks and grant
    /// access to anyone. The policies limit such access to the minimum necessary: access
    /// authorization (45 CFR 164.308(a)(4)(ii)(B)) and access control (164.312(a)(1)).
    ///
    /// ## Evidence
    /// `owners` (assignment id, principal id and type, scope), `owner_count`,
    /// `max_subscription_owners`.
    ///
    /// ## Remediation
    /// Review the list (`az role assignment list --role Owner --scope /subscriptions/<id>
    /// --include-inherited`), move day-to-day work to narrower roles (Contributor, a custom
    /// role) and make Owner eligible through Privileged Identity Management instead of
    /// permanent; `az role assignment delete --ids <assignment-id>`.
    pub struct RbacLimitedOwners {
        id: "azure-rbac-limited-owners",
        title: "Subscriptions have few Owner role assignments",
        severity: Medium,
        provider: Azure,
        kinds: [AzureRoleAssignments],
        controls: [AccessAuthorization, AccessControl],
    }
}

/// The built-in Owner role's definition id, the same in every tenant.
const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

impl Check for RbacLimitedOwners {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let max = ctx.config.params.max_subscription_owners;
        ctx.resources::<SubscriptionRoleAssignments>()
            .iter()
            .map(|s| {
                let owners: Vec<serde_json::Value> = s
                    .assignments
                    .iter()
                    .filter(|a| {
                        a.role_definition_id
                            .trim_end_matches('/')
                            .rsplit('/')
                            .next()
                            .is_some_and(|id| id.eq_ignore_ascii_case(OWNER))
                    })
                    .map(|a| serde_json::json!({"id": a.id, "principal_id": a.principal_id, "principal_type": a.principal_type, "scope": a.scope}))
                    .collect();
                let n = owners.len();
                let ok = i64::try_from(n).is_ok_and(|n| n <= i64::from(max));
                let reason = if ok {
                    format!("{n} Owner assignment(s) apply to the subscription (at most {max}).")
                } else {
                    format!("{n} Owner assignments apply to the subscription, more than the {max} allowed.")
                };
                ctx.verdict(ok, &s.resource)
                    .evidence("owners", &owners)
                    .evidence("owner_count", n)
                    .evidence("max_subscription_owners", max)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::{role_assignment, role_assignments};
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

    #[test]
    fn counts_owner_assignments_only() {
        let mut inv = Inventory::new();
        let mut four = role_assignments("four-owners");
        four.assignments = (0..4).map(|i| role_assignment(&format!("o{i}"), OWNER)).collect();
        let mut three = role_assignments("three-owners-and-readers");
        three.assignments = (0..3)
            .map(|i| role_assignment(&format!("o{i}"), OWNER))
            .chain((0..5).map(|i| role_assignment(&format!("r{i}"), READER)))
            .collect();
        inv.azure_role_assignments = vec![four, three];
        let f = run(&RbacLimitedOwners, &inv);
        f.assert_statuses(&[("four-owners", Status::Fail), ("three-owners-and-readers", Status::Pass)]);
        assert_eq!(
            f.evidence_of("three-owners-and-readers", "owner_count"),
            serde_json::json!(3)
        );

        let mut config = Config::default();
        config.params.max_subscription_owners = 4;
        let f = run_with(&RbacLimitedOwners, &inv, &config);
        assert_eq!(f.status_of("four-owners"), Status::Pass);
    }
}
