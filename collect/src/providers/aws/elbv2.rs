//! ELBv2 listeners: DescribeLoadBalancers (shared with the security-group attachments),
//! DescribeListeners per load balancer, and one DescribeSSLPolicies per region for the
//! policies the listeners use, so each listener carries the TLS versions it allows.
//!
//! A load balancer whose DescribeListeners fails is an error for that load balancer only
//! (named by its ARN, under the listener kind): its listeners are unknown, the listeners of
//! every other load balancer are judged. A failed DescribeSSLPolicies, one call for the
//! region, stays an error of the region.
//!
//! Target groups: DescribeTargetGroups, one paginated list per region (the protocol the load
//! balancer speaks to its targets).

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_elasticloadbalancingv2::types::{Listener, ProtocolEnum};

use super::{each, reason, Aws, RegionShared};
use crate::model::aws::{Elbv2Listener, Elbv2TargetGroup, ListenerAction};
use crate::model::{CollectionError, ResourceKind, Tags};

const LISTENERS: &str = "elasticloadbalancing:DescribeListeners";

/// The listener's SSL policy where one applies: HTTPS and TLS listeners. (moto reports
/// `ELBSecurityPolicy-2016-08` on plain HTTP listeners too.)
fn ssl_policy(l: &Listener) -> Option<&str> {
    let tls = matches!(l.protocol(), Some(ProtocolEnum::Https | ProtocolEnum::Tls));
    l.ssl_policy().filter(|_| tls)
}

pub(crate) async fn listeners(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsElbv2Listener;
    let lbs = match s.load_balancers(aws).await {
        Ok(l) => l.clone(),
        Err(e) => return aws.error(Some(&s.region), kind, e.clone()),
    };
    let client = aws.elbv2(&s.region);
    let per_lb = each(aws.semaphore("ELBv2", &s.region), lbs, move |lb| {
        let client = client.clone();
        async move {
            let arn = lb.load_balancer_arn().unwrap_or_default().to_string();
            let pages: Result<Vec<_>, _> = client
                .describe_listeners()
                .load_balancer_arn(&arn)
                .into_paginator()
                .send()
                .collect()
                .await;
            let r = pages
                .map(|p| {
                    p.into_iter()
                        .flat_map(|o| o.listeners.unwrap_or_default())
                        .collect::<Vec<_>>()
                })
                .map_err(|e| reason(&e, LISTENERS));
            (lb, r)
        }
    })
    .await;

    let mut found = Vec::new();
    let mut errors = Vec::new();
    for (lb, r) in per_lb {
        match r {
            Ok(ls) => found.extend(ls.into_iter().map(|l| (lb.clone(), l))),
            Err(why) => {
                let arn = lb.load_balancer_arn().unwrap_or_default();
                let name = lb.load_balancer_name().unwrap_or(arn);
                let r = aws.resource(kind, &s.region, arn.to_string(), name, Tags::new());
                errors.push(CollectionError::of_resource(&r, LISTENERS, why));
            }
        }
    }

    let policies: BTreeSet<String> = found
        .iter()
        .filter_map(|(_, l)| ssl_policy(l).map(str::to_string))
        .collect();
    let mut protocols: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if !policies.is_empty() {
        let answer = {
            let _permit = aws.permit("ELBv2", &s.region).await;
            aws.elbv2(&s.region)
                .describe_ssl_policies()
                .set_names(Some(policies.into_iter().collect()))
                .send()
                .await
        };
        match answer {
            Ok(o) => {
                for p in o.ssl_policies() {
                    if let Some(name) = p.name() {
                        let mut v = p.ssl_protocols().to_vec();
                        v.sort();
                        protocols.insert(name.to_string(), v);
                    }
                }
            }
            // Listeners keep ssl_protocols = None ("not collected"), and the error makes
            // the checks that read them ERROR here.
            Err(e) => aws.error(
                Some(&s.region),
                kind,
                reason(&e, "elasticloadbalancing:DescribeSSLPolicies"),
            ),
        }
    }

    let out: Vec<Elbv2Listener> = found
        .iter()
        .filter_map(|(lb, l)| {
            let arn = l.listener_arn()?;
            let lb_name = lb.load_balancer_name().unwrap_or_default();
            let port = l.port().unwrap_or(0);
            Some(Elbv2Listener {
                resource: aws.resource(
                    kind,
                    &s.region,
                    arn.to_string(),
                    &format!("{lb_name}:{port}"),
                    Tags::new(),
                ),
                load_balancer_arn: lb.load_balancer_arn().unwrap_or_default().to_string(),
                load_balancer_name: lb_name.to_string(),
                scheme: lb
                    .scheme()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                protocol: l
                    .protocol()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default(),
                port,
                ssl_policy: ssl_policy(l).map(str::to_string),
                ssl_protocols: ssl_policy(l).and_then(|p| protocols.get(p).cloned()),
                default_actions: l
                    .default_actions()
                    .iter()
                    .map(|a| ListenerAction {
                        action_type: a
                            .r#type()
                            .map(|t| t.as_str().to_string())
                            .unwrap_or_default(),
                        redirect_protocol: a
                            .redirect_config()
                            .and_then(|r| r.protocol())
                            .map(str::to_string),
                    })
                    .collect(),
            })
        })
        .collect();
    aws.add(|inv| {
        inv.aws_elbv2_listeners.extend(out);
        inv.errors.extend(errors);
    });
}

/// Target groups: DescribeTargetGroups, paginated, one list per region.
pub(crate) async fn target_groups(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsElbv2TargetGroup;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("ELBv2", &s.region).await;
        aws.elbv2(&s.region)
            .describe_target_groups()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let groups = match pages {
        Ok(p) => p
            .into_iter()
            .flat_map(|o| o.target_groups.unwrap_or_default())
            .collect::<Vec<_>>(),
        Err(e) => {
            return aws.error(
                Some(&s.region),
                kind,
                reason(&e, "elasticloadbalancing:DescribeTargetGroups"),
            )
        }
    };
    let out: Vec<Elbv2TargetGroup> = groups
        .iter()
        .filter_map(|g| {
            let arn = g.target_group_arn()?;
            Some(Elbv2TargetGroup {
                resource: aws.resource(
                    kind,
                    &s.region,
                    arn.to_string(),
                    g.target_group_name().unwrap_or(arn),
                    Tags::new(),
                ),
                protocol: g.protocol().map(|p| p.as_str().to_string()),
                port: g.port(),
                target_type: g.target_type().map(|t| t.as_str().to_string()),
                vpc_id: g.vpc_id().map(str::to_string),
                load_balancer_arns: g.load_balancer_arns().to_vec(),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_elbv2_target_groups.extend(out));
}
