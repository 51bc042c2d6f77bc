use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::CustomRole;

declare_check! {
    /// ## What it checks
    /// No custom role definition grants every action: neither its `actions` nor its
    /// `dataActions` contain `*`. Such a role is Owner (or Storage Blob Data Owner, Key
    /// Vault Administrator...) under another name, whatever its `notActions` take back.
    /// Narrower wildcards (`Microsoft.Compute/*`) are not judged.
    ///
    /// ## Why it matters
    /// A wildcard custom role escapes the review that Owner assignments get (see
    /// `azure-rbac-limited-owners`) while granting the same control over ePHI stores and
    /// their protections: access authorization (45 CFR 164.308(a)(4)(ii)(B)) and access
    /// control (164.312(a)(1)), "limited to the minimum necessary".
    ///
    /// ## Evidence
    /// `role_name`, `actions`, `not_actions`, `data_actions`, `assignable_scopes`,
    /// `wildcards` (the permission lists that hold `*`).
    ///
    /// ## Remediation
    /// List the actions the role's holders really need (`az role definition update
    /// --role-definition role.json`), or assign a built-in role; `az role definition
    /// delete --name <role>` once nothing uses it.
    pub struct RbacNoCustomRoleWildcard {
        id: "azure-rbac-no-custom-role-wildcard",
        title: "Custom roles do not grant every action",
        severity: High,
        provider: Azure,
        kinds: [AzureCustomRole],
        controls: [AccessAuthorization, AccessControl],
    }
}

impl Check for RbacNoCustomRoleWildcard {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<CustomRole>()
            .iter()
            .map(|r| {
                let star = |list: &[String]| list.iter().any(|a| a.trim() == "*");
                let wildcards: Vec<&str> = [("actions", star(&r.actions)), ("dataActions", star(&r.data_actions))]
                    .into_iter()
                    .filter(|(_, s)| *s)
                    .map(|(what, _)| what)
                    .collect();
                let reason = if wildcards.is_empty() {
                    format!("Custom role {:?} lists its actions; none is `*`.", r.role_name)
                } else {
                    format!("Custom role {:?} grants `*` in {}: every action, as an Owner would.", r.role_name, wildcards.join(" and "))
                };
                ctx.verdict(wildcards.is_empty(), &r.resource)
                    .evidence("role_name", &r.role_name)
                    .evidence("actions", &r.actions)
                    .evidence("not_actions", &r.not_actions)
                    .evidence("data_actions", &r.data_actions)
                    .evidence("assignable_scopes", &r.assignable_scopes)
                    .evidence("wildcards", &wildcards)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::custom_role;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut data = custom_role("data-star", &["Microsoft.Storage/storageAccounts/read"]);
        data.data_actions = vec!["*".into()];
        let mut minus = custom_role("star-minus", &["*"]);
        minus.not_actions = vec!["Microsoft.Authorization/*/write".into()];
        inv.azure_custom_roles = vec![
            custom_role("scoped", &["Microsoft.Compute/*", "Microsoft.Network/*/read"]),
            custom_role("star", &["*"]),
            data,
            minus,
        ];
        let f = run(&RbacNoCustomRoleWildcard, &inv);
        f.assert_statuses(&[("scoped", Status::Pass), ("star", Status::Fail), ("data-star", Status::Fail), ("star-minus", Status::Fail)]);
    }
}
