//! BigQuery: the clinical analytics dataset (CMEK, project roles only) and a research
//! extract shared with every Google account.

use super::{binding, kms_key_name, store_ref, P};
use crate::model::gcp::BigqueryDataset;
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    let ds = |name: &str| {
        store_ref(
            ResourceKind::GcpBigqueryDataset,
            "us",
            format!("//bigquery.googleapis.com/projects/{P}/datasets/{name}"),
        )
        .with_tag("data-classification", "protected")
    };
    inv.gcp_bigquery_datasets = vec![
        BigqueryDataset {
            resource: ds("clinical_analytics"),
            kms_key_name: Some(kms_key_name("bigquery-key")),
            access: vec![
                binding("OWNER", &["projectOwners"]),
                binding("READER", &["group:analysts@janus-hcp.example"]),
            ],
        },
        BigqueryDataset {
            resource: ds("research_extract"),
            kms_key_name: None,
            access: vec![
                binding("OWNER", &["projectOwners"]),
                binding("READER", &["allAuthenticatedUsers"]),
            ],
        },
    ];
}
