pub mod listener_tls;
pub mod tls_policy;

/// An internet-facing listener with no actions, for unit tests.
#[cfg(test)]
pub(crate) fn listener(
    id: &str,
    protocol: &str,
    port: i32,
) -> phiscan_scanner::model::aws::Elbv2Listener {
    phiscan_scanner::model::aws::Elbv2Listener {
        resource: crate::testing::aws_ref(
            phiscan_scanner::ResourceKind::AwsElbv2Listener,
            "us-east-1",
            id,
        ),
        load_balancer_arn:
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/1".into(),
        load_balancer_name: "web".into(),
        scheme: "internet-facing".into(),
        protocol: protocol.into(),
        port,
        ssl_policy: None,
        ssl_protocols: None,
        default_actions: vec![],
    }
}
