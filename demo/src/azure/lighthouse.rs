//! Azure Lighthouse delegations of the subscription (the check in
//! `checks/src/azure/lighthouse/`): the listed backup partner reads, an unlisted managed
//! service provider holds Contributor.

use super::SUB;
use crate::config::{PARTNER_AZURE_TENANT, PARTNER_NAME};
use crate::model::azure::{LighthouseAssignment, LighthouseAuthorization};
use crate::model::{Inventory, ResourceKind, ResourceRef};

const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const CONTRIBUTOR: &str = "b24988ac-6180-42a0-ab88-20f7382dd24c";

fn delegation(
    id: &str,
    name: &str,
    tenant: &str,
    tenant_name: &str,
    role: &str,
) -> LighthouseAssignment {
    LighthouseAssignment {
        resource: ResourceRef::new(
            ResourceKind::AzureLighthouseAssignment,
            SUB,
            "global",
            format!("/subscriptions/{SUB}/providers/Microsoft.ManagedServices/registrationAssignments/{id}"),
            name,
        ),
        definition_name: Some(name.into()),
        managed_by_tenant_id: Some(tenant.into()),
        managed_by_tenant_name: Some(tenant_name.into()),
        authorizations: vec![LighthouseAuthorization {
            principal_id: format!("{id}-operators"),
            principal_display_name: Some(format!("{tenant_name} operators")),
            role_definition_id: role.into(),
            eligible: false,
        }],
    }
}

pub(super) fn add(inv: &mut Inventory) {
    inv.azure_lighthouse_assignments = vec![
        delegation(
            "3c5e7a90-1b2d-4e6f-8a0b-2c4d6e8f0a11",
            "Acme backup monitoring",
            PARTNER_AZURE_TENANT,
            PARTNER_NAME,
            READER,
        ),
        delegation(
            "3c5e7a90-1b2d-4e6f-8a0b-2c4d6e8f0a12",
            "Nimbus managed SOC",
            "5b7d9f1a-3c5e-4a7b-9d1f-3a5c7e9b1d22",
            "Nimbus MSP",
            CONTRIBUTOR,
        ),
    ];
}
