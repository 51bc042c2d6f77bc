//! CloudFront distributions: ListDistributions (paginated), once per account. CloudFront is
//! global: its API answers in us-east-1 and the records get region `global`. The summaries
//! carry every field the checks read (behaviors, viewer certificate), so there is no call
//! per distribution.

use aws_sdk_cloudfront::types::DistributionSummary;

use super::{reason, Aws};
use crate::model::aws::{CacheBehaviorPolicy, CloudFrontDistribution};
use crate::model::{ResourceKind, Tags};

const GLOBAL: &str = "global";

fn distribution(aws: &Aws, d: &DistributionSummary) -> CloudFrontDistribution {
    let kind = ResourceKind::AwsCloudFrontDistribution;
    let mut policies = Vec::new();
    if let Some(b) = d.default_cache_behavior() {
        policies.push(CacheBehaviorPolicy {
            path_pattern: "*".into(),
            viewer_protocol_policy: b.viewer_protocol_policy().as_str().to_string(),
        });
    }
    for b in d.cache_behaviors().map(|c| c.items()).unwrap_or_default() {
        policies.push(CacheBehaviorPolicy {
            path_pattern: b.path_pattern().to_string(),
            viewer_protocol_policy: b.viewer_protocol_policy().as_str().to_string(),
        });
    }
    let cert = d.viewer_certificate();
    CloudFrontDistribution {
        resource: aws.resource(kind, GLOBAL, d.arn().to_string(), d.id(), Tags::new()),
        domain_name: Some(d.domain_name().to_string()),
        enabled: Some(d.enabled()),
        viewer_protocol_policies: policies,
        minimum_protocol_version: cert
            .and_then(|c| c.minimum_protocol_version())
            .map(|v| v.as_str().to_string()),
        default_certificate: cert.map(|c| c.cloud_front_default_certificate().unwrap_or(false)),
        ssl_support_method: cert
            .and_then(|c| c.ssl_support_method())
            .map(|v| v.as_str().to_string()),
    }
}

pub(crate) async fn distributions(aws: &Aws) {
    let kind = ResourceKind::AwsCloudFrontDistribution;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("CloudFront", GLOBAL).await;
        aws.cloudfront()
            .list_distributions()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let out: Vec<CloudFrontDistribution> = match pages {
        Ok(p) => p
            .iter()
            .filter_map(|o| o.distribution_list())
            .flat_map(|l| l.items())
            .map(|d| distribution(aws, d))
            .collect(),
        Err(e) => return aws.error(None, kind, reason(&e, "cloudfront:ListDistributions")),
    };
    aws.add(|inv| inv.aws_cloudfront_distributions.extend(out));
}
