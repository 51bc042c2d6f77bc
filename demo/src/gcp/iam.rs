//! Identity: the project IAM bindings (production grants people predefined roles only and the
//! listed backup partner a time-bound Viewer; the sandbox gives a group Editor, leaves the
//! default compute account Editor and lets an unlisted contractor read) and the
//! service accounts (one keyless, one with a key more than a year old).

use chrono::{DateTime, Duration, Utc};

use super::{binding, store_ref, P, SANDBOX};
use crate::model::gcp::{IamBinding, IamCondition, ServiceAccount, ServiceAccountKey};
use crate::model::{Inventory, ResourceKind};

/// The bindings of the project's own IAM policy.
pub(super) fn project_bindings(project: &str) -> Vec<IamBinding> {
    let default_sa = |n: &str| format!("serviceAccount:{n}-compute@developer.gserviceaccount.com");
    if project == SANDBOX {
        vec![
            binding(
                "roles/editor",
                &[
                    "group:sandbox-devs@janus-hcp.example",
                    &default_sa("577190220431"),
                ],
            ),
            // A contractor's personal account, on no partner list (gcp-iam-external-members).
            binding("roles/viewer", &["user:contractor.jane@gmail.com"]),
            binding(
                "roles/owner",
                &["serviceAccount:terraform@janus-hcp-sandbox.iam.gserviceaccount.com"],
            ),
        ]
    } else {
        vec![
            binding(
                "roles/owner",
                &["serviceAccount:terraform@janus-hcp-prod.iam.gserviceaccount.com"],
            ),
            binding(
                "roles/spanner.databaseUser",
                &["group:ehr-oncall@janus-hcp.example"],
            ),
            binding("roles/logging.logWriter", &[&default_sa("418802339120")]),
            // The listed backup partner reads the project until the annual review.
            IamBinding {
                condition: Some(IamCondition {
                    expression: "request.time < timestamp(\"2027-01-01T00:00:00Z\")".into(),
                    title: Some("acme-backup-until-review".into()),
                }),
                ..binding("roles/viewer", &["domain:acme-backup.example"])
            },
        ]
    }
}

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    let sa = |name: &str, keys: Vec<ServiceAccountKey>| {
        let email = format!("{name}@{P}.iam.gserviceaccount.com");
        ServiceAccount {
            resource: store_ref(
                ResourceKind::GcpServiceAccount,
                "global",
                format!("//iam.googleapis.com/projects/{P}/serviceAccounts/{email}"),
            ),
            email,
            disabled: false,
            user_managed_keys: keys,
        }
    };
    inv.gcp_service_accounts = vec![
        sa("ehr-api", vec![]),
        sa(
            "legacy-etl",
            vec![ServiceAccountKey {
                id: "3f9c2b7d1e0a4c58b6d2e7f1a9c3b5d7e0f2a4c6".into(),
                created_at: Some(now - Duration::days(420)),
                disabled: false,
            }],
        ),
    ];
}
