//! Classic Load Balancers: DescribeLoadBalancers (paginated), then per load balancer with
//! a secure (HTTPS/SSL) listener DescribeLoadBalancerPolicies, whose `Protocol-*`
//! attributes say which protocols the listener's SSL negotiation policy enables. A load
//! balancer whose policies cannot be read is an error for that load balancer only (its
//! listeners' protocols stay `None`).
//!
//! Ids: `arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/<name>`, the ARN AWS
//! documents for Classic Load Balancers (DescribeLoadBalancers does not return it).

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancing::types::{LoadBalancerDescription, PolicyDescription};

use super::{each, reason, Aws, RegionShared};
use crate::model::aws::{ClassicListener, ElbClassicLoadBalancer};
use crate::model::{CollectionError, ResourceKind, Tags};

const POLICIES: &str = "elasticloadbalancing:DescribeLoadBalancerPolicies";

fn secure(protocol: &str) -> bool {
    matches!(protocol.to_ascii_uppercase().as_str(), "HTTPS" | "SSL")
}

/// The protocols a policy enables (`Protocol-TLSv1.2 = true` -> `TLSv1.2`) and its
/// `Reference-Security-Policy`; no protocols when it lists no `Protocol-*` attribute.
fn policy_protocols(p: &PolicyDescription) -> (Option<Vec<String>>, Option<String>) {
    let attrs = p.policy_attribute_descriptions();
    let mut listed = false;
    let mut enabled = Vec::new();
    let mut reference = None;
    for a in attrs {
        let (Some(name), value) = (a.attribute_name(), a.attribute_value()) else {
            continue;
        };
        if let Some(proto) = name.strip_prefix("Protocol-") {
            listed = true;
            if value.is_some_and(|v| v.eq_ignore_ascii_case("true")) {
                enabled.push(proto.to_string());
            }
        } else if name == "Reference-Security-Policy" {
            reference = value.map(str::to_string);
        }
    }
    (listed.then_some(enabled), reference)
}

fn load_balancer(
    aws: &Aws,
    region: &str,
    lb: &LoadBalancerDescription,
    policies: &BTreeMap<String, PolicyDescription>,
) -> Option<ElbClassicLoadBalancer> {
    let name = lb.load_balancer_name()?;
    let arn = aws.arn(
        "elasticloadbalancing",
        region,
        aws.account(),
        &format!("loadbalancer/{name}"),
    );
    let listeners = lb
        .listener_descriptions()
        .iter()
        .filter_map(|d| {
            let l = d.listener()?;
            let policy = d
                .policy_names()
                .iter()
                .find(|n| {
                    policies
                        .get(*n)
                        .is_some_and(|p| policy_protocols(p).0.is_some())
                })
                .or_else(|| d.policy_names().first());
            let (protocols, reference) = policy
                .and_then(|n| policies.get(n))
                .map(policy_protocols)
                .unwrap_or((None, None));
            let tls = secure(l.protocol());
            Some(ClassicListener {
                protocol: l.protocol().to_string(),
                port: l.load_balancer_port(),
                policy_name: policy.filter(|_| tls).cloned(),
                reference_policy: reference.filter(|_| tls),
                ssl_protocols: protocols.filter(|_| tls),
            })
        })
        .collect();
    Some(ElbClassicLoadBalancer {
        resource: aws.resource(
            ResourceKind::AwsElbClassicLoadBalancer,
            region,
            arn,
            name,
            Tags::new(),
        ),
        scheme: lb.scheme().map(str::to_string),
        listeners,
    })
}

pub(crate) async fn load_balancers(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsElbClassicLoadBalancer;
    let client = aws.elb(&s.region);
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("ELB", &s.region).await;
        client
            .describe_load_balancers()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let lbs: Vec<LoadBalancerDescription> = match pages {
        Ok(p) => p
            .into_iter()
            .flat_map(|o| o.load_balancer_descriptions.unwrap_or_default())
            .collect(),
        Err(e) => {
            let why = reason(&e, "elasticloadbalancing:DescribeLoadBalancers");
            return aws.error(Some(&s.region), kind, why);
        }
    };
    let c = client.clone();
    let described = each(aws.semaphore("ELB", &s.region), lbs, move |lb| {
        let c = c.clone();
        async move {
            let needs = lb
                .listener_descriptions()
                .iter()
                .any(|d| d.listener().is_some_and(|l| secure(l.protocol())));
            let name = lb.load_balancer_name().unwrap_or_default().to_string();
            let policies = if needs {
                c.describe_load_balancer_policies()
                    .load_balancer_name(&name)
                    .send()
                    .await
                    .map(|o| o.policy_descriptions.unwrap_or_default())
                    .map_err(|e| reason(&e, POLICIES))
            } else {
                Ok(Vec::new())
            };
            (lb, policies)
        }
    })
    .await;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (lb, policies) in described {
        let (policies, failed) = match policies {
            Ok(p) => (p, None),
            Err(why) => (Vec::new(), Some(why)),
        };
        let by_name: BTreeMap<String, PolicyDescription> = policies
            .into_iter()
            .filter_map(|p| Some((p.policy_name()?.to_string(), p)))
            .collect();
        let Some(rec) = load_balancer(aws, &s.region, &lb, &by_name) else {
            continue;
        };
        if let Some(why) = failed {
            errors.push(CollectionError::of_resource(&rec.resource, POLICIES, why));
        }
        out.push(rec);
    }
    aws.add(|inv| {
        inv.aws_elb_classic_load_balancers.extend(out);
        inv.errors.extend(errors);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticloadbalancing::types::PolicyAttributeDescription;

    fn policy(attrs: &[(&str, &str)]) -> PolicyDescription {
        let mut b = PolicyDescription::builder().policy_name("p");
        for (k, v) in attrs {
            b = b.policy_attribute_descriptions(
                PolicyAttributeDescription::builder()
                    .attribute_name(*k)
                    .attribute_value(*v)
                    .build(),
            );
        }
        b.build()
    }

    #[test]
    fn enabled_protocols_come_from_the_protocol_attributes() {
        let p = policy(&[
            ("Reference-Security-Policy", "ELBSecurityPolicy-2016-08"),
            ("Protocol-TLSv1", "true"),
            ("Protocol-TLSv1.1", "false"),
            ("Protocol-TLSv1.2", "true"),
            ("ECDHE-RSA-AES128-GCM-SHA256", "true"),
        ]);
        assert_eq!(
            policy_protocols(&p),
            (
                Some(vec!["TLSv1".to_string(), "TLSv1.2".to_string()]),
                Some("ELBSecurityPolicy-2016-08".to_string())
            )
        );
        // Only a reference: the protocols are not reported, which is not "none enabled".
        let p = policy(&[(
            "Reference-Security-Policy",
            "ELBSecurityPolicy-TLS-1-2-2017-01",
        )]);
        assert_eq!(policy_protocols(&p).0, None);
    }
}
