//! CloudFront: the patient portal's distribution (`E2EHRPORTAL01`) redirects HTTP to HTTPS
//! on its own certificate with a TLS 1.2 minimum; the marketing site's (`E3MARKETING02`)
//! still serves `/downloads/*` over plain HTTP on the default `*.cloudfront.net`
//! certificate, which accepts TLS 1.0.

use super::{arn_ref, PROD};
use crate::model::aws::{CacheBehaviorPolicy, CloudFrontDistribution};
use crate::model::{Inventory, ResourceKind as K};

fn behavior(path: &str, policy: &str) -> CacheBehaviorPolicy {
    CacheBehaviorPolicy {
        path_pattern: path.into(),
        viewer_protocol_policy: policy.into(),
    }
}

pub(super) fn add(inv: &mut Inventory) {
    let dist = |id: &str, behaviors, min: &str, default_cert: bool| CloudFrontDistribution {
        resource: arn_ref(
            K::AwsCloudFrontDistribution,
            PROD,
            "global",
            format!("arn:aws:cloudfront::{PROD}:distribution/{id}"),
            id,
        ),
        domain_name: Some(format!("{}.cloudfront.net", id.to_lowercase())),
        enabled: Some(true),
        viewer_protocol_policies: behaviors,
        minimum_protocol_version: Some(min.into()),
        default_certificate: Some(default_cert),
        ssl_support_method: (!default_cert).then(|| "sni-only".into()),
    };
    inv.aws_cloudfront_distributions = vec![
        dist(
            "E2EHRPORTAL01",
            vec![
                behavior("*", "redirect-to-https"),
                behavior("/api/*", "https-only"),
            ],
            "TLSv1.2_2021",
            false,
        ),
        dist(
            "E3MARKETING02",
            vec![
                behavior("*", "redirect-to-https"),
                behavior("/downloads/*", "allow-all"),
            ],
            "TLSv1",
            true,
        ),
    ];
}
