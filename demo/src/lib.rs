//! The built-in demo estate: a small health-data host in the spirit of the policies in
//! `shared/policies/` (HealthTensor / Qolty on AWS, Janus HCP on GCP, Qolty on Azure), with
//! compliant and non-compliant resources for every check, evaluated offline with the same
//! checks a real scan uses.
//!
//! Timestamps are relative to the scan clock (`now`) so backup-age verdicts are the same
//! whenever the demo runs.
//!
//! The estate is laid out like the checks: `<cloud>/<service>.rs` here holds the resources
//! of the checks in `checks/src/<cloud>/<service>/` (EC2 instances and security groups in
//! `aws/ec2.rs`, GCP firewalls and subnetworks in `gcp/compute.rs`; resources no check
//! directory names, such as AWS subnets, live with their API: `aws/vpc.rs`). A new check's
//! demo resources go into its service's file, next to the builder of their type, with a
//! comment saying which verdict each one is there for, and every check needs at least one
//! compliant and one non-compliant resource. A new service gets a new file with its
//! resources and its `add(inv, ...)`, called from `add` in its cloud's `mod.rs`; ids,
//! accounts and regions that several services share are constants in that `mod.rs`.

mod aws;
mod azure;
pub mod config;
mod gcp;

use chrono::{DateTime, Utc};

use crate::model::{Identity, Inventory, Provider, Scope};

// The demo modules name the model as they did inside the core crate.
pub(crate) use phiscan_core::model;

pub const AWS_ACCOUNT: &str = "111122223333";
pub const AWS_REGIONS: [&str; 2] = ["us-east-1", "us-west-2"];
pub const GCP_PROJECT: &str = "janus-hcp-prod";
/// A second, non-production project (only its audit configuration and log sinks are in the
/// demo).
pub const GCP_SANDBOX_PROJECT: &str = "janus-hcp-sandbox";
pub const AZURE_SUBSCRIPTION: &str = "6f1d8e2a-3c4b-4a5d-9e6f-7a8b9c0d1e2f";
/// A second, non-production subscription (only its activity log, Defender plans and role
/// assignments are in the demo).
pub const AZURE_SANDBOX_SUBSCRIPTION: &str = "0c2e4a6b-8d1f-4e3a-b5c7-d9e1f3a5b7c9";

/// The demo inventory as of `now`.
pub fn estate(now: DateTime<Utc>) -> Inventory {
    let mut inv = Inventory::new();
    // The demo "collects" instantly at the scan clock: reports of it are reproducible.
    inv.collection_started_at = Some(now);
    inv.collected_at = Some(now);
    inv.scopes = vec![
        Scope {
            provider: Provider::Aws,
            account: AWS_ACCOUNT.into(),
            name: Some("healthtensor-prod".into()),
            regions: AWS_REGIONS.iter().map(|r| r.to_string()).collect(),
            identity: Some(Identity {
                principal: format!("arn:aws:sts::{AWS_ACCOUNT}:assumed-role/phiscan-audit/demo"),
                tenant: None,
            }),
        },
        Scope {
            provider: Provider::Gcp,
            account: GCP_PROJECT.into(),
            name: Some("Janus HCP production".into()),
            regions: vec![],
            identity: Some(Identity {
                principal: format!("phiscan-audit@{GCP_PROJECT}.iam.gserviceaccount.com"),
                tenant: None,
            }),
        },
        Scope {
            provider: Provider::Gcp,
            account: GCP_SANDBOX_PROJECT.into(),
            name: Some("Janus HCP sandbox".into()),
            regions: vec![],
            identity: Some(Identity {
                principal: format!("phiscan-audit@{GCP_PROJECT}.iam.gserviceaccount.com"),
                tenant: None,
            }),
        },
        Scope {
            provider: Provider::Azure,
            account: AZURE_SUBSCRIPTION.into(),
            name: Some("qolty-ephi-prod".into()),
            regions: vec![],
            identity: Some(Identity {
                principal: "0b7c4f2e-8d1a-4e6b-9c3f-5a2d7e8f9a1b".into(),
                tenant: Some("3e9a1c5d-7b2f-4d8e-a6c1-9f0b2d4e6a8c".into()),
            }),
        },
        Scope {
            provider: Provider::Azure,
            account: AZURE_SANDBOX_SUBSCRIPTION.into(),
            name: Some("qolty-sandbox".into()),
            regions: vec![],
            identity: Some(Identity {
                principal: "0b7c4f2e-8d1a-4e6b-9c3f-5a2d7e8f9a1b".into(),
                tenant: Some("3e9a1c5d-7b2f-4d8e-a6c1-9f0b2d4e6a8c".into()),
            }),
        },
    ];
    aws::add(&mut inv, now);
    gcp::add(&mut inv, now);
    azure::add(&mut inv, now);
    inv
}

#[cfg(test)]
mod tests {
    use crate::model::aws::CloudTrail;
    use crate::model::Provider;

    #[test]
    fn shards_of_the_demo_estate_partition_it() {
        let now = chrono::Utc::now();
        let full = crate::estate(now);
        let total = full.resource_refs().len();
        for n in [1u32, 2, 3] {
            let mut resources = 0;
            let mut ids: Vec<String> = Vec::new();
            for i in 1..=n {
                let mut inv = full.clone();
                inv.retain_shard(phiscan_core::shard::Shard { index: i, count: n });
                resources += inv.resource_refs().len();
                ids.extend(inv.resource_refs().iter().map(|r| r.id.clone()));
                for s in &inv.scopes {
                    assert!(!s.regions.is_empty() || s.provider != Provider::Aws);
                }
            }
            // Multi-region trails are kept by every shard of their account, like a live scan.
            let trails = full
                .of::<CloudTrail>()
                .iter()
                .filter(|t| t.is_multi_region)
                .count();
            assert!(resources >= total && resources <= total + trails * (n as usize - 1));
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), total, "{n} shards lose resources");
        }
    }
}
