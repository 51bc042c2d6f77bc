use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::RedshiftCluster;

declare_check! {
    /// ## What it checks
    /// No Redshift cluster is publicly accessible (`PubliclyAccessible = false`): a public
    /// cluster gets an internet-resolvable endpoint and a public IP, so only its security
    /// groups stand between the warehouse and the internet.
    ///
    /// ## Why it matters
    /// The policies promise that databases are reachable only from inside the network
    /// (access control, 45 CFR 164.312(a)(1); transmission security, 164.312(e)(1)); a
    /// public warehouse is one security-group edit away from exposing all of its ePHI.
    ///
    /// ## Evidence
    /// `publicly_accessible`.
    ///
    /// ## Remediation
    /// `aws redshift modify-cluster --cluster-identifier <id> --no-publicly-accessible`;
    /// reach it through a VPN, a bastion or a Redshift-managed VPC endpoint instead.
    pub struct RedshiftNotPublic {
        id: "aws-redshift-not-public",
        title: "Redshift clusters are not publicly accessible",
        severity: Critical,
        provider: Aws,
        kinds: [AwsRedshiftCluster],
        controls: [AccessControl, TransmissionSecurity],
    }
}

impl Check for RedshiftNotPublic {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<RedshiftCluster>()
            .iter()
            .map(|c| {
                let reason = if c.publicly_accessible {
                    "The cluster is publicly accessible: its endpoint resolves to a public IP."
                } else {
                    "The cluster is not publicly accessible."
                };
                ctx.verdict(!c.publicly_accessible, &c.resource)
                    .evidence("publicly_accessible", c.publicly_accessible)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::redshift_cluster;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn public_fails() {
        let mut public = redshift_cluster("public");
        public.publicly_accessible = true;
        let mut inv = Inventory::new();
        inv.aws_redshift_clusters = vec![redshift_cluster("private"), public];
        let f = run(&RedshiftNotPublic, &inv);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert_eq!(f.status_of("public"), Status::Fail);
    }
}
