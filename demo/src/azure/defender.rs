//! Defender for Cloud plans: production runs the plans for servers, SQL, storage and Key
//! Vault; the sandbox, where production data was copied for a test, runs none.

use super::SUB;
use crate::model::azure::{DefenderPlan, DefenderPlans};
use crate::model::{Inventory, ResourceKind, ResourceRef};

pub(super) fn add(inv: &mut Inventory) {
    inv.azure_defender_plans = vec![
        plans(SUB, "Standard"),
        plans(crate::AZURE_SANDBOX_SUBSCRIPTION, "Free"),
    ];
}

/// A subscription's plans, every one on `tier`.
fn plans(sub: &str, tier: &str) -> DefenderPlans {
    let plan = |name: &str, sub_plan: Option<&str>| DefenderPlan {
        name: name.into(),
        pricing_tier: Some(tier.into()),
        sub_plan: (tier == "Standard")
            .then(|| sub_plan.map(Into::into))
            .flatten(),
    };
    DefenderPlans {
        resource: ResourceRef::new(
            ResourceKind::AzureDefenderPlans,
            sub,
            "global",
            format!("/subscriptions/{sub}/providers/Microsoft.Security/pricings"),
            "defender-plans",
        ),
        plans: vec![
            plan("VirtualMachines", Some("P2")),
            plan("SqlServers", None),
            plan("StorageAccounts", Some("DefenderForStorageV2")),
            plan("KeyVaults", None),
            plan("Arm", None),
        ],
    }
}
