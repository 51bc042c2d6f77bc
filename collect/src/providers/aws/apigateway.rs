//! API Gateway (REST) custom domain names: GetDomainNames (paginated by `position`); the
//! security policy, endpoint types and tags come with the answer.

use super::{reason, Aws, RegionShared};
use crate::model::aws::ApiGatewayDomainName;
use crate::model::{ResourceKind, Tags};

pub(crate) async fn domain_names(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsApiGatewayDomainName;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("APIGateway", &s.region).await;
        aws.apigateway(&s.region)
            .get_domain_names()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let pages = match pages {
        Ok(p) => p,
        Err(e) => {
            return aws.error(
                Some(&s.region),
                kind,
                reason(&e, "apigateway:GetDomainNames"),
            )
        }
    };
    let out: Vec<ApiGatewayDomainName> = pages
        .iter()
        .flat_map(|p| p.items())
        .filter_map(|d| {
            let name = d.domain_name()?;
            // AWS documents arn:aws:apigateway:<region>::/domainnames/<name>.
            let arn = d.domain_name_arn().map(str::to_string).unwrap_or_else(|| {
                aws.arn("apigateway", &s.region, "", &format!("/domainnames/{name}"))
            });
            let tags: Tags = d
                .tags()
                .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            Some(ApiGatewayDomainName {
                resource: aws.resource(kind, &s.region, arn, name, tags),
                security_policy: d.security_policy().map(|p| p.as_str().to_string()),
                endpoint_types: d
                    .endpoint_configuration()
                    .map(|c| c.types().iter().map(|t| t.as_str().to_string()).collect())
                    .unwrap_or_default(),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_apigateway_domain_names.extend(out));
}
