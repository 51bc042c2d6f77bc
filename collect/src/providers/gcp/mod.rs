//! The GCP collector: the kinds the planner asks for, in every project in scope, with
//! Google's official Rust clients (google-cloud-rust, REST/JSON transport) and
//! google-cloud-auth credentials.
//!
//! | kind | API | calls (per project) |
//! |---|---|---|
//! | `GcpComputeDisk` | Compute Engine | `disks.aggregatedList` |
//! | `GcpComputeFirewall` | Compute Engine | `firewalls.list` |
//! | `GcpSslPolicy` | Compute Engine | `sslPolicies.aggregatedList` |
//! | `GcpTargetProxy` | Compute Engine | `targetHttpsProxies.aggregatedList`, `targetSslProxies.list` |
//! | `GcpSqlInstance` | Cloud SQL Admin | `instances.list`, then `backupRuns.list` per instance |
//! | `GcpStorageBucket` | Storage JSON API (reqwest) | `buckets.list`, then `buckets.getIamPolicy` per bucket |
//! | `GcpKmsKey` | Cloud KMS | `locations.list`, `keyRings.list` per location, `cryptoKeys.list` per ring, `cryptoKeys.getIamPolicy` per key |
//! | `GcpComputeSnapshot` | Compute Engine | `snapshots.list` |
//! | `GcpComputeInstance` | Compute Engine | `instances.aggregatedList` |
//! | `GcpSubnetwork` | Compute Engine | `subnetworks.aggregatedList` |
//! | `GcpBackendService` | Compute Engine | `backendServices.aggregatedList` |
//! | `GcpProjectAuditConfig` | Resource Manager | `projects.getIamPolicy` (POST, read-only) |
//! | `GcpProjectLogSinks` | Cloud Logging (reqwest) | `sinks.list` |
//! | `GcpSpannerDatabase` | Cloud Spanner (reqwest) | `instances.list`, `databases.list` and `backups.list` per instance, `databases.getIamPolicy` (POST, read-only) per database |
//! | `GcpFirestoreDatabase` | Cloud Firestore (reqwest) | `databases.list`, `databases.backupSchedules.list` per database |
//! | `GcpPubsubTopic` | Pub/Sub (reqwest) | `topics.list`, `topics.getIamPolicy` per topic |
//! | `GcpPubsubSubscription` | Pub/Sub (reqwest) | `subscriptions.list` |
//! | `GcpBigqueryDataset` | BigQuery (reqwest) | `datasets.list`, `datasets.get` per dataset |
//! | `GcpRedisInstance` | Memorystore for Redis (reqwest) | `instances.list` (all locations) |
//! | `GcpServiceAccount` | IAM (reqwest) | `serviceAccounts.list`, `serviceAccounts.keys.list` per account |
//! | `GcpLogBucket` | Cloud Logging (reqwest) | `buckets.list` (all locations) |
//! | `GcpNetwork` | Compute Engine (reqwest) | `networks.list` |
//!
//! Targets: `--project P` (repeatable) and every ACTIVE project under each `--folder` /
//! `--organization` (Resource Manager `folders.list` and `projects.list`, recursively; see
//! [`hierarchy`]), else every ACTIVE project the credentials can see (`projects.search`). Regions and zones come from the resources
//! (aggregated lists), never from a configured list.
//!
//! Decisions a newcomer may question:
//! - **Setup errors are fatal, collection errors are not.** No credentials, a malformed
//!   endpoint, or a failed project search leave nothing to attribute to a project: the
//!   scan stops with [`SetupError`] (exit 2). Every later failure becomes a
//!   [`CollectionError`](crate::model::CollectionError) for (project, region or all,
//!   kind) and the rest of the scan goes on; the engine turns it into ERROR findings and
//!   exit code 3.
//! - **Half-read resources are left out.** When a per-resource call fails (one bucket's
//!   IAM policy, one instance's backup runs, one key's IAM policy), the resource is not
//!   added and an error is recorded for its kind in its region: a bucket without its
//!   policy would read as "not public" when the truth is "unknown".
//! - **Unreachable zones.** An aggregated list that reports a scope as unreachable
//!   (`unreachables`, or a scoped `UNREACHABLE` warning) records an error for that zone or
//!   region: the list is incomplete there.
//! - **One endpoint override for every service** (`--gcp-endpoint` /
//!   `PHISCAN_GCP_ENDPOINT`): the base URL replaces `https://<service>.googleapis.com` and
//!   each service's official REST path follows unchanged. The paths of the six APIs do not
//!   collide, so one server (the test replay server, or a path-routing proxy in front of
//!   private Google endpoints) can answer them all: Compute is `/compute/v1/...`, Storage
//!   `/storage/v1/...`, Resource Manager `/v3/projects:search`, `/v3/projects?parent=`,
//!   `/v3/folders?parent=` and
//!   `/v3/projects/<p>:getIamPolicy`, Cloud Logging `/v2/projects/<p>/sinks`, Cloud SQL Admin
//!   `/v1/projects/<p>/instances[/<i>/backupRuns]`, and Cloud KMS
//!   `/v1/projects/<p>/locations[/<l>/keyRings/...]`. Cloud SQL Admin and KMS share the
//!   `/v1/projects/<p>/` prefix; the segment after the project (`instances` versus
//!   `locations`) tells them apart.
//! - **Storage via its JSON API.** google-cloud-storage reads bucket metadata only over
//!   gRPC (its `StorageControl` client speaks the Storage v2 gRPC API), which the REST
//!   replay server and HTTP proxies cannot serve. [`storage`] calls the documented JSON API
//!   (`/storage/v1/b`) with reqwest and the headers the same google-cloud-auth credentials
//!   produce. Cloud Logging's sinks come the same way ([`logging`] says why).
//! - **The data stores of issue 16 via REST too.** Spanner, Firestore, Pub/Sub, BigQuery,
//!   Memorystore and IAM each have a google-cloud-rust crate, but each is a generated crate
//!   of the whole API (google-cloud-sql-v1 is 108,000 lines, kms-v1 65,000), six more would
//!   lengthen every cold build on the 2-core CI for 12 read calls, and google-cloud-pubsub's
//!   admin clients are gRPC-only. [`rest::get_all`] pages any of them in a few lines. Their
//!   paths: Spanner `/v1/projects/<p>/instances[/<i>/databases|backups]` (the instance list
//!   shares Cloud SQL Admin's path: [`spanner`] says how they are told apart), Firestore
//!   `/v1/projects/<p>/databases`, Pub/Sub `/v1/projects/<p>/topics|subscriptions`, BigQuery
//!   `/bigquery/v2/projects/<p>/datasets`, Memorystore `/v1/projects/<p>/locations/-/instances`,
//!   IAM `/v1/projects/<p>/serviceAccounts`, log buckets `/v2/projects/<p>/locations/-/buckets`.

