//! Janus Healthcare Partners on GCP (project `janus-hcp-prod`): the EHR Postgres database,
//! the ePHI upload bucket, the bastion, Logstash and ElasticSearch servers, and the load
//! balancers of the patient portal and partner API. Each GCP check finds at least one
//! compliant and one non-compliant resource here.
//!
//! Resource ids are Cloud Asset Inventory full resource names
//! (`//compute.googleapis.com/projects/...`, `//cloudsql.googleapis.com/projects/...`,
//! `//storage.googleapis.com/<bucket>`, `//cloudkms.googleapis.com/projects/...`).
//!
//! One file per service, named like the service's directory in `checks/src/gcp/`; this
//! module holds the project, region and naming helpers that several services share.

use chrono::{DateTime, Utc};

use super::{GCP_PROJECT as P, GCP_SANDBOX_PROJECT as SANDBOX};
use crate::model::gcp::IamBinding;
use crate::model::{Inventory, ResourceKind, ResourceRef};

mod bigquery;
mod compute;
mod firestore;
mod iam;
mod kms;
mod lb;
mod logging;
mod pubsub;
mod redis;
mod spanner;
mod sql;
mod storage;
mod vpc;

const REGION: &str = "us-central1";
const COMPUTE: &str = "https://www.googleapis.com/compute/v1";
const KEY_RING: &str = "janus-prod";

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    compute::add(inv, now);
    sql::add(inv, now);
    storage::add(inv);
    kms::add(inv, now);
    lb::add(inv);
    logging::add(inv);
    spanner::add(inv, now);
    firestore::add(inv);
    pubsub::add(inv);
    bigquery::add(inv);
    redis::add(inv);
    iam::add(inv, now);
    vpc::add(inv);
}

fn compute_ref(kind: ResourceKind, location: &str, collection: &str, name: &str) -> ResourceRef {
    let scope = if location == "global" {
        "global".to_string()
    } else if matches!(
        kind,
        ResourceKind::GcpComputeDisk | ResourceKind::GcpComputeInstance
    ) {
        format!("zones/{location}")
    } else {
        format!("regions/{location}")
    };
    ResourceRef::new(
        kind,
        P,
        location,
        format!("//compute.googleapis.com/projects/{P}/{scope}/{collection}/{name}"),
        name,
    )
}

fn kms_key_name(key: &str) -> String {
    format!("projects/{P}/locations/{REGION}/keyRings/{KEY_RING}/cryptoKeys/{key}")
}
/// A ResourceRef of project `P` in `location`, named by the last segment of `id`.
fn store_ref(kind: ResourceKind, location: &str, id: String) -> ResourceRef {
    let name = id.rsplit('/').next().unwrap_or_default().to_string();
    ResourceRef::new(kind, P, location, id, &name)
}

fn binding(role: &str, members: &[&str]) -> IamBinding {
    IamBinding {
        role: role.into(),
        members: members.iter().map(|m| m.to_string()).collect(),
        condition: None,
    }
}
