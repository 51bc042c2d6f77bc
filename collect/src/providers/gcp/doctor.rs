//! `phiscan doctor gcp`: the credential source and, when Google's tokeninfo says, the
//! principal; the projects in scope; and per project and
//! resource kind one probe: the first page, at the smallest page size, of the list call that
//! kind's collector starts with, sent through [`Gcp::call`] (the collectors' credentials,
//! endpoint override, retries and call log) as a plain REST GET of the API's documented path
//! (the official clients send the same request).
//!
//! A probe that fails is judged by Google's own error: `SERVICE_DISABLED` is API DISABLED
//! with the `gcloud services enable` command; PERMISSION_DENIED names the missing permission
//! (from `ErrorInfo`, else the one the probe's call needs) and the roles granting it.

use std::collections::BTreeSet;

use futures::future::join_all;

use super::api::{Gcp, Service};
use super::auth;
use super::failure::Failure;
use super::{connect, rest, scopes, targets, GcpOptions, SetupError};
use crate::doctor::{Diagnosis, Fact, Probe, ProbeStatus};
use crate::model::{GcpKind, Provider, ResourceKind};

/// One probe's request: the API, the method's name, the permission it needs, its path under
/// the API's base URL (`{p}`: the project) and the query that makes its page the smallest.
struct Call {
    service: Service,
    operation: &'static str,
    permission: &'static str,
    path: &'static str,
    query: &'static [(&'static str, &'static str)],
}

const fn call(
    service: Service,
    operation: &'static str,
    permission: &'static str,
    path: &'static str,
    query: &'static [(&'static str, &'static str)],
) -> Call {
    Call {
        service,
        operation,
        permission,
        path,
        query,
    }
}

const MAX_1: &[(&str, &str)] = &[("maxResults", "1")];
const PAGE_1: &[(&str, &str)] = &[("pageSize", "1")];

