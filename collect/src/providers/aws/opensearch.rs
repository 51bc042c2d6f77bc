//! OpenSearch Service domains: ListDomainNames (one unpaginated call: the API has no
//! paging), then DescribeDomains five names at a time (its limit), and ListTags per domain.
//! A batch that fails is an error for each of its domains (named by their documented ARN),
//! without a record.

use super::{each, reason, tags_of, Aws, RegionShared};
use crate::model::aws::OpenSearchDomain;
use crate::model::{CollectionError, ResourceKind, Tags};

const DESCRIBE: &str = "es:DescribeDomains";
const TAGS: &str = "es:ListTags";
/// DescribeDomains accepts at most five names.
const BATCH: usize = 5;

pub(crate) async fn domains(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsOpenSearchDomain;
    let listed = {
        let _permit = aws.permit("OpenSearch", &s.region).await;
        aws.opensearch(&s.region).list_domain_names().send().await
    };
    let names: Vec<String> = match listed {
        Ok(o) => o
            .domain_names()
            .iter()
            .filter_map(|d| d.domain_name().map(str::to_string))
            .collect(),
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "es:ListDomainNames")),
    };
    let batches: Vec<Vec<String>> = names.chunks(BATCH).map(<[String]>::to_vec).collect();
    let client = aws.opensearch(&s.region);
    let answers = each(
        aws.semaphore("OpenSearch", &s.region),
        batches,
        move |batch| {
            let client = client.clone();
            async move {
                let r = client
                    .describe_domains()
                    .set_domain_names(Some(batch.clone()))
                    .send()
                    .await
                    .map_err(|e| reason(&e, DESCRIBE));
                (batch, r)
            }
        },
    )
    .await;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (batch, r) in answers {
        let described = match r {
            Ok(o) => o,
            Err(why) => {
                for name in batch {
                    let arn = aws.arn("es", &s.region, aws.account(), &format!("domain/{name}"));
                    let d = aws.resource(kind, &s.region, arn, &name, Tags::new());
                    errors.push(CollectionError::of_resource(&d, DESCRIBE, why.clone()));
                }
                continue;
            }
        };
        for d in described.domain_status_list() {
            let at_rest = d.encryption_at_rest_options();
            let endpoint = d.domain_endpoint_options();
            let access_policies = d
                .access_policies()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(serde_json::from_str::<serde_json::Value>);
            let resource = aws.resource(
                kind,
                &s.region,
                d.arn().to_string(),
                d.domain_name(),
                Tags::new(),
            );
            let access_policies = match access_policies {
                None => None,
                Some(Ok(p)) => Some(p),
                Some(Err(e)) => {
                    let why = format!("the access policy is not JSON ({e}) ({DESCRIBE})");
                    errors.push(CollectionError::of_resource(&resource, DESCRIBE, why));
                    continue;
                }
            };
            out.push(OpenSearchDomain {
                resource,
                engine_version: d.engine_version().map(str::to_string),
                encryption_at_rest: at_rest.and_then(|o| o.enabled()),
                kms_key_id: at_rest.and_then(|o| o.kms_key_id()).map(str::to_string),
                node_to_node_encryption: d
                    .node_to_node_encryption_options()
                    .and_then(|o| o.enabled()),
                enforce_https: endpoint.and_then(|o| o.enforce_https()),
                tls_security_policy: endpoint
                    .and_then(|o| o.tls_security_policy())
                    .map(|p| p.as_str().to_string()),
                vpc_subnet_ids: d
                    .vpc_options()
                    .map(|v| v.subnet_ids().to_vec())
                    .unwrap_or_default(),
                access_policies,
            });
        }
    }
    // Tags place a domain in or out of a data-classification scope; a failed read is an
    // error for that domain only, which keeps its record.
    let client = aws.opensearch(&s.region);
    let arns: Vec<String> = out.iter().map(|d| d.resource.id.clone()).collect();
    let tags = each(aws.semaphore("OpenSearch", &s.region), arns, move |arn| {
        let client = client.clone();
        async move {
            client
                .list_tags()
                .arn(&arn)
                .send()
                .await
                .map(|o| tags_of(o.tag_list(), |t| Some(t.key()), |t| Some(t.value())))
                .map_err(|e| reason(&e, TAGS))
        }
    })
    .await;
    for (d, t) in out.iter_mut().zip(tags) {
        match t {
            Ok(t) => d.resource.tags = t,
            Err(why) => errors.push(CollectionError::of_resource(&d.resource, TAGS, why)),
        }
    }
    aws.add(|inv| {
        inv.aws_opensearch_domains.extend(out);
        inv.errors.extend(errors);
    });
}