mod api;
pub mod auth;
mod bigquery;
mod compute;
mod compute_lb;
mod compute_net;
mod compute_vm;
mod connect;
mod doctor;
mod failure;
mod firestore;
mod hierarchy;
mod iam;
mod kms;
mod logging;
mod pubsub;
mod redis;
mod resourcemanager;
mod rest;
mod spanner;
mod sql;
mod storage;

use std::collections::BTreeSet;

use google_cloud_gax::retry_policy::NeverRetry;

use super::tasks::Tasks;
use crate::model::{GcpKind, Inventory, Provider, ResourceKind, ResourceRef, Tags};
use api::{Gcp, Service};
pub use api::{MAX_ATTEMPTS, MAX_DELAY, PER_SERVICE};
use connect::{connect, scopes, targets};
pub use doctor::diagnose;

/// The environment variable that sets the endpoint override.
pub const ENDPOINT_VAR: &str = "PHISCAN_GCP_ENDPOINT";

/// Where and how to scan.
#[derive(Debug, Clone, Default)]
pub struct GcpOptions {
    /// Projects to scan; empty: every ACTIVE project the credentials can see.
    pub projects: Vec<String>,
    /// `folders/<id>` and `organizations/<id>`: every ACTIVE project under them, nested
    /// folders included, is scanned too (union with `projects`).
    pub containers: Vec<String>,
    /// One base URL replacing `https://<service>.googleapis.com` for every service.
    pub endpoint: Option<String>,
    /// Scan only this shard's projects (`--shard`; see [`crate::shard`]).
    pub shard: Option<crate::shard::Shard>,
}

