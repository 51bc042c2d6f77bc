use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

use super::sg_exposure;

declare_check! {
    /// ## What it checks
    /// No security group has an ingress rule that opens a database port (PostgreSQL 5432,
    /// MySQL 3306, SQL Server 1433, Oracle 1521, MongoDB 27017, Redis 6379, Elasticsearch
    /// 9200 by default; `params.db_ports`) or all traffic to `0.0.0.0/0` or `::/0`.
    ///
    /// ## Why it matters
    /// The policies promise that database servers "can only be accessed through the bastion
    /// host". A database port open to the internet exposes ePHI directly to password
    /// guessing and engine exploits (access control, 45 CFR 164.312(a)(1); access
    /// authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `group_id`, `vpc_id`, `watched_ports`, `public_rules` (protocol, port range, the
    /// internet-wide sources and which watched ports each rule opens) and `attached_to`.
    ///
    /// ## Remediation
    /// Admit database ports only from the application tier's and the bastion host's
    /// security groups; revoke the internet-wide rule with
    /// `aws ec2 revoke-security-group-ingress`.
    pub struct SgNoPublicDbPorts {
        id: "aws-ec2-sg-no-public-db-ports",
        title: "Security groups do not open database ports to the internet",
        severity: Critical,
        provider: Aws,
        kinds: [AwsEc2SecurityGroup],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for SgNoPublicDbPorts {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        sg_exposure::evaluate(ctx, &ctx.config.params.db_ports, "database")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{security_group, sg_rule};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.aws_ec2_security_groups = vec![
            security_group(
                "sg-pg-world",
                vec![sg_rule("tcp", Some(5432), Some(5432), "0.0.0.0/0")],
            ),
            security_group(
                "sg-range-world",
                vec![sg_rule("tcp", Some(3000), Some(3400), "::/0")],
            ),
            security_group(
                "sg-all-traffic",
                vec![sg_rule("-1", None, None, "0.0.0.0/0")],
            ),
            security_group(
                "sg-ssh-world",
                vec![sg_rule("tcp", Some(22), Some(22), "0.0.0.0/0")],
            ),
            security_group(
                "sg-pg-app",
                vec![sg_rule("tcp", Some(5432), Some(5432), "10.0.0.0/16")],
            ),
        ];
        let f = run(&SgNoPublicDbPorts, &inv);
        assert_eq!(f.status_of("sg-pg-world"), Status::Fail);
        assert_eq!(f.status_of("sg-range-world"), Status::Fail);
        assert_eq!(
            f.evidence_of("sg-range-world", "public_rules")[0]["watched_ports_opened"],
            serde_json::json!([3306])
        );
        assert_eq!(f.status_of("sg-all-traffic"), Status::Fail);
        assert_eq!(f.status_of("sg-ssh-world"), Status::Pass);
        assert_eq!(f.status_of("sg-pg-app"), Status::Pass);
    }
}
