use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

declare_check! {
    /// ## What it checks
    /// Every Amazon DocumentDB cluster's DB cluster parameter group refuses plaintext
    /// connections: `tls` is `enabled` or one of the stricter `tls1.2+`, `tls1.3+`,
    /// `fips-140-3`. `disabled`, a group that does not set it, or a group the API did not
    /// list fail or error exactly as in `aws-rds-tls-enforced`, whose evaluator this check
    /// shares; clusters of other engines are not judged here.
    ///
    /// ## Why it matters
    /// With `tls` disabled the cluster accepts plaintext connections, so documents holding
    /// ePHI and the credentials that read them can cross the VPC in the clear (transmission
    /// security, 45 CFR 164.312(e)(1); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `engine`, `parameter_group`, `tls_parameter` (`tls`) and `tls_parameter_value`.
    ///
    /// ## Remediation
    /// `aws docdb modify-db-cluster-parameter-group --db-cluster-parameter-group-name <group>
    /// --parameters ParameterName=tls,ParameterValue=enabled,ApplyMethod=pending-reboot`
    /// (default groups cannot be changed: create one and attach it with
    /// `aws docdb modify-db-cluster --db-cluster-parameter-group-name`), then reboot the
    /// instances.
    pub struct DocDbClusterTls {
        id: "aws-docdb-cluster-tls",
        title: "DocumentDB clusters enforce TLS (tls = enabled)",
        severity: High,
        provider: Aws,
        kinds: [AwsRdsCluster, AwsRdsParameterGroup],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for DocDbClusterTls {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        crate::aws::engine_cluster::tls(ctx, "docdb")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{rds_cluster, rds_parameter_group};
    use crate::testing::run;
    use phiscan_core::model::aws::RdsParameterGroup;
    use phiscan_core::{Inventory, Status};

    fn group(name: &str, value: Option<&str>) -> RdsParameterGroup {
        RdsParameterGroup {
            cluster: true,
            tls_parameters: [("tls".to_string(), value.map(str::to_string))].into(),
            ..rds_parameter_group(name)
        }
    }

    #[test]
    fn the_tls_parameter_decides() {
        let docdb = |id: &str, group: &str| {
            let mut c = rds_cluster(id);
            c.engine = "docdb".into();
            c.parameter_group = Some(group.into());
            c
        };
        let mut inv = Inventory::new();
        inv.aws_rds_parameter_groups = vec![
            group("doc-tls", Some("enabled")),
            group("doc-tls13", Some("tls1.3+")),
            group("doc-off", Some("disabled")),
        ];
        inv.aws_rds_clusters = vec![
            docdb("doc-on", "doc-tls"),
            docdb("doc-13", "doc-tls13"),
            docdb("doc-zero", "doc-off"),
            docdb("doc-unlisted", "default.docdb5.0"),
            rds_cluster("aurora"),
        ];
        let f = run(&DocDbClusterTls, &inv);
        assert_eq!(f.status_of("doc-on"), Status::Pass);
        assert_eq!(f.evidence_of("doc-on", "tls_parameter"), "tls");
        assert_eq!(f.status_of("doc-13"), Status::Pass);
        assert_eq!(f.status_of("doc-zero"), Status::Fail);
        assert_eq!(f.status_of("doc-unlisted"), Status::Error);
        assert_eq!(f.0.len(), 4, "other engines are not judged");
    }
}
