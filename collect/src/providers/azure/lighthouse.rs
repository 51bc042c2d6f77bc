//! `Microsoft.ManagedServices`: Azure Lighthouse delegations of the subscription, each
//! registration assignment with its registration definition (`$expandRegistrationDefinition`),
//! so the managing tenant and its authorizations come in the one paged list.

use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::{fail, versions};
use crate::model::azure::{LighthouseAssignment, LighthouseAuthorization};
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct AssignmentProperties {
    registration_definition: Option<Definition>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Definition {
    properties: DefinitionProperties,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct DefinitionProperties {
    registration_definition_name: Option<String>,
    managed_by_tenant_id: Option<String>,
    managed_by_tenant_name: Option<String>,
    authorizations: Vec<Authorization>,
    eligible_authorizations: Vec<Authorization>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Authorization {
    principal_id: String,
    principal_id_display_name: Option<String>,
    role_definition_id: String,
}

fn authorization(a: &Authorization, eligible: bool) -> LighthouseAuthorization {
    LighthouseAuthorization {
        principal_id: a.principal_id.clone(),
        principal_display_name: a.principal_id_display_name.clone(),
        role_definition_id: a.role_definition_id.clone(),
        eligible,
    }
}

/// RegistrationAssignments_List with `$expandRegistrationDefinition=true`.
pub async fn assignments(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureLighthouseAssignment;
    let op = Op::new(
        "Microsoft.ManagedServices",
        "RegistrationAssignments_List",
        sub,
    );
    let path =
        format!("/subscriptions/{sub}/providers/Microsoft.ManagedServices/registrationAssignments");
    let query = [("$expandRegistrationDefinition", "true")];
    match arm
        .list::<Item<AssignmentProperties>>(&path, versions::MANAGED_SERVICES, &query, &op)
        .await
    {
        Ok(items) => {
            inv.azure_lighthouse_assignments = items
                .iter()
                .map(|a| {
                    let d = a
                        .properties
                        .registration_definition
                        .as_ref()
                        .map(|d| &d.properties);
                    let mut resource = a.resource(kind, sub);
                    if let Some(name) = d.and_then(|d| d.registration_definition_name.clone()) {
                        resource.name = name;
                    }
                    LighthouseAssignment {
                        resource,
                        definition_name: d.and_then(|d| d.registration_definition_name.clone()),
                        managed_by_tenant_id: d.and_then(|d| d.managed_by_tenant_id.clone()),
                        managed_by_tenant_name: d.and_then(|d| d.managed_by_tenant_name.clone()),
                        authorizations: d
                            .map(|d| {
                                d.authorizations
                                    .iter()
                                    .map(|x| authorization(x, false))
                                    .chain(
                                        d.eligible_authorizations
                                            .iter()
                                            .map(|x| authorization(x, true)),
                                    )
                                    .collect()
                            })
                            .unwrap_or_default(),
                    }
                })
                .collect()
        }
        Err(e) => inv.errors.push(fail(sub, None, kind, &e)),
    }
    inv
}
