//! Which collector fills which Azure kind, and the guard that turns a collector's panic into
//! a collection error of the kinds it fills.

use std::collections::BTreeSet;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;

use futures::FutureExt;

use super::client::Arm;
use super::{
    app_gateway, authorization, backup, compute, cosmos, flexible, flow_logs, keyvault, lighthouse,
    monitor, network, redis, security, sql, sql_mi, storage, vnet, web,
};
use crate::model::{AzureKind, CollectionError, Inventory, Provider, ResourceKind};
use crate::providers::tasks::panic_message;

pub(super) type Run<'a> = Pin<Box<dyn Future<Output = Inventory> + 'a>>;

/// The collector of every Azure kind, with the kinds it fills: an exhaustive match, so a
/// kind declared in `kinds!` and wired to no collector does not compile. Every Azure
/// collector runs once per subscription. `None`: another wanted kind's collector fills it
/// (one walk of a parent list fills the kinds read from it: see [`walk`]).
pub(super) fn collector<'a>(
    arm: &'a Arm,
    sub: &'a str,
    kind: AzureKind,
    wanted: &BTreeSet<AzureKind>,
    kinds: &'a BTreeSet<ResourceKind>,
) -> Option<(Run<'a>, Vec<AzureKind>)> {
    use AzureKind::*;
    let run: Run<'a> = match kind {
        AzureSqlServer | AzureSqlDatabase | AzureSqlLtrPolicy => {
            let fills = walk(
                kind,
                wanted,
                &[AzureSqlServer, AzureSqlDatabase, AzureSqlLtrPolicy],
            )?;
            return Some((Box::pin(sql::collect(arm, sub, kinds)), fills));
        }
        AzureStorageAccount | AzureBlobService => {
            let fills = walk(kind, wanted, &[AzureStorageAccount, AzureBlobService])?;
            return Some((Box::pin(storage::accounts(arm, sub, kinds)), fills));
        }
        AzureKeyVault | AzureKeyVaultDiagnostics => {
            let fills = walk(kind, wanted, &[AzureKeyVault, AzureKeyVaultDiagnostics])?;
            return Some((Box::pin(keyvault::vaults(arm, sub, kinds)), fills));
        }
        AzureDisk => Box::pin(compute::disks(arm, sub)),
        AzureVirtualMachine => Box::pin(compute::virtual_machines(arm, sub)),
        AzureNetworkSecurityGroup => Box::pin(network::security_groups(arm, sub)),
        AzurePostgresFlexibleServer => {
            Box::pin(flexible::servers(arm, sub, flexible::Engine::Postgres))
        }
        AzureMysqlFlexibleServer => Box::pin(flexible::servers(arm, sub, flexible::Engine::Mysql)),
        AzureApplicationGateway => Box::pin(app_gateway::gateways(arm, sub)),
        AzureActivityLog => Box::pin(monitor::activity_log(arm, sub)),
        AzureBackupProtectedItem => Box::pin(backup::protected_items(arm, sub)),
        AzureCosmosDbAccount => Box::pin(cosmos::accounts(arm, sub)),
        AzureWebApp => Box::pin(web::web_apps(arm, sub)),
        AzureRedisCache => Box::pin(redis::caches(arm, sub)),
        AzureSqlManagedInstance => Box::pin(sql_mi::managed_instances(arm, sub)),
        AzureFlowLog => Box::pin(flow_logs::flow_logs(arm, sub)),
        AzureDefenderPlans => Box::pin(security::defender_plans(arm, sub)),
        AzureRoleAssignments => Box::pin(authorization::role_assignments(arm, sub)),
        AzureCustomRole => Box::pin(authorization::custom_roles(arm, sub)),
        AzureVirtualNetwork => Box::pin(vnet::virtual_networks(arm, sub)),
        AzureBastionHost => Box::pin(vnet::bastion_hosts(arm, sub)),
        AzureLighthouseAssignment => Box::pin(lighthouse::assignments(arm, sub)),
    };
    Some((run, vec![kind]))
}

/// The kinds one walk of a parent list fills (`group`, in order), when `kind` is the first
/// of them wanted: the walk runs once, under that kind; `None` for the others.
fn walk(
    kind: AzureKind,
    wanted: &BTreeSet<AzureKind>,
    group: &[AzureKind],
) -> Option<Vec<AzureKind>> {
    let fills: Vec<AzureKind> = group
        .iter()
        .copied()
        .filter(|k| wanted.contains(k))
        .collect();
    (fills.first() == Some(&kind)).then_some(fills)
}

/// A collector that panics is a bug: an ERROR of its own (subscription, kinds it fills),
/// with the panic message, instead of data silently missing.
pub(super) async fn guarded(sub: &str, fills: Vec<AzureKind>, run: Run<'_>) -> Inventory {
    match AssertUnwindSafe(run).catch_unwind().await {
        Ok(inv) => inv,
        Err(payload) => {
            let message = panic_message(payload);
            Inventory {
                errors: fills
                    .into_iter()
                    .map(|kind| CollectionError {
                        provider: Provider::Azure,
                        account: sub.to_string(),
                        region: None,
                        kind: kind.into(),
                        resource: None,
                        operation: None,
                        reason: format!("internal error: {message}"),
                    })
                    .collect(),
                ..Default::default()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_collector_is_an_error_of_the_kinds_it_fills() {
        let run: Run<'_> = Box::pin(async { panic!("no vault") });
        let sql = vec![AzureKind::AzureSqlServer, AzureKind::AzureSqlDatabase];
        let inv = guarded("sub-1", sql, run).await;
        let got: Vec<(&str, Option<&str>, ResourceKind, &str)> = inv
            .errors
            .iter()
            .map(|e| {
                (
                    e.account.as_str(),
                    e.region.as_deref(),
                    e.kind,
                    e.reason.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "sub-1",
                    None,
                    ResourceKind::AzureSqlServer,
                    "internal error: no vault"
                ),
                (
                    "sub-1",
                    None,
                    ResourceKind::AzureSqlDatabase,
                    "internal error: no vault"
                ),
            ]
        );
        let mut disks = Inventory::default();
        disks.errors.push(CollectionError {
            provider: Provider::Azure,
            account: "sub-1".into(),
            region: Some("westeurope".into()),
            kind: ResourceKind::AzureDisk,
            resource: None,
            operation: None,
            reason: "down".into(),
        });
        let kept = disks.clone();
        let run: Run<'_> = Box::pin(async move { disks });
        assert_eq!(
            guarded("sub-1", vec![AzureKind::AzureDisk], run).await,
            kept
        );
    }

    #[test]
    fn one_walk_fills_the_wanted_kinds_of_its_group_once() {
        use AzureKind::*;
        let group = [AzureStorageAccount, AzureBlobService];
        let both: BTreeSet<AzureKind> = group.into_iter().collect();
        assert_eq!(
            walk(AzureStorageAccount, &both, &group),
            Some(group.to_vec())
        );
        assert_eq!(walk(AzureBlobService, &both, &group), None);
        let blobs: BTreeSet<AzureKind> = [AzureBlobService].into_iter().collect();
        assert_eq!(
            walk(AzureBlobService, &blobs, &group),
            Some(vec![AzureBlobService])
        );
    }
}
