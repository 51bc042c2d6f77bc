use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

declare_check! {
    /// ## What it checks
    /// Every Amazon Neptune cluster's DB cluster parameter group sets
    /// `neptune_enforce_ssl = 1`. `0`, a group that does not set it, or a group the API did
    /// not list fail or error exactly as in `aws-rds-tls-enforced`, whose evaluator this
    /// check shares; clusters of other engines are not judged here.
    ///
    /// ## Why it matters
    /// Without `neptune_enforce_ssl` the cluster answers plain HTTP, so graph queries over
    /// ePHI and their results can cross the VPC in the clear (transmission security,
    /// 45 CFR 164.312(e)(1); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `engine`, `parameter_group`, `tls_parameter` (`neptune_enforce_ssl`) and
    /// `tls_parameter_value`.
    ///
    /// ## Remediation
    /// `aws neptune modify-db-cluster-parameter-group --db-cluster-parameter-group-name
    /// <group> --parameters
    /// ParameterName=neptune_enforce_ssl,ParameterValue=1,ApplyMethod=pending-reboot`
    /// (default groups cannot be changed: create one and attach it with
    /// `aws neptune modify-db-cluster --db-cluster-parameter-group-name`), then reboot the
    /// instances.
    pub struct NeptuneClusterTls {
        id: "aws-neptune-cluster-tls",
        title: "Neptune clusters enforce TLS (neptune_enforce_ssl = 1)",
        severity: High,
        provider: Aws,
        kinds: [AwsRdsCluster, AwsRdsParameterGroup],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for NeptuneClusterTls {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        crate::aws::engine_cluster::tls(ctx, "neptune")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{rds_cluster, rds_parameter_group};
    use crate::testing::run;
    use phiscan_core::model::aws::RdsParameterGroup;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn neptune_enforce_ssl_decides() {
        let group = |name: &str, value: &str| RdsParameterGroup {
            cluster: true,
            tls_parameters: [("neptune_enforce_ssl".to_string(), Some(value.to_string()))].into(),
            ..rds_parameter_group(name)
        };
        let neptune = |id: &str, group: Option<&str>| {
            let mut c = rds_cluster(id);
            c.engine = "neptune".into();
            c.parameter_group = group.map(str::to_string);
            c
        };
        let mut inv = Inventory::new();
        inv.aws_rds_parameter_groups = vec![group("nep-ssl", "1"), group("nep-off", "0")];
        inv.aws_rds_clusters = vec![
            neptune("nep-on", Some("nep-ssl")),
            neptune("nep-zero", Some("nep-off")),
            neptune("nep-none", None),
            rds_cluster("aurora"),
        ];
        let f = run(&NeptuneClusterTls, &inv);
        assert_eq!(f.status_of("nep-on"), Status::Pass);
        assert_eq!(f.status_of("nep-zero"), Status::Fail);
        assert!(f.of("nep-zero").reason.contains("neptune_enforce_ssl = 0"));
        assert_eq!(f.status_of("nep-none"), Status::Error);
        assert_eq!(f.0.len(), 3, "other engines are not judged");
    }
}