/// A scan that cannot start.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot load GCP credentials: {0}; run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS, or set GOOGLE_OAUTH_ACCESS_TOKEN")]
    Credentials(String),
    #[error("cannot use {source_name}: {message}; run `gcloud auth application-default login`, or set GOOGLE_OAUTH_ACCESS_TOKEN")]
    Token {
        source_name: &'static str,
        message: String,
    },
    #[error("--gcp-endpoint {0:?} is not a URL (expected e.g. https://private.googleapis.com or http://127.0.0.1:8080)")]
    Endpoint(String),
    #[error("cannot set up the {service} client: {message}")]
    Client {
        service: &'static str,
        message: String,
    },
    #[error("cannot list the projects to scan with Resource Manager projects.search: {0}; pass --project to name them")]
    Projects(String),
    #[error("{0}")]
    Hierarchy(String),
    #[error("no ACTIVE project under {0}; pass --project to name one")]
    EmptyContainers(String),
    #[error("the credentials can see no ACTIVE project; pass --project to name one")]
    NoProjects,
}

/// The official clients, built once and shared by every task (each holds a pool).
pub(crate) struct Clients {
    pub projects: google_cloud_resourcemanager_v3::client::Projects,
    pub folders: google_cloud_resourcemanager_v3::client::Folders,
    pub disks: google_cloud_compute_v1::client::Disks,
    pub firewalls: google_cloud_compute_v1::client::Firewalls,
    pub ssl_policies: google_cloud_compute_v1::client::SslPolicies,
    pub https_proxies: google_cloud_compute_v1::client::TargetHttpsProxies,
    pub ssl_proxies: google_cloud_compute_v1::client::TargetSslProxies,
    pub snapshots: google_cloud_compute_v1::client::Snapshots,
    pub instances: google_cloud_compute_v1::client::Instances,
    pub subnetworks: google_cloud_compute_v1::client::Subnetworks,
    pub backend_services: google_cloud_compute_v1::client::BackendServices,
    pub sql_instances: google_cloud_sql_v1::client::SqlInstancesService,
    pub backup_runs: google_cloud_sql_v1::client::SqlBackupRunsService,
    pub kms: google_cloud_kms_v1::client::KeyManagementService,
}

/// Build one official client: our credentials, our endpoint, no retries of its own
/// ([`Gcp::call`] retries and logs each attempt).
macro_rules! client {
    ($ty:ty, $service:expr, $creds:expr, $endpoint:expr) => {{
        let mut b = <$ty>::builder()
            .with_credentials($creds.clone())
            .with_retry_policy(NeverRetry)
            .with_attempt_timeout(super::call_timeout());
        if let Some(e) = $endpoint {
            b = b.with_endpoint(e.clone());
        }
        b.build().await.map_err(|e| SetupError::Client {
            service: $service.title(),
            message: e.to_string(),
        })?
    }};
}

impl Clients {
    async fn new(
        creds: &google_cloud_auth::credentials::Credentials,
        endpoint: Option<&String>,
    ) -> Result<Clients, SetupError> {
        use google_cloud_compute_v1::client as compute;
        Ok(Clients {
            projects: client!(
                google_cloud_resourcemanager_v3::client::Projects,
                Service::ResourceManager,
                creds,
                endpoint
            ),
            folders: client!(
                google_cloud_resourcemanager_v3::client::Folders,
                Service::ResourceManager,
                creds,
                endpoint
            ),
            disks: client!(compute::Disks, Service::Compute, creds, endpoint),
            firewalls: client!(compute::Firewalls, Service::Compute, creds, endpoint),
            ssl_policies: client!(compute::SslPolicies, Service::Compute, creds, endpoint),
            https_proxies: client!(
                compute::TargetHttpsProxies,
                Service::Compute,
                creds,
                endpoint
            ),
            ssl_proxies: client!(compute::TargetSslProxies, Service::Compute, creds, endpoint),
            snapshots: client!(compute::Snapshots, Service::Compute, creds, endpoint),
            instances: client!(compute::Instances, Service::Compute, creds, endpoint),
            subnetworks: client!(compute::Subnetworks, Service::Compute, creds, endpoint),
            backend_services: client!(compute::BackendServices, Service::Compute, creds, endpoint),
            sql_instances: client!(
                google_cloud_sql_v1::client::SqlInstancesService,
                Service::SqlAdmin,
                creds,
                endpoint
            ),
            backup_runs: client!(
                google_cloud_sql_v1::client::SqlBackupRunsService,
                Service::SqlAdmin,
                creds,
                endpoint
            ),
            kms: client!(
                google_cloud_kms_v1::client::KeyManagementService,
                Service::Kms,
                creds,
                endpoint
            ),
        })
    }
}

