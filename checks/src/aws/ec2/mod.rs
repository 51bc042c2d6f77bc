pub mod instance_imdsv2;
pub mod instance_no_public_ip;
pub(crate) mod sg_exposure;
pub mod sg_no_public_admin_ports;
pub mod sg_no_public_db_ports;

/// A running private instance with IMDSv2 required, for unit tests.
#[cfg(test)]
pub(crate) fn instance(id: &str) -> phiscan_scanner::model::aws::Ec2Instance {
    phiscan_scanner::model::aws::Ec2Instance {
        resource: crate::testing::aws_ref(
            phiscan_scanner::ResourceKind::AwsEc2Instance,
            "us-east-1",
            id,
        ),
        state: "running".into(),
        imds_http_tokens: Some("required".into()),
        imds_http_endpoint: Some("enabled".into()),
        public_ip: None,
        subnet_id: Some("subnet-1".into()),
        vpc_id: Some("vpc-1".into()),
        security_groups: vec!["sg-1".into()],
    }
}
