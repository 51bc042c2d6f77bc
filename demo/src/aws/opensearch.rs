//! OpenSearch: `ehr-search` (clinical-note search) lives in the private subnets, encrypted
//! at rest and between nodes, HTTPS-only with TLS 1.2; `legacy-logs-search`, which still
//! receives application logs full of patient identifiers, has a public endpoint whose
//! access policy allows `*`, no encryption and the TLS 1.0 policy.

use serde_json::json;

use super::{arn_ref, protected, strings, E1, EHR_KEY, PRIVATE_A, PRIVATE_B, PROD};
use crate::model::aws::OpenSearchDomain;
use crate::model::{Inventory, ResourceKind as K};

pub(super) fn add(inv: &mut Inventory) {
    let arn = |name: &str| format!("arn:aws:es:{E1}:{PROD}:domain/{name}");
    let domain = |name: &str| OpenSearchDomain {
        resource: protected(arn_ref(K::AwsOpenSearchDomain, PROD, E1, arn(name), name)),
        engine_version: Some("OpenSearch_2.13".into()),
        encryption_at_rest: Some(true),
        kms_key_id: Some(EHR_KEY.into()),
        node_to_node_encryption: Some(true),
        enforce_https: Some(true),
        tls_security_policy: Some("Policy-Min-TLS-1-2-PFS-2023-10".into()),
        vpc_subnet_ids: strings(&[PRIVATE_A, PRIVATE_B]),
        access_policies: None,
    };
    let legacy = OpenSearchDomain {
        engine_version: Some("Elasticsearch_7.10".into()),
        encryption_at_rest: Some(false),
        kms_key_id: None,
        node_to_node_encryption: Some(false),
        enforce_https: Some(false),
        tls_security_policy: Some("Policy-Min-TLS-1-0-2019-07".into()),
        vpc_subnet_ids: vec![],
        access_policies: Some(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "*"}, "Action": "es:*", "Resource": format!("{}/*", arn("legacy-logs-search"))}]}),
        ),
        ..domain("legacy-logs-search")
    };
    inv.aws_opensearch_domains = vec![domain("ehr-search"), legacy];
}
