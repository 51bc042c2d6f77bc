//! The start of every GCP scan (and `phiscan doctor gcp`): the endpoint checked, the
//! credentials loaded and proven to give a token, the clients built, and the projects in
//! scope found.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::api::{Gcp, Service};
use super::{auth, hierarchy, resourcemanager, Clients, GcpOptions, SetupError};
use crate::model::{Provider, Scope};

/// Check the endpoint, load the credentials (failing once, clearly, when they give no
/// token) and build the clients every request goes through. Returns where the credentials
/// came from, for messages.
pub(crate) async fn connect(opts: &GcpOptions) -> Result<(Arc<Gcp>, auth::Source), SetupError> {
    let endpoint = opts
        .endpoint
        .as_ref()
        .map(|e| e.trim().trim_end_matches('/').to_string());
    if let Some(e) = &endpoint {
        let ok = reqwest::Url::parse(e)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !ok {
            return Err(SetupError::Endpoint(e.clone()));
        }
    }
    let (creds, source) = auth::credentials().map_err(SetupError::Credentials)?;
    // Fail once, clearly, rather than once per call: ADC without a credential file falls
    // back to the metadata server, which only exists on Google Cloud.
    auth::headers(&creds)
        .await
        .map_err(|message| SetupError::Token {
            source_name: source.describe(),
            message,
        })?;
    let clients = Clients::new(&creds, endpoint.as_ref()).await?;
    let gcp =
        Arc::new(
            Gcp::new(creds, endpoint, clients).map_err(|message| SetupError::Client {
                service: Service::Storage.title(),
                message,
            })?,
        );
    Ok((gcp, source))
}

/// The projects in scope, with their names when Resource Manager said: `--project`, and
/// every ACTIVE project under `--folder`/`--organization`, else every ACTIVE project the
/// credentials can see.
pub(crate) async fn targets(
    gcp: &Gcp,
    opts: &GcpOptions,
) -> Result<Vec<(String, Option<String>)>, SetupError> {
    let targets: Vec<(String, Option<String>)> = if !opts.containers.is_empty() {
        let mut found = hierarchy::projects_under(gcp, &opts.containers)
            .await
            .map_err(SetupError::Hierarchy)?;
        if found.is_empty() && opts.projects.is_empty() {
            return Err(SetupError::EmptyContainers(opts.containers.join(", ")));
        }
        let named: BTreeSet<String> = opts.projects.iter().cloned().collect();
        for p in named {
            if !found.iter().any(|(id, _)| *id == p) {
                found.push((p, None));
            }
        }
        found.sort();
        found
    } else if opts.projects.is_empty() {
        let found = resourcemanager::active_projects(gcp)
            .await
            .map_err(SetupError::Projects)?;
        if found.is_empty() {
            return Err(SetupError::NoProjects);
        }
        found
    } else {
        let mut seen = BTreeSet::new();
        opts.projects
            .iter()
            .filter(|p| seen.insert(p.to_string()))
            .map(|p| (p.clone(), None))
            .collect()
    };
    Ok(targets)
}

/// The scopes of the projects in `targets` (regions come from the resources).
pub(crate) fn scopes(targets: Vec<(String, Option<String>)>) -> Vec<Scope> {
    targets
        .into_iter()
        .map(|(account, name)| Scope {
            provider: Provider::Gcp,
            account,
            name,
            regions: Vec::new(),
            identity: None,
        })
        .collect()
}
