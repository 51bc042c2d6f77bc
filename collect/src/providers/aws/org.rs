//! Every account of an AWS Organization: list the accounts from the management (or
//! delegated administrator) account, assume a read-only role in each, and scan each account
//! as a scan of its own, a bounded number at a time. One account failing (the role cannot be
//! assumed, the account cannot be identified) makes its scopes ERROR and never stops the
//! others.

use std::collections::BTreeSet;
use std::sync::Arc;

use aws_sdk_sts::config::Credentials;
use aws_types::region::Region;
use tokio::sync::Semaphore;

use super::api_log::{ApiLog, ApiLogInterceptor};
use super::{collect, home_sts, load_config, reason, AwsOptions, SetupError};
use crate::model::{CollectionError, Inventory, Provider, ResourceKind, Scope};

/// How to reach the member accounts.
#[derive(Debug, Clone)]
pub struct OrgOptions {
    /// The role to assume in each member account, e.g. `OrganizationAccountAccessRole` or a
    /// read-only audit role deployed by StackSets.
    pub role_name: String,
    /// The external id the role's trust policy demands, if any.
    pub external_id: Option<String>,
    /// Only these account ids (empty: every ACTIVE account).
    pub accounts: Vec<String>,
    /// Accounts scanned at once.
    pub max_parallel: usize,
}

/// One member account of the organization.
#[derive(Debug, Clone)]
struct Member {
    id: String,
    name: Option<String>,
}

/// Collect `kinds` from every account of the organization the credentials administer,
/// handing each account's inventory to `part` as soon as it is complete (so the caller can
/// evaluate it and let it go while the next accounts are read), then the organization's own
/// calls (ListAccounts, AssumeRole) as a last part without scopes. The parts come in the
/// order the accounts finish; absorbed together they are the organization's inventory.
pub async fn collect_organization(
    opts: &AwsOptions,
    org: &OrgOptions,
    kinds: &BTreeSet<ResourceKind>,
    part: &mut dyn FnMut(Inventory),
) -> Result<(), SetupError> {
    let log = ApiLog::default();
    let sdk = load_config(opts).await;
    let (home, sts) = home_sts(&sdk, opts, &log);
    let me = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| SetupError::Identity(reason(&e, "sts:GetCallerIdentity")))?;
    let management = me.account().unwrap_or_default().to_string();
    log.set_account(&management);
    let partition = me
        .arn()
        .and_then(|a| a.split(':').nth(1))
        .unwrap_or("aws")
        .to_string();

    let orgs = aws_sdk_organizations::Client::from_conf(
        aws_sdk_organizations::config::Builder::from(&sdk)
            .region(Region::new(home.clone()))
            .interceptor(ApiLogInterceptor::new(&log, &home))
            .build(),
    );
    let mut members = Vec::new();
    let mut pages = orgs.list_accounts().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page =
            page.map_err(|e| SetupError::Organization(reason(&e, "organizations:ListAccounts")))?;
        for a in page.accounts() {
            // SUSPENDED and PENDING_CLOSURE accounts cannot be scanned (or assumed into).
            #[allow(deprecated)] // `state` is newer; moto and older APIs only say `status`
            let active = a.status().is_none_or(|s| s.as_str() == "ACTIVE");
            if let (Some(id), true) = (a.id(), active) {
                members.push(Member {
                    id: id.to_string(),
                    name: a.name().map(str::to_string),
                });
            }
        }
    }
    if !org.accounts.is_empty() {
        let unknown: Vec<&String> = org
            .accounts
            .iter()
            .filter(|id| !members.iter().any(|m| &m.id == *id))
            .collect();
        if !unknown.is_empty() {
            return Err(SetupError::Organization(format!(
                "account(s) {} are not ACTIVE accounts of the organization",
                unknown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        members.retain(|m| org.accounts.contains(&m.id));
    }
    members.sort_by(|a, b| a.id.cmp(&b.id));

    let limit = Arc::new(Semaphore::new(org.max_parallel.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for member in members {
        let (limit, sts, opts, org, kinds) = (
            limit.clone(),
            sts.clone(),
            opts.clone(),
            org.clone(),
            kinds.clone(),
        );
        let (management, partition) = (management.clone(), partition.clone());
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let mut inv =
                scan_member(&sts, &opts, &org, &kinds, &member, &management, &partition).await;
            for scope in inv.scopes.iter_mut().filter(|s| s.account == member.id) {
                scope.name = member.name.clone();
            }
            inv
        });
    }
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(inv) => part(inv),
            Err(e) => {
                return Err(SetupError::Organization(format!(
                    "internal error scanning an account: {e}"
                )))
            }
        }
    }
    let mut own = Inventory::new();
    own.api_calls = log.take();
    part(own);
    Ok(())
}

/// Scan one account: with the caller's own credentials for the account they belong to, with
/// the assumed role elsewhere. Whatever fails becomes collection errors for the account.
async fn scan_member(
    sts: &aws_sdk_sts::Client,
    opts: &AwsOptions,
    org: &OrgOptions,
    kinds: &BTreeSet<ResourceKind>,
    member: &Member,
    management: &str,
    partition: &str,
) -> Inventory {
    let mut opts = opts.clone();
    if member.id != management {
        let role = format!("arn:{partition}:iam::{}:role/{}", member.id, org.role_name);
        let mut req = sts
            .assume_role()
            .role_arn(&role)
            .role_session_name(format!("phiscan-{}", member.id));
        if let Some(x) = &org.external_id {
            req = req.external_id(x);
        }
        let creds = match req.send().await {
            Ok(out) => out.credentials().cloned(),
            Err(e) => {
                return failed(
                    member,
                    opts.regions.clone(),
                    kinds,
                    format!("cannot assume {role}: {}", reason(&e, "sts:AssumeRole")),
                )
            }
        };
        let Some(c) = creds else {
            return failed(
                member,
                opts.regions.clone(),
                kinds,
                format!("sts:AssumeRole of {role} returned no credentials"),
            );
        };
        opts.credentials = Some(Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            None,
            "phiscan-assume-role",
        ));
    }
    match collect(&opts, kinds).await {
        Ok(inv) => inv,
        Err(e) => failed(member, opts.regions.clone(), kinds, e.to_string()),
    }
}

/// An account that could not be scanned: its scope, and an error for every kind wanted.
fn failed(
    member: &Member,
    regions: Option<Vec<String>>,
    kinds: &BTreeSet<ResourceKind>,
    reason: String,
) -> Inventory {
    let mut inv = Inventory::new();
    inv.scopes.push(Scope {
        provider: Provider::Aws,
        account: member.id.clone(),
        name: member.name.clone(),
        regions: regions.unwrap_or_default(),
        identity: None,
    });
    for &kind in kinds.iter().filter(|k| k.provider() == Provider::Aws) {
        inv.errors.push(CollectionError {
            provider: Provider::Aws,
            account: member.id.clone(),
            region: None,
            kind,
            resource: None,
            operation: None,
            reason: reason.clone(),
        });
    }
    inv
}
