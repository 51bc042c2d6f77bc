//! ACM certificates.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// An ACM certificate (ListCertificates + DescribeCertificate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcmCertificate {
    pub resource: ResourceRef,
    pub domain_name: String,
    /// `ISSUED`, `EXPIRED`, `PENDING_VALIDATION`, `INACTIVE`, `REVOKED`, `FAILED`, ...
    pub status: String,
    /// `AMAZON_ISSUED`, `IMPORTED` or `PRIVATE`.
    #[serde(default)]
    pub cert_type: Option<String>,
    #[serde(default)]
    pub not_after: Option<DateTime<Utc>>,
    /// ARNs of the resources (load balancers, distributions) using the certificate.
    #[serde(default)]
    pub in_use_by: Vec<String>,
    /// `ELIGIBLE` when ACM renews it automatically.
    #[serde(default)]
    pub renewal_eligibility: Option<String>,
}