/// The first call of `kind`'s collector.
fn call_of(kind: GcpKind) -> Call {
    use GcpKind::*;
    use Service::*;
    match kind {
        GcpComputeDisk => call(
            Compute,
            "disks.aggregatedList",
            "compute.disks.list",
            "/compute/v1/projects/{p}/aggregated/disks",
            MAX_1,
        ),
        GcpComputeFirewall => call(
            Compute,
            "firewalls.list",
            "compute.firewalls.list",
            "/compute/v1/projects/{p}/global/firewalls",
            MAX_1,
        ),
        GcpSslPolicy => call(
            Compute,
            "sslPolicies.aggregatedList",
            "compute.sslPolicies.list",
            "/compute/v1/projects/{p}/aggregated/sslPolicies",
            MAX_1,
        ),
        GcpTargetProxy => call(
            Compute,
            "targetHttpsProxies.aggregatedList",
            "compute.targetHttpsProxies.list",
            "/compute/v1/projects/{p}/aggregated/targetHttpsProxies",
            MAX_1,
        ),
        GcpComputeSnapshot => call(
            Compute,
            "snapshots.list",
            "compute.snapshots.list",
            "/compute/v1/projects/{p}/global/snapshots",
            MAX_1,
        ),
        GcpComputeInstance => call(
            Compute,
            "instances.aggregatedList",
            "compute.instances.list",
            "/compute/v1/projects/{p}/aggregated/instances",
            MAX_1,
        ),
        GcpNetwork => call(
            Compute,
            "networks.list",
            "compute.networks.list",
            "/compute/v1/projects/{p}/global/networks",
            MAX_1,
        ),
        GcpSubnetwork => call(
            Compute,
            "subnetworks.aggregatedList",
            "compute.subnetworks.list",
            "/compute/v1/projects/{p}/aggregated/subnetworks",
            MAX_1,
        ),
        GcpBackendService => call(
            Compute,
            "backendServices.aggregatedList",
            "compute.backendServices.list",
            "/compute/v1/projects/{p}/aggregated/backendServices",
            MAX_1,
        ),
        GcpSqlInstance => call(
            SqlAdmin,
            "instances.list",
            "cloudsql.instances.list",
            "/v1/projects/{p}/instances",
            MAX_1,
        ),
        GcpStorageBucket => call(
            Storage,
            "buckets.list",
            "storage.buckets.list",
            "/storage/v1/b",
            MAX_1,
        ),
        GcpKmsKey => call(
            Kms,
            "locations.list",
            "cloudkms.locations.list",
            "/v1/projects/{p}/locations",
            PAGE_1,
        ),
        GcpProjectAuditConfig => call(
            ResourceManager,
            "projects.getIamPolicy",
            "resourcemanager.projects.getIamPolicy",
            "/v3/projects/{p}:getIamPolicy",
            &[],
        ),
        GcpProjectLogSinks => call(
            Logging,
            "sinks.list",
            "logging.sinks.list",
            "/v2/projects/{p}/sinks",
            PAGE_1,
        ),
        GcpSpannerDatabase => call(
            Spanner,
            "instances.list",
            "spanner.instances.list",
            "/v1/projects/{p}/instances",
            PAGE_1,
        ),
        GcpFirestoreDatabase => call(
            Firestore,
            "databases.list",
            "datastore.databases.list",
            "/v1/projects/{p}/databases",
            &[],
        ),
        GcpPubsubTopic => call(
            PubSub,
            "topics.list",
            "pubsub.topics.list",
            "/v1/projects/{p}/topics",
            PAGE_1,
        ),
        GcpPubsubSubscription => call(
            PubSub,
            "subscriptions.list",
            "pubsub.subscriptions.list",
            "/v1/projects/{p}/subscriptions",
            PAGE_1,
        ),
        GcpBigqueryDataset => call(
            BigQuery,
            "datasets.list",
            "bigquery.datasets.get",
            "/bigquery/v2/projects/{p}/datasets",
            MAX_1,
        ),
        GcpRedisInstance => call(
            Redis,
            "instances.list",
            "redis.instances.list",
            "/v1/projects/{p}/locations/-/instances",
            PAGE_1,
        ),
        GcpServiceAccount => call(
            Iam,
            "serviceAccounts.list",
            "iam.serviceAccounts.list",
            "/v1/projects/{p}/serviceAccounts",
            PAGE_1,
        ),
        GcpLogBucket => call(
            Logging,
            "buckets.list",
            "logging.buckets.list",
            "/v2/projects/{p}/locations/-/buckets",
            PAGE_1,
        ),
    }
}

/// The predefined role narrower than Viewer that grants a service's reads (README,
/// "Narrower alternatives").
fn narrower_role(service: Service) -> &'static str {
    match service {
        Service::ResourceManager => "roles/iam.securityReviewer",
        Service::Compute => "roles/compute.viewer",
        Service::SqlAdmin => "roles/cloudsql.viewer",
        Service::Storage => "roles/storage.legacyBucketReader",
        Service::Kms => "roles/cloudkms.viewer",
        Service::Logging => "roles/logging.viewer",
        Service::Spanner => "roles/spanner.viewer",
        Service::Firestore => "roles/datastore.viewer",
        Service::PubSub => "roles/pubsub.viewer",
        Service::BigQuery => "roles/bigquery.metadataViewer",
        Service::Redis => "roles/redis.viewer",
        Service::Iam => "roles/iam.serviceAccountViewer",
    }
}

/// Probe the projects in scope for `kinds` (GCP kinds only).
pub async fn diagnose(
    opts: &GcpOptions,
    kinds: &BTreeSet<ResourceKind>,
) -> Result<Diagnosis, SetupError> {
    let (gcp, source) = connect(opts).await?;
    let projects = targets(&gcp, opts).await?;
    let wanted: Vec<GcpKind> = kinds
        .iter()
        .filter_map(|&k| GcpKind::try_from(k).ok())
        .collect();
    let work = projects
        .iter()
        .flat_map(|(p, _)| wanted.iter().map(move |&k| (p.as_str(), k)));
    let probes = join_all(work.map(|(project, kind)| probe(&gcp, project, kind))).await;
    let mut d = Diagnosis {
        provider: Provider::Gcp,
        identity: principal(&gcp)
            .await
            .into_iter()
            .chain([Fact::new("credential source", source.describe())])
            .collect(),
        scopes: scopes(projects),
        probes,
        api_calls: gcp.finish().api_calls,
    };
    d.sort();
    Ok(d)
}

