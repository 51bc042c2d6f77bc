use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::RedshiftCluster;

declare_check! {
    /// ## What it checks
    /// Every Redshift cluster's parameter group sets `require_ssl = true`
    /// (DescribeClusterParameters of the group the cluster uses). `false` fails; a cluster
    /// without a parameter group, or whose group did not list the parameter, is an ERROR:
    /// the setting is unknown, and a guess at the default would be a verdict on nothing.
    ///
    /// ## Why it matters
    /// Without `require_ssl` the cluster accepts plaintext connections, so query results
    /// (ePHI) and credentials can cross the network in the clear (transmission security,
    /// 45 CFR 164.312(e)(1); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `parameter_group` and `require_ssl`.
    ///
    /// ## Remediation
    /// Default parameter groups cannot be changed: `aws redshift
    /// create-cluster-parameter-group`, then `aws redshift modify-cluster-parameter-group
    /// --parameter-group-name <group> --parameters
    /// ParameterName=require_ssl,ParameterValue=true`, attach it with
    /// `aws redshift modify-cluster --cluster-parameter-group-name <group>` and reboot.
    pub struct RedshiftRequireSsl {
        id: "aws-redshift-require-ssl",
        title: "Redshift clusters require SSL (parameter group)",
        severity: High,
        provider: Aws,
        kinds: [AwsRedshiftCluster],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for RedshiftRequireSsl {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<RedshiftCluster>()
            .iter()
            .map(|c| {
                let group = c.parameter_group.as_deref().unwrap_or("(none)");
                let b = match (&c.parameter_group, c.require_ssl.as_deref()) {
                    (None, _) => ctx.error(&c.resource).reason("The API named no parameter group for this cluster."),
                    (Some(_), Some(v)) if v.trim().eq_ignore_ascii_case("true") => ctx
                        .pass(&c.resource)
                        .reason(format!("Parameter group {group} sets require_ssl = true: plaintext connections are refused.")),
                    (Some(_), Some(v)) => ctx
                        .fail(&c.resource)
                        .reason(format!("Parameter group {group} sets require_ssl = {v}: plaintext connections are accepted.")),
                    (Some(_), None) => ctx
                        .error(&c.resource)
                        .reason(format!("Parameter group {group} did not list require_ssl, so the setting is unknown.")),
                };
                b.evidence("parameter_group", &c.parameter_group)
                    .evidence("require_ssl", &c.require_ssl)
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
    fn require_ssl_true_passes() {
        let with = |id: &str, group: Option<&str>, v: Option<&str>| {
            let mut c = redshift_cluster(id);
            c.parameter_group = group.map(str::to_string);
            c.require_ssl = v.map(str::to_string);
            c
        };
        let mut inv = Inventory::new();
        inv.aws_redshift_clusters = vec![
            redshift_cluster("ssl"),
            with("plain", Some("default.redshift-1.0"), Some("false")),
            with("unlisted", Some("custom"), None),
            with("no-group", None, None),
        ];
        let f = run(&RedshiftRequireSsl, &inv);
        assert_eq!(f.status_of("ssl"), Status::Pass);
        assert_eq!(f.status_of("plain"), Status::Fail);
        assert!(f.of("plain").reason.contains("default.redshift-1.0"));
        assert_eq!(f.status_of("unlisted"), Status::Error);
        assert_eq!(f.status_of("no-group"), Status::Error);
    }
}
