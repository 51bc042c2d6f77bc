//! Builders for the AWS kinds of issue 17 (edges, identity, detection, cluster snapshots),
//! with the conventions of [`super::aws`]: each passes every check of its kind unless its
//! doc says otherwise, in `us-east-1` (account-wide kinds: `global`), named by its id.

use super::{aws_ref, now};
use chrono::Duration;
use phiscan_core::model::aws::*;
use phiscan_core::ResourceKind;

/// An available, encrypted automated snapshot of cluster `cluster`, `hours_ago` old.
pub fn rds_cluster_snapshot(id: &str, cluster: &str, hours_ago: i64) -> RdsClusterSnapshot {
    RdsClusterSnapshot {
        resource: aws_ref(ResourceKind::AwsRdsClusterSnapshot, "us-east-1", id),
        db_cluster_identifier: Some(cluster.into()),
        snapshot_type: Some("automated".into()),
        status: Some("available".into()),
        storage_encrypted: Some(true),
        create_time: Some(now() - Duration::hours(hours_ago)),
    }
}

/// An active access key made `age_days` ago and used yesterday.
pub fn access_key(id: &str, age_days: i64) -> IamAccessKey {
    IamAccessKey {
        access_key_id: id.into(),
        status: "Active".into(),
        create_date: Some(now() - Duration::days(age_days)),
        last_used: Some(now() - Duration::days(1)),
    }
}

/// A console user made a year ago with an MFA device, a password used yesterday and one
/// 30-day-old access key used yesterday.
pub fn iam_user(id: &str) -> IamUser {
    IamUser {
        resource: aws_ref(ResourceKind::AwsIamUser, "global", id),
        create_date: Some(now() - Duration::days(365)),
        console_password: Some(true),
        password_created: Some(now() - Duration::days(365)),
        password_last_used: Some(now() - Duration::days(1)),
        mfa_devices: Some(vec![format!("arn:aws:iam::111122223333:mfa/{id}")]),
        access_keys: Some(vec![access_key("AKIAEXAMPLE0000001", 30)]),
    }
}

/// A region with one enabled GuardDuty detector.
pub fn guardduty_region(region: &str) -> GuardDutyRegion {
    GuardDutyRegion {
        resource: aws_ref(ResourceKind::AwsGuardDutyRegion, region, region),
        detectors: vec![GuardDutyDetector {
            id: "d1".into(),
            status: "ENABLED".into(),
        }],
    }
}

/// A region with one recorder recording every supported resource type.
pub fn config_recorder_region(region: &str) -> ConfigRecorderRegion {
    ConfigRecorderRegion {
        resource: aws_ref(ResourceKind::AwsConfigRecorderRegion, region, region),
        recorders: vec![ConfigRecorder {
            name: "default".into(),
            recording: true,
            all_supported: Some(true),
            last_status: Some("SUCCESS".into()),
        }],
    }
}

/// An enabled distribution redirecting HTTP to HTTPS, with its own certificate and a
/// TLS 1.2 minimum.
pub fn cloudfront_distribution(id: &str) -> CloudFrontDistribution {
    CloudFrontDistribution {
        resource: aws_ref(ResourceKind::AwsCloudFrontDistribution, "global", id),
        domain_name: Some(format!("{id}.cloudfront.net")),
        enabled: Some(true),
        viewer_protocol_policies: vec![CacheBehaviorPolicy {
            path_pattern: "*".into(),
            viewer_protocol_policy: "redirect-to-https".into(),
        }],
        minimum_protocol_version: Some("TLSv1.2_2021".into()),
        default_certificate: Some(false),
        ssl_support_method: Some("sni-only".into()),
    }
}

/// A regional custom domain with the TLS 1.2 security policy.
pub fn apigateway_domain(id: &str) -> ApiGatewayDomainName {
    ApiGatewayDomainName {
        resource: aws_ref(ResourceKind::AwsApiGatewayDomainName, "us-east-1", id),
        security_policy: Some("TLS_1_2".into()),
        endpoint_types: vec!["REGIONAL".into()],
    }
}

/// A secure listener of a Classic Load Balancer.
pub fn classic_listener(protocol: &str, port: i32, protocols: Option<&[&str]>) -> ClassicListener {
    ClassicListener {
        protocol: protocol.into(),
        port,
        policy_name: protocols.map(|_| "tls12".into()),
        reference_policy: protocols.map(|_| "ELBSecurityPolicy-TLS-1-2-2017-01".into()),
        ssl_protocols: protocols.map(|p| p.iter().map(|s| s.to_string()).collect()),
    }
}

/// An internet-facing Classic Load Balancer with one HTTPS listener allowing TLS 1.2 only.
pub fn elb_classic(id: &str) -> ElbClassicLoadBalancer {
    ElbClassicLoadBalancer {
        resource: aws_ref(ResourceKind::AwsElbClassicLoadBalancer, "us-east-1", id),
        scheme: Some("internet-facing".into()),
        listeners: vec![classic_listener("HTTPS", 443, Some(&["TLSv1.2"]))],
    }
}
