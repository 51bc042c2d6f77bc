//! `phiscan doctor azure`: who the token says the credential is (its `oid`, `upn`, `appid`
//! claims, read locally: the token is never printed), the subscriptions in scope, and per
//! subscription and resource kind one probe: the first page of the ARM list the kind's
//! collector starts with, through the collectors' own client (credential chain, endpoint
//! override, retries, call log).
//!
//! ARM's answer decides: `AuthorizationFailed` is DENIED (the action is the list's
//! `<namespace>/<type>/read`, in the Reader role); `MissingSubscriptionRegistration` is the
//! Azure form of a disabled API, with the `az provider register` command. Kinds read per
//! parent (blob services, SQL databases, vault diagnostics) are probed by the parent's list:
//! without it the collector never reaches them.

use std::collections::BTreeSet;

use azure_core::credentials::TokenCredential;
use base64::Engine as _;
use futures::future::join_all;

use super::client::{Arm, ArmError, Op};
use super::{connect, targets, versions, AzureError, AzureOptions};
use crate::doctor::{Diagnosis, Fact, Probe, ProbeStatus};
use crate::model::{AzureKind, Provider, ResourceKind, Scope};

/// The subscription-wide list a kind's collector starts with: resource provider namespace,
/// resource type, API version, ARM operation id and query.
struct List {
    namespace: &'static str,
    resource_type: &'static str,
    api_version: &'static str,
    operation: &'static str,
    query: &'static [(&'static str, &'static str)],
}

const fn list(
    namespace: &'static str,
    resource_type: &'static str,
    api_version: &'static str,
    operation: &'static str,
) -> List {
    List {
        namespace,
        resource_type,
        api_version,
        operation,
        query: &[],
    }
}

/// Subscriptions_Get: what every probe of a subscription that cannot be read reports.
const SUBSCRIPTION: List = list(
    "Microsoft.Resources",
    "subscriptions",
    versions::SUBSCRIPTIONS,
    "Subscriptions_Get",
);

fn list_of(kind: AzureKind) -> List {
    use versions::*;
    use AzureKind::*;
    match kind {
        AzureDisk => list("Microsoft.Compute", "disks", COMPUTE_DISKS, "Disks_List"),
        AzureVirtualMachine => list(
            "Microsoft.Compute",
            "virtualMachines",
            COMPUTE_VMS,
            "VirtualMachines_ListAll",
        ),
        AzureStorageAccount | AzureBlobService => list(
            "Microsoft.Storage",
            "storageAccounts",
            STORAGE,
            "StorageAccounts_List",
        ),
        AzureSqlServer | AzureSqlDatabase | AzureSqlLtrPolicy => {
            list("Microsoft.Sql", "servers", SQL, "Servers_List")
        }
        AzureSqlManagedInstance => list(
            "Microsoft.Sql",
            "managedInstances",
            SQL,
            "ManagedInstances_List",
        ),
        AzureNetworkSecurityGroup => list(
            "Microsoft.Network",
            "networkSecurityGroups",
            NETWORK,
            "NetworkSecurityGroups_ListAll",
        ),
        AzurePostgresFlexibleServer => list(
            "Microsoft.DBforPostgreSQL",
            "flexibleServers",
            POSTGRES_FLEXIBLE,
            "Servers_List",
        ),
        AzureMysqlFlexibleServer => list(
            "Microsoft.DBforMySQL",
            "flexibleServers",
            MYSQL_FLEXIBLE,
            "Servers_List",
        ),
        AzureKeyVault | AzureKeyVaultDiagnostics => list(
            "Microsoft.KeyVault",
            "vaults",
            KEY_VAULT,
            "Vaults_ListBySubscription",
        ),
        AzureBackupProtectedItem => list(
            "Microsoft.RecoveryServices",
            "vaults",
            RECOVERY_SERVICES,
            "Vaults_ListBySubscriptionId",
        ),
        AzureVirtualNetwork => list(
            "Microsoft.Network",
            "virtualNetworks",
            NETWORK,
            "VirtualNetworks_ListAll",
        ),
        AzureBastionHost => list(
            "Microsoft.Network",
            "bastionHosts",
            NETWORK,
            "BastionHosts_List",
        ),
        AzureLighthouseAssignment => list(
            "Microsoft.ManagedServices",
            "registrationAssignments",
            MANAGED_SERVICES,
            "RegistrationAssignments_List",
        ),
        AzureApplicationGateway => list(
            "Microsoft.Network",
            "applicationGateways",
            NETWORK,
            "ApplicationGateways_ListAll",
        ),
        AzureActivityLog => list(
            "Microsoft.Insights",
            "diagnosticSettings",
            SUBSCRIPTION_DIAGNOSTIC_SETTINGS,
            "SubscriptionDiagnosticSettings_List",
        ),
        AzureCosmosDbAccount => list(
            "Microsoft.DocumentDB",
            "databaseAccounts",
            COSMOS_DB,
            "DatabaseAccounts_List",
        ),
        AzureWebApp => list("Microsoft.Web", "sites", WEB, "WebApps_List"),
        AzureRedisCache => list(
            "Microsoft.Cache",
            "redis",
            REDIS,
            "Redis_ListBySubscription",
        ),
        AzureFlowLog => list(
            "Microsoft.Network",
            "networkWatchers",
            NETWORK,
            "NetworkWatchers_ListAll",
        ),
        AzureDefenderPlans => list(
            "Microsoft.Security",
            "pricings",
            SECURITY_PRICINGS,
            "Pricings_List",
        ),
        AzureRoleAssignments => List {
            query: &[("$filter", "atScope()")],
            ..list(
                "Microsoft.Authorization",
                "roleAssignments",
                AUTHORIZATION,
                "RoleAssignments_ListForScope",
            )
        },
        AzureCustomRole => List {
            query: &[("$filter", "type eq 'CustomRole'")],
            ..list(
                "Microsoft.Authorization",
                "roleDefinitions",
                AUTHORIZATION,
                "RoleDefinitions_List",
            )
        },
    }
}

