use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::Ec2Instance;

declare_check! {
    /// ## What it checks
    /// No EC2 instance has a public IPv4 address (auto-assigned or Elastic IP). Terminated
    /// instances are NOT_APPLICABLE. Hosts that are meant to face the internet, like the
    /// bastion host, fail too: record them as waivers with the reason, so the exception is
    /// visible and reviewed rather than silently passed.
    ///
    /// ## Why it matters
    /// The policies keep the servers that hold ePHI on the internal network, reachable only
    /// through the load balancers and the bastion host. A public address puts the instance
    /// one security-group rule away from the internet (access control, 45 CFR 164.312(a)(1);
    /// access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `state`, `public_ip`, `subnet_id`, `vpc_id` and `security_groups`.
    ///
    /// ## Remediation
    /// Move the workload to a private subnet behind a load balancer or NAT gateway; release
    /// or disassociate the Elastic IP (`aws ec2 disassociate-address`); turn off
    /// auto-assignment on the subnet (`aws ec2 modify-subnet-attribute --subnet-id <id>
    /// --no-map-public-ip-on-launch`).
    pub struct Ec2InstanceNoPublicIp {
        id: "aws-ec2-instance-no-public-ip",
        title: "EC2 instances have no public IP address",
        severity: Medium,
        provider: Aws,
        kinds: [AwsEc2Instance],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for Ec2InstanceNoPublicIp {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<Ec2Instance>()
            .iter()
            .map(|i| {
                let ip = i.public_ip.as_deref().filter(|ip| !ip.is_empty());
                let builder = match (i.state.as_str(), ip) {
                    ("terminated", _) => ctx
                        .not_applicable(&i.resource)
                        .reason("The instance is terminated: it holds no address."),
                    (_, Some(ip)) => ctx
                        .fail(&i.resource)
                        .reason(format!("The instance has the public IP address {ip}.")),
                    (_, None) => ctx
                        .pass(&i.resource)
                        .reason("The instance has no public IP address."),
                };
                builder
                    .evidence("state", &i.state)
                    .evidence("public_ip", ip)
                    .evidence("subnet_id", &i.subnet_id)
                    .evidence("vpc_id", &i.vpc_id)
                    .evidence("security_groups", &i.security_groups)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::ec2_instance;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut public = ec2_instance("public");
        public.public_ip = Some("198.51.100.7".into());
        let mut gone = ec2_instance("gone");
        gone.state = "terminated".into();
        gone.public_ip = Some("198.51.100.8".into());
        let mut inv = Inventory::new();
        inv.aws_ec2_instances = vec![ec2_instance("private"), public, gone];
        let f = run(&Ec2InstanceNoPublicIp, &inv);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert_eq!(f.status_of("public"), Status::Fail);
        assert!(f.of("public").reason.contains("198.51.100.7"));
        assert_eq!(f.status_of("gone"), Status::NotApplicable);
    }
}