/// Who the access token belongs to, as Google's tokeninfo endpoint says: its `email`, else
/// `azp` (the OAuth client). The token travels in a form body (a POST that only reads), never
/// in a URL a proxy would log, and nothing of this call is repeated on failure: without an
/// answer the credential source alone says who.
async fn principal(gcp: &Gcp) -> Option<Fact> {
    let headers = auth::headers(&gcp.creds).await.ok()?;
    let bearer = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let token = bearer.strip_prefix("Bearer ")?;
    let base = gcp
        .endpoint
        .clone()
        .unwrap_or_else(|| "https://oauth2.googleapis.com".to_string());
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("access_token", token)
        .finish();
    let answer = gcp
        .http
        .post(format!("{base}/tokeninfo"))
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body)
        .send()
        .await
        .ok()?;
    if !answer.status().is_success() {
        return None;
    }
    let info: serde_json::Value = serde_json::from_slice(&answer.bytes().await.ok()?).ok()?;
    let who = info["email"].as_str().or(info["azp"].as_str())?;
    Some(Fact::new("principal", who))
}

async fn probe(gcp: &Gcp, project: &str, kind: GcpKind) -> Probe {
    let c = call_of(kind);
    let url = format!(
        "{}{}",
        gcp.endpoint(c.service),
        c.path.replace("{p}", project)
    );
    let mut query: Vec<(&str, String)> = c.query.iter().map(|(k, v)| (*k, v.to_string())).collect();
    if c.service == Service::Storage {
        query.insert(0, ("project", project.to_string()));
    }
    let result = gcp
        .call(c.service, c.operation, project, None, || async {
            // Resource Manager's getIamPolicy is a read Google defines as POST.
            if c.path.ends_with(":getIamPolicy") {
                let body = serde_json::json!({"options": {"requestedPolicyVersion": 3}});
                rest::post::<serde_json::Value>(gcp, &url, &body).await
            } else {
                rest::get::<serde_json::Value>(gcp, &url, &query).await
            }
        })
        .await;
    let mut p = Probe {
        scope: project.to_string(),
        region: None,
        kind: kind.into(),
        operation: format!(
            "{}.{}",
            c.service.api().trim_end_matches(".googleapis.com"),
            c.operation
        ),
        permission: c.permission.to_string(),
        roles: vec!["roles/viewer".into(), narrower_role(c.service).into()],
        status: ProbeStatus::Ok,
        reason: None,
        enable: None,
    };
    if let Err(f) = result {
        judge(&mut p, &f, c.service, c.operation, project);
    }
    p
}

/// What a failed probe means, from Google's error.
fn judge(p: &mut Probe, f: &Failure, service: Service, operation: &str, project: &str) {
    p.reason = Some(f.reason(service, operation, project));
    if f.error_reason.as_deref() == Some("SERVICE_DISABLED") {
        let api = f
            .disabled_service
            .clone()
            .unwrap_or_else(|| service.api().to_string());
        p.status = ProbeStatus::ApiDisabled;
        p.enable = Some(format!("gcloud services enable {api} --project {project}"));
    } else if !f.retryable()
        && (f.http_status == Some(403) || f.status.as_deref() == Some("PERMISSION_DENIED"))
    {
        p.status = ProbeStatus::Denied;
        if let Some(permission) = &f.permission {
            p.permission.clone_from(permission);
        }
    } else {
        p.status = ProbeStatus::Error;
    }
}
