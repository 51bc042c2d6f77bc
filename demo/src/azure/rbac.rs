//! Role assignments and custom roles: production has four permanent Owners (the founders
//! kept theirs), the sandbox one; a scoped operator role and a wildcard "break-glass" role.

use super::SUB;
use crate::model::azure::{CustomRole, RoleAssignment, SubscriptionRoleAssignments};
use crate::model::{Inventory, ResourceKind, ResourceRef};

const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

pub(super) fn add(inv: &mut Inventory) {
    let sandbox = crate::AZURE_SANDBOX_SUBSCRIPTION;
    inv.azure_role_assignments = vec![
        assignments(
            SUB,
            &[
                (OWNER, "User"),
                (OWNER, "User"),
                (OWNER, "User"),
                (OWNER, "Group"),
                (READER, "ServicePrincipal"),
            ],
        ),
        assignments(sandbox, &[(OWNER, "Group"), (READER, "ServicePrincipal")]),
    ];
    let authz = format!("/subscriptions/{SUB}/providers/Microsoft.Authorization");
    let role = |guid: &str, name: &str, actions: &[&str]| CustomRole {
        resource: ResourceRef::new(
            ResourceKind::AzureCustomRole,
            SUB,
            "global",
            format!("{authz}/roleDefinitions/{guid}"),
            name,
        ),
        role_name: name.into(),
        assignable_scopes: vec![format!("/subscriptions/{SUB}")],
        actions: actions.iter().map(|a| a.to_string()).collect(),
        not_actions: vec![],
        data_actions: vec![],
    };
    inv.azure_custom_roles = vec![
        role(
            "b7c1e0a2-4f3d-4e5a-8b6c-1d2e3f4a5b01",
            "Qolty VM Operator",
            &[
                "Microsoft.Compute/virtualMachines/read",
                "Microsoft.Compute/virtualMachines/start/action",
                "Microsoft.Compute/virtualMachines/restart/action",
            ],
        ),
        role(
            "b7c1e0a2-4f3d-4e5a-8b6c-1d2e3f4a5b02",
            "Qolty Break Glass",
            &["*"],
        ),
    ];
}

/// The role assignments that apply to subscription `sub`: (role, principal type) each, the
/// last Owner group inherited from the root management group.
fn assignments(sub: &str, roles: &[(&str, &str)]) -> SubscriptionRoleAssignments {
    let authz = format!("/subscriptions/{sub}/providers/Microsoft.Authorization");
    SubscriptionRoleAssignments {
        resource: ResourceRef::new(
            ResourceKind::AzureRoleAssignments,
            sub,
            "global",
            format!("{authz}/roleAssignments"),
            "role-assignments",
        ),
        assignments: roles
            .iter()
            .enumerate()
            .map(|(n, (role, kind))| RoleAssignment {
                id: format!("{authz}/roleAssignments/0d5e7f10-0000-4000-8000-00000000000{n}"),
                role_definition_id: format!("{authz}/roleDefinitions/{role}"),
                principal_id: format!("5a1c0f3e-0000-4000-9000-00000000000{n}"),
                principal_type: Some(kind.to_string()),
                scope: if *kind == "Group" {
                    "/providers/Microsoft.Management/managementGroups/qolty-root".into()
                } else {
                    format!("/subscriptions/{sub}")
                },
            })
            .collect(),
    }
}