/// Collect `kinds` (GCP kinds only; others are ignored) from the projects in scope.
pub async fn collect(
    opts: &GcpOptions,
    kinds: &BTreeSet<ResourceKind>,
) -> Result<Inventory, SetupError> {
    let (gcp, _) = connect(opts).await?;
    let mut targets = targets(&gcp, opts).await?;
    if let Some(shard) = opts.shard {
        targets.retain(|(project, _)| shard.owns_scope(Provider::Gcp, project));
    }

    let wanted: BTreeSet<GcpKind> = kinds
        .iter()
        .filter_map(|&k| GcpKind::try_from(k).ok())
        .collect();
    let mut tasks = Tasks::default();
    for (project, _) in &targets {
        for &kind in &wanted {
            let (g, p) = (gcp.clone(), project.clone());
            tasks.spawn((project.clone(), kind), async move {
                collect_kind(&g, &p, kind).await
            });
        }
    }
    // A panicking task is a bug; say so instead of passing over missing data.
    tasks
        .join(|(project, kind), message| {
            gcp.error(
                &project,
                None,
                kind.into(),
                format!("internal error: {message}"),
            );
        })
        .await;

    let mut inv = gcp.finish();
    inv.collected_at = Some(chrono::Utc::now());
    inv.scopes = scopes(targets);
    inv.sort();
    inv.raw_responses = crate::raw::link(&inv, None, gcp.take_raw());
    Ok(inv)
}

/// The collector of every GCP kind: an exhaustive match, so a kind declared in `kinds!` and
/// wired to no collector does not compile. Every GCP collector runs once per project.
async fn collect_kind(gcp: &Gcp, project: &str, kind: GcpKind) {
    use GcpKind::*;
    match kind {
        GcpComputeDisk => compute_vm::disks(gcp, project).await,
        GcpComputeFirewall => compute_net::firewalls(gcp, project).await,
        GcpSslPolicy => compute_lb::ssl_policies(gcp, project).await,
        GcpTargetProxy => compute_lb::target_proxies(gcp, project).await,
        GcpSqlInstance => sql::instances(gcp, project).await,
        GcpStorageBucket => storage::buckets(gcp, project).await,
        GcpKmsKey => kms::keys(gcp, project).await,
        GcpComputeSnapshot => compute_vm::snapshots(gcp, project).await,
        GcpComputeInstance => compute_vm::instances(gcp, project).await,
        GcpSubnetwork => compute_net::subnetworks(gcp, project).await,
        GcpBackendService => compute_lb::backend_services(gcp, project).await,
        GcpProjectAuditConfig => resourcemanager::audit_config(gcp, project).await,
        GcpProjectLogSinks => logging::sinks(gcp, project).await,
        GcpSpannerDatabase => spanner::databases(gcp, project).await,
        GcpFirestoreDatabase => firestore::databases(gcp, project).await,
        GcpPubsubTopic => pubsub::topics(gcp, project).await,
        GcpPubsubSubscription => pubsub::subscriptions(gcp, project).await,
        GcpBigqueryDataset => bigquery::datasets(gcp, project).await,
        GcpRedisInstance => redis::instances(gcp, project).await,
        GcpServiceAccount => iam::service_accounts(gcp, project).await,
        GcpLogBucket => logging::buckets(gcp, project).await,
        GcpNetwork => compute_net::networks(gcp, project).await,
    }
}

/// A ResourceRef in `project`, labels as tags.
pub(crate) fn resource(
    kind: ResourceKind,
    project: &str,
    region: &str,
    id: String,
    name: &str,
    labels: impl IntoIterator<Item = (String, String)>,
) -> ResourceRef {
    let mut r = ResourceRef::new(kind, project, region, id, name);
    r.tags = labels.into_iter().collect::<Tags>();
    r
}
