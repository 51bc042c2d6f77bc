//! API Gateway custom domains: the EHR partner API (`api.healthtensor.example`) requires TLS
//! 1.2; the legacy reporting export (`reports.healthtensor.example`) was set up with
//! `TLS_1_0` for an old client.

use super::{arn_ref, protected, E1, PROD};
use crate::model::aws::ApiGatewayDomainName;
use crate::model::{Inventory, ResourceKind as K};

pub(super) fn add(inv: &mut Inventory) {
    let domain = |name: &str, policy: &str| ApiGatewayDomainName {
        resource: protected(arn_ref(
            K::AwsApiGatewayDomainName,
            PROD,
            E1,
            format!("arn:aws:apigateway:{E1}::/domainnames/{name}"),
            name,
        )),
        security_policy: Some(policy.into()),
        endpoint_types: vec!["REGIONAL".into()],
    };
    inv.aws_apigateway_domain_names = vec![
        domain("api.healthtensor.example", "TLS_1_2"),
        domain("reports.healthtensor.example", "TLS_1_0"),
    ];
}
