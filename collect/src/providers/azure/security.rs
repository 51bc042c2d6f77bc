//! `Microsoft.Security`: the subscription's Defender for Cloud plans (pricings).

use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::{fail, versions};
use crate::model::azure::{DefenderPlan, DefenderPlans};
use crate::model::{Inventory, ResourceKind, ResourceRef};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Properties {
    pricing_tier: Option<String>,
    sub_plan: Option<String>,
}

/// Pricings_List: one DefenderPlans resource per subscription with every plan listed.
pub async fn defender_plans(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureDefenderPlans;
    let op = Op::new("Microsoft.Security", "Pricings_List", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Security/pricings");
    match arm
        .list::<Item<Properties>>(&path, versions::SECURITY_PRICINGS, &[], &op)
        .await
    {
        Ok(items) => inv.azure_defender_plans.push(DefenderPlans {
            resource: ResourceRef::new(kind, sub, "global", path, "defender-plans"),
            plans: items
                .iter()
                .map(|p| DefenderPlan {
                    name: p.name.clone(),
                    pricing_tier: p.properties.pricing_tier.clone(),
                    sub_plan: p.properties.sub_plan.clone(),
                })
                .collect(),
        }),
        Err(e) => inv.errors.push(fail(sub, None, kind, &e)),
    }
    inv
}