/// Probe the subscriptions in scope for `kinds` (Azure kinds only).
pub async fn diagnose(
    opts: &AzureOptions,
    kinds: &BTreeSet<ResourceKind>,
) -> Result<Diagnosis, AzureError> {
    let (arm, credential, source) = connect(opts)?;
    let mut identity = vec![Fact::new("credential source", source)];
    identity.extend(claims(credential.as_ref(), opts.cloud.scope()).await);
    let subs = targets(&arm, opts).await?;
    let wanted: Vec<AzureKind> = kinds
        .iter()
        .filter_map(|&k| AzureKind::try_from(k).ok())
        .collect();
    let work = subs
        .iter()
        .flat_map(|(sub, read)| wanted.iter().map(move |&k| (sub.as_str(), read, k)));
    let arm = &arm;
    let probes = join_all(work.map(|(sub, read, kind)| async move {
        match read {
            Ok(_) => probe(arm, sub, kind).await,
            // The subscription itself could not be read: nothing in it can be listed.
            Err(e) => judged(sub, kind, &SUBSCRIPTION, Err(e.clone())),
        }
    }))
    .await;
    let mut d = Diagnosis {
        provider: Provider::Azure,
        identity,
        scopes: subs
            .iter()
            .map(|(sub, read)| Scope {
                provider: Provider::Azure,
                account: sub.clone(),
                name: read.as_ref().ok().cloned().flatten(),
                regions: Vec::new(),
                identity: None,
            })
            .collect(),
        probes,
        api_calls: arm.calls(),
    };
    d.sort();
    Ok(d)
}

async fn probe(arm: &Arm, sub: &str, kind: AzureKind) -> Probe {
    let l = list_of(kind);
    let path = format!(
        "/subscriptions/{sub}/providers/{}/{}",
        l.namespace, l.resource_type
    );
    let op = Op::new(l.namespace, l.operation, sub);
    let result = arm.first_page(&path, l.api_version, l.query, &op).await;
    judged(sub, kind, &l, result)
}

/// The probe of `kind` in `sub` whose request ended with `result`.
fn judged(sub: &str, kind: AzureKind, l: &List, result: Result<(), ArmError>) -> Probe {
    let mut p = Probe {
        scope: sub.to_string(),
        region: None,
        kind: kind.into(),
        operation: l.operation.to_string(),
        permission: format!("{}/{}/read", l.namespace, l.resource_type),
        roles: vec!["Reader".into()],
        status: ProbeStatus::Ok,
        reason: None,
        enable: None,
    };
    if let Err(e) = result {
        p.reason = Some(e.reason());
        p.status = match (e.code.as_str(), e.status) {
            ("MissingSubscriptionRegistration", _) => {
                p.enable = Some(format!(
                    "az provider register --namespace {} --subscription {sub}",
                    l.namespace
                ));
                ProbeStatus::ApiDisabled
            }
            ("AuthorizationFailed", _) | (_, Some(403)) => ProbeStatus::Denied,
            _ => ProbeStatus::Error,
        };
    }
    p
}

/// Who the ARM token was issued to: its `oid`, `upn` (or another name claim), `appid` and
/// `tid` claims. The token is decoded here and dropped; it is never printed or logged.
async fn claims(credential: &dyn TokenCredential, scope: &str) -> Vec<Fact> {
    let token = match credential.get_token(&[scope], None).await {
        Ok(t) => t,
        Err(e) => return vec![Fact::new("token", format!("none: {e}"))],
    };
    let payload = token.token.secret().split('.').nth(1).and_then(|p| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(p.trim_end_matches('='))
            .ok()
    });
    let Some(claims) = payload.and_then(|p| serde_json::from_slice::<serde_json::Value>(&p).ok())
    else {
        return vec![Fact::new(
            "token",
            "not a JWT: who it belongs to cannot be read from it",
        )];
    };
    let claim = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| claims[*n].as_str().map(str::to_string))
    };
    [
        ("object id (oid)", claim(&["oid"])),
        (
            "user (upn)",
            claim(&["upn", "unique_name", "preferred_username"]),
        ),
        ("application (appid)", claim(&["appid", "azp"])),
        ("tenant (tid)", claim(&["tid"])),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|v| Fact::new(label, v)))
    .collect()
}
