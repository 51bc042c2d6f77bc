//! ACM: `portal.healthtensor.example` (Amazon-issued, on the portal ALB) is valid for
//! months; the imported `reports.healthtensor.example` on the legacy ALB expires in 12
//! days.

use chrono::{DateTime, Duration, Utc};

use super::{E1, PROD};
use crate::model::aws::AcmCertificate;
use crate::model::{Inventory, ResourceKind as K, ResourceRef};

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    let cert = |id: &str, domain: &str, kind: &str, days: i64, lb: &str| AcmCertificate {
        resource: ResourceRef::new(
            K::AwsAcmCertificate,
            PROD,
            E1,
            format!("arn:aws:acm:{E1}:{PROD}:certificate/{id}"),
            domain,
        ),
        domain_name: domain.into(),
        status: "ISSUED".into(),
        cert_type: Some(kind.into()),
        not_after: Some(now + Duration::days(days)),
        in_use_by: vec![format!(
            "arn:aws:elasticloadbalancing:{E1}:{PROD}:loadbalancer/app/{lb}"
        )],
        renewal_eligibility: Some(
            if kind == "AMAZON_ISSUED" {
                "ELIGIBLE"
            } else {
                "INELIGIBLE"
            }
            .into(),
        ),
    };
    inv.aws_acm_certificates = vec![
        cert(
            "4b1e7c2a-9d3f-4e8a-b6c5-0a1d2e3f4a5b",
            "portal.healthtensor.example",
            "AMAZON_ISSUED",
            200,
            "ehr-portal-alb/50dc6c495c0c9188",
        ),
        cert(
            "9e8d7c6b-5a4f-4e3d-a2c1-b0a9f8e7d6c5",
            "reports.healthtensor.example",
            "IMPORTED",
            12,
            "legacy-reports-alb/7e1f3a9b2c4d6e80",
        ),
    ];
}
