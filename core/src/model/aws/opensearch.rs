//! OpenSearch Service domains.

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// A domain: ListDomainNames, then DescribeDomains (up to five names a call).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenSearchDomain {
    pub resource: ResourceRef,
    #[serde(default)]
    pub engine_version: Option<String>,
    #[serde(default)]
    pub encryption_at_rest: Option<bool>,
    #[serde(default)]
    pub kms_key_id: Option<String>,
    #[serde(default)]
    pub node_to_node_encryption: Option<bool>,
    #[serde(default)]
    pub enforce_https: Option<bool>,
    /// `Policy-Min-TLS-1-0-2019-07`, `Policy-Min-TLS-1-2-2019-07`, `Policy-Min-TLS-1-2-PFS-2023-10`.
    #[serde(default)]
    pub tls_security_policy: Option<String>,
    /// The subnets of a VPC domain; empty: a public endpoint.
    #[serde(default)]
    pub vpc_subnet_ids: Vec<String>,
    /// The domain's access policy, parsed; `None`: no policy (or an empty one).
    #[serde(default)]
    pub access_policies: Option<serde_json::Value>,
}
