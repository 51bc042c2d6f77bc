//! `Microsoft.Authorization`: the role assignments that apply to a subscription as a whole
//! (assigned on it or inherited from a management group), and the custom role definitions
//! assignable there. ARM only: principals are reported by object id (resolving names would
//! need Microsoft Graph, which phiscan does not call).

use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::{fail, versions};
use crate::model::azure::{CustomRole, RoleAssignment, SubscriptionRoleAssignments};
use crate::model::{Inventory, ResourceKind, ResourceRef};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct AssignmentProperties {
    role_definition_id: String,
    principal_id: String,
    principal_type: Option<String>,
    scope: String,
}

/// RoleAssignments_ListForScope with `$filter=atScope()`: assignments at the subscription and
/// above it, not those on its resource groups or resources.
pub async fn role_assignments(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureRoleAssignments;
    let op = Op::new(
        "Microsoft.Authorization",
        "RoleAssignments_ListForScope",
        sub,
    );
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments");
    let query = [("$filter", "atScope()")];
    match arm
        .list::<Item<AssignmentProperties>>(&path, versions::AUTHORIZATION, &query, &op)
        .await
    {
        Ok(items) => inv
            .azure_role_assignments
            .push(SubscriptionRoleAssignments {
                resource: ResourceRef::new(kind, sub, "global", path, "role-assignments"),
                assignments: items
                    .iter()
                    .map(|a| {
                        let p = &a.properties;
                        RoleAssignment {
                            id: a.id.clone(),
                            role_definition_id: p.role_definition_id.clone(),
                            principal_id: p.principal_id.clone(),
                            principal_type: p.principal_type.clone(),
                            scope: p.scope.clone(),
                        }
                    })
                    .collect(),
            }),
        Err(e) => inv.errors.push(fail(sub, None, kind, &e)),
    }
    inv
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct RoleProperties {
    role_name: String,
    #[serde(rename = "type")]
    role_type: Option<String>,
    assignable_scopes: Vec<String>,
    permissions: Vec<Permission>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Permission {
    actions: Vec<String>,
    not_actions: Vec<String>,
    data_actions: Vec<String>,
}

/// RoleDefinitions_List with `$filter=type eq 'CustomRole'`.
pub async fn custom_roles(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureCustomRole;
    let op = Op::new("Microsoft.Authorization", "RoleDefinitions_List", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions");
    let query = [("$filter", "type eq 'CustomRole'")];
    match arm
        .list::<Item<RoleProperties>>(&path, versions::AUTHORIZATION, &query, &op)
        .await
    {
        Ok(items) => {
            inv.azure_custom_roles = items
                .iter()
                // The filter asks for custom roles; a built-in one answered anyway is not ours to judge.
                .filter(|r| {
                    r.properties
                        .role_type
                        .as_deref()
                        .is_none_or(|t| t.eq_ignore_ascii_case("CustomRole"))
                })
                .map(|r| {
                    let p = &r.properties;
                    let all = |f: fn(&Permission) -> &Vec<String>| {
                        p.permissions.iter().flat_map(f).cloned().collect()
                    };
                    CustomRole {
                        resource: ResourceRef::new(kind, sub, "global", &r.id, &p.role_name),
                        role_name: p.role_name.clone(),
                        assignable_scopes: p.assignable_scopes.clone(),
                        actions: all(|x| &x.actions),
                        not_actions: all(|x| &x.not_actions),
                        data_actions: all(|x| &x.data_actions),
                    }
                })
                .collect()
        }
        Err(e) => inv.errors.push(fail(sub, None, kind, &e)),
    }
    inv
}
