//! Test support for check unit tests: resource refs, a runner that evaluates one check the
//! way the engine does (collection errors included), and per cloud a builder for each model
//! type the tests use, so that no check's tests borrow another check's.

pub mod aws;
pub mod aws_edges;
mod aws_network;
mod aws_stores;
pub mod azure;
pub mod gcp;
pub mod gcp_stores;

use chrono::{DateTime, TimeZone, Utc};
use phiscan_core::check::{Check, Finding, Status};
use phiscan_core::{engine, Config, Inventory, ResourceKind, ResourceRef};

pub const AWS_ACCOUNT: &str = "111122223333";
pub const GCP_PROJECT: &str = "proj-1";
pub const AZURE_SUB: &str = "00000000-0000-0000-0000-000000000001";

/// A fixed clock for tests: 2026-06-01T12:00:00Z.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

/// The demo's `[segmentation]` and partner list (`demo/src/config.rs`): tags `customer`,
/// `role=bastion`, `tier=data`; admins from 10.8.0.0/16; partner account 210987654321
/// (read access until 2027-06-30).
pub fn segmented() -> Config {
    phiscan_demo::config::config()
}

/// A ref whose id and name are `id` (use ids the assertions can name).
pub fn aws_ref(kind: ResourceKind, region: &str, id: &str) -> ResourceRef {
    ResourceRef::new(kind, AWS_ACCOUNT, region, id, id)
}
pub fn gcp_ref(kind: ResourceKind, region: &str, id: &str) -> ResourceRef {
    ResourceRef::new(kind, GCP_PROJECT, region, id, id)
}
pub fn azure_ref(kind: ResourceKind, region: &str, id: &str) -> ResourceRef {
    ResourceRef::new(kind, AZURE_SUB, region, id, id)
}

/// A failed list call of `kind` in us-east-1 of the test AWS account.
pub fn aws_list_error(kind: ResourceKind, reason: &str) -> phiscan_core::model::CollectionError {
    phiscan_core::model::CollectionError {
        provider: phiscan_core::Provider::Aws,
        account: AWS_ACCOUNT.into(),
        region: Some("us-east-1".into()),
        kind,
        resource: None,
        operation: None,
        reason: reason.into(),
    }
}

/// Findings of one check, with lookups by resource id.
#[derive(Debug)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    /// The one finding on `id`; panics if there is none or more than one.
    pub fn of(&self, id: &str) -> &Finding {
        let hits: Vec<&Finding> = self.0.iter().filter(|f| f.resource.id == id).collect();
        assert_eq!(
            hits.len(),
            1,
            "expected one finding on {id}, got {:#?}",
            self.0
        );
        hits[0]
    }
    pub fn status_of(&self, id: &str) -> Status {
        self.of(id).status
    }
    /// Asserts the status of every resource id in `want`.
    pub fn assert_statuses(&self, want: &[(&str, Status)]) {
        for (id, status) in want {
            assert_eq!(self.status_of(id), *status, "status of {id}");
        }
    }
    pub fn evidence_of(&self, id: &str, key: &str) -> serde_json::Value {
        self.of(id)
            .evidence
            .get(key)
            .map(serde_json::Value::from)
            .unwrap_or_else(|| panic!("finding on {id} has no evidence {key:?}"))
    }
}

/// The configuration of issue 14's checks: customers by the `customer` tag, bastions
/// `role=bastion`, the data tier `tier=data`, administrators from 10.8.0.0/16, and one read
/// partner, Acme, until 2027-06-30 (AWS 210987654321, GCP `domain:acme-backup.example`,
/// Azure tenant 7f3e0c52-...), with the organization's GCP domain `janushcp.example`.
pub fn segmentation() -> Config {
    use phiscan_core::config::{Access, Segmentation, TagMatch, ThirdParty};
    use phiscan_core::network::Cidr;
    Config {
        segmentation: Some(Segmentation {
            customer_tag: Some("customer".into()),
            bastion_tag: TagMatch::parse("role=bastion"),
            data_tier_tag: TagMatch::parse("tier=data"),
            admin_cidrs: Some(vec![Cidr::parse("10.8.0.0/16").expect("a CIDR")]),
        }),
        third_parties: vec![ThirdParty {
            name: "Acme Backup Co".into(),
            aws_accounts: vec!["210987654321".into()],
            gcp_members: vec!["domain:acme-backup.example".into()],
            azure_tenants: vec!["7f3e0c52-1b8d-4f6a-9c2e-5d4b3a2f1e0d".into()],
            access: Access::Read,
            expires: chrono::NaiveDate::from_ymd_opt(2027, 6, 30),
        }],
        organization: phiscan_core::config::Organization {
            gcp_domains: vec!["janushcp.example".into()],
        },
        ..Config::default()
    }
}

pub fn run(check: &'static dyn Check, inv: &Inventory) -> Findings {
    run_with(check, inv, &Config::default())
}

pub fn run_with(check: &'static dyn Check, inv: &Inventory, config: &Config) -> Findings {
    Findings(engine::evaluate(&[check], inv, config, now()))
}
