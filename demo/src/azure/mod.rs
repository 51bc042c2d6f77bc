//! Qolty's ePHI hosting on Azure (subscription `qolty-ephi-prod`): the EHR application and
//! database tier in `rg-ephi-prod` / `rg-ephi-data`, customer-managed keys in
//! `rg-ephi-security`, the Recovery Services vault in `rg-ephi-backup`, and the reporting,
//! research and legacy corners where the drift lives (`rg-qolty-analytics`,
//! `rg-qolty-legacy`). Each Azure check finds at least one compliant and one non-compliant
//! resource here.
//!
//! Resource ids are ARM ids
//! (`/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/disks/<name>`);
//! regions are ARM locations. Value spellings follow the ARM example responses in
//! `shared/reference/azure-arm-examples/`.
//!
//! One file per service, named like the service's directory in `checks/src/azure/`; this
//! module holds the subscription, locations and ARM id helpers that several services share.

use chrono::{DateTime, Utc};

use super::AZURE_SUBSCRIPTION as SUB;
use crate::model::azure::FirewallRule;
use crate::model::{Inventory, ResourceKind, ResourceRef};

mod app_gateway;
mod appservice;
mod backup;
mod bastion;
mod compute;
mod cosmosdb;
mod defender;
mod flexible_server;
mod keyvault;
mod lighthouse;
mod monitor;
mod network;
mod rbac;
mod redis;
mod sql;
mod storage;
mod vnet;

const EAST: &str = "eastus";
const EAST2: &str = "eastus2";

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    monitor::add(inv);
    app_gateway::add(inv);
    compute::add(inv);
    backup::add(inv, now);
    storage::add(inv);
    sql::add(inv);
    network::add(inv);
    flexible_server::add(inv);
    keyvault::add(inv);
    cosmosdb::add(inv);
    appservice::add(inv);
    redis::add(inv);
    defender::add(inv);
    rbac::add(inv);
    vnet::add(inv);
    bastion::add(inv);
    lighthouse::add(inv);
}

/// `/subscriptions/<sub>/resourceGroups/<rg>/providers/<type>/<name>`.
fn arm_id(rg: &str, rtype: &str, name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{rg}/providers/{rtype}/{name}")
}

fn arm_ref(kind: ResourceKind, location: &str, rg: &str, rtype: &str, name: &str) -> ResourceRef {
    ResourceRef::new(kind, SUB, location, arm_id(rg, rtype, name), name).with_tag(
        "env",
        if rg.contains("legacy") {
            "legacy"
        } else {
            "prod"
        },
    )
}
fn fw(name: &str, start: &str, end: &str) -> FirewallRule {
    FirewallRule {
        name: name.into(),
        start_ip_address: start.into(),
        end_ip_address: end.into(),
    }
}
