use std::collections::HashMap;

use phiscan_core::check::{Check, Ctx, Finding, FindingBuilder, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{RdsCluster, RdsInstance, RdsParameterGroup};
use phiscan_core::ResourceRef;
use crate::index::first_by;

declare_check! {
    /// ## What it checks
    /// Every RDS DB instance and DB cluster refuses unencrypted connections through its
    /// parameter group: `rds.force_ssl = 1` for PostgreSQL, Aurora PostgreSQL and SQL
    /// Server; `require_secure_transport = ON` (or `1`) for MySQL, MariaDB and Aurora MySQL;
    /// `tls = enabled` for DocumentDB and `neptune_enforce_ssl = 1` for Neptune clusters.
    /// Instances are judged on their DB parameter group, clusters on their DB cluster
    /// parameter group; an instance that belongs to a cluster is NOT_APPLICABLE, because its
    /// cluster's parameter group decides (see the cluster's finding).
    ///
    /// The value in the group decides. Default parameter groups are judged like any other:
    /// a parameter the group does not set (no value) is not enforced, even where a newer
    /// engine version defaults to TLS, because the API does not say so.
    ///
    /// Engines without such a parameter (Oracle, Db2) FAIL with a reason that says so: TLS
    /// on them is configured through an option group or the listener, which this check does
    /// not read, and a FAIL that a waiver explains (the SSL option is installed, say) is the
    /// honest record; NOT_APPLICABLE would hide a database whose transport encryption
    /// nobody verified. A parameter group that was not listed by the API is an ERROR for
    /// the resource.
    ///
    /// ## Why it matters
    /// The policies promise that "all data transmission is encrypted". A database that
    /// accepts plaintext connections lets any misconfigured client send ePHI and
    /// credentials in the clear inside the VPC (transmission security, 45 CFR 164.312(e)(1);
    /// encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `engine`, `parameter_group`, `tls_parameter`, `tls_parameter_value` and, for
    /// cluster members, `db_cluster_identifier`.
    ///
    /// ## Remediation
    /// Use a custom parameter group (default groups cannot be changed):
    /// `aws rds create-db-parameter-group` (or `create-db-cluster-parameter-group`), then
    /// `aws rds modify-db-parameter-group --db-parameter-group-name <group> --parameters
    /// "ParameterName=rds.force_ssl,ParameterValue=1,ApplyMethod=pending-reboot"` (MySQL:
    /// `require_secure_transport=ON`, applied immediately), attach it with
    /// `aws rds modify-db-instance --db-parameter-group-name <group>` (clusters:
    /// `modify-db-cluster --db-cluster-parameter-group-name`) and reboot if required.
    pub struct RdsTlsEnforced {
        id: "aws-rds-tls-enforced",
        title: "RDS databases enforce TLS through their parameter group",
        severity: High,
        provider: Aws,
        kinds: [AwsRdsInstance, AwsRdsCluster, AwsRdsParameterGroup],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

/// The parameter that forces TLS on `engine`, and whether a value enforces it.
fn tls_parameter(engine: &str) -> Option<&'static str> {
    let e = engine.to_ascii_lowercase();
    if e == "postgres" || e == "aurora-postgresql" || e.starts_with("sqlserver") {
        Some("rds.force_ssl")
    } else if e == "mysql" || e == "mariadb" || e == "aurora-mysql" || e == "aurora" {
        Some("require_secure_transport")
    } else if e == "docdb" {
        Some("tls")
    } else if e == "neptune" {
        Some("neptune_enforce_ssl")
    } else {
        None
    }
}

fn enforces(parameter: &str, value: &str) -> bool {
    let v = value.trim();
    match parameter {
        "require_secure_transport" => v.eq_ignore_ascii_case("ON") || v == "1",
        // DocumentDB: `enabled`, or the stricter `tls1.2+`, `tls1.3+` and `fips-140-3`.
        "tls" => ["enabled", "tls1.2+", "tls1.3+", "fips-140-3"]
            .iter()
            .any(|on| v.eq_ignore_ascii_case(on)),
        _ => v == "1",
    }
}

/// One database (instance or cluster) as the check sees it.
pub(crate) struct Db<'a> {
    pub(crate) resource: &'a ResourceRef,
    pub(crate) engine: &'a str,
    pub(crate) group: Option<&'a str>,
    pub(crate) cluster_group: bool,
}

/// The parameter groups by (name, cluster group, account, region).
pub(crate) type Groups<'a> = HashMap<(&'a str, bool, &'a str, &'a str), &'a RdsParameterGroup>;

/// [`Groups`] of the inventory, looked up per database.
pub(crate) fn groups<'a>(ctx: &Ctx<'a>) -> Groups<'a> {
    first_by(ctx.resources::<RdsParameterGroup>(), |g| {
        Some((
            g.name.as_str(),
            g.cluster,
            g.resource.account.as_str(),
            g.resource.region.as_str(),
        ))
    })
}

/// The TLS verdict on one database from its parameter group (shared with the DocumentDB and
/// Neptune cluster checks, which judge their engine's clusters the same way).
pub(crate) fn judge<'a>(ctx: &Ctx<'a>, db: Db<'a>, groups: &Groups<'a>) -> FindingBuilder {
    let r = db.resource;
    let noun = if db.cluster_group {
        "DB cluster parameter group"
    } else {
        "DB parameter group"
    };
    let Some(param) = tls_parameter(db.engine) else {
        return ctx
            .fail(r)
            .evidence("engine", db.engine)
            .evidence("parameter_group", db.group)
            .evidence("tls_parameter", None::<String>)
            .reason(format!(
                "Engine {} has no parameter that forces TLS (it is configured in an option group or the listener, which phiscan does not read): TLS enforcement is not shown.",
                db.engine
            ));
    };
    let base = |b: FindingBuilder| {
        b.evidence("engine", db.engine)
            .evidence("parameter_group", db.group)
            .evidence("tls_parameter", param)
    };
    let Some(name) = db.group else {
        return base(ctx.error(r)).reason(format!("The API named no {noun} for this database."));
    };
    let found = groups
        .get(&(name, db.cluster_group, r.account.as_str(), r.region.as_str()))
        .copied();
    let Some(group) = found else {
        return base(ctx.error(r)).reason(format!(
            "The {noun} {name} was not among the groups the API listed, so its parameters are unknown."
        ));
    };
    let value = group.tls_parameters.get(param).cloned().flatten();
    let b = base(ctx.finding(
        if value.as_deref().is_some_and(|v| enforces(param, v)) {
            phiscan_core::Status::Pass
        } else {
            phiscan_core::Status::Fail
        },
        r,
    ))
    .evidence("tls_parameter_value", &value);
    match value {
        Some(v) if enforces(param, &v) => b.reason(format!(
            "The {noun} {name} sets {param} = {v}: unencrypted connections are refused."
        )),
        Some(v) => b.reason(format!(
            "The {noun} {name} sets {param} = {v}: unencrypted connections are accepted."
        )),
        None => b.reason(format!(
            "The {noun} {name} does not set {param}: TLS is not enforced by the parameter group."
        )),
    }
}

impl Check for RdsTlsEnforced {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let groups = groups(ctx);
        let mut out = Vec::new();
        for i in ctx.resources::<RdsInstance>() {
            let f = match &i.db_cluster_identifier {
                Some(c) => ctx
                    .not_applicable(&i.resource)
                    .evidence("engine", &i.engine)
                    .evidence("db_cluster_identifier", c)
                    .reason(format!(
                        "The instance belongs to DB cluster {c}, whose cluster parameter group decides TLS (see the cluster's finding)."
                    )),
                None => judge(
                    ctx,
                    Db {
                        resource: &i.resource,
                        engine: &i.engine,
                        group: i.parameter_groups.first().map(String::as_str),
                        cluster_group: false,
                    },
                    &groups,
                ),
            };
            out.push(f.build()?);
        }
        for c in ctx.resources::<RdsCluster>() {
            let db = Db {
                resource: &c.resource,
                engine: &c.engine,
                group: c.parameter_group.as_deref(),
                cluster_group: true,
            };
            out.push(judge(ctx, db, &groups).build()?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{rds_cluster, rds_instance, rds_parameter_group};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn group(name: &str, cluster: bool, param: &str, value: Option<&str>) -> RdsParameterGroup {
        RdsParameterGroup {
            cluster,
            tls_parameters: [(param.to_string(), value.map(str::to_string))].into(),
            ..rds_parameter_group(name)
        }
    }

    fn db(id: &str, engine: &str, group: &str) -> RdsInstance {
        let mut d = rds_instance(id);
        d.engine = engine.into();
        d.parameter_groups = vec![group.into()];
        d
    }

    #[test]
    fn the_engine_parameter_and_its_value_decide() {
        let mut inv = Inventory::new();
        inv.aws_rds_parameter_groups = vec![
            group("pg-tls", false, "rds.force_ssl", Some("1")),
            group("pg-off", false, "rds.force_ssl", Some("0")),
            group("default.postgres14", false, "rds.force_ssl", None),
            group("my-tls", false, "require_secure_transport", Some("ON")),
            group("my-off", false, "require_secure_transport", Some("OFF")),
            // A cluster group of the same name must not be taken for the instance group.
            group("phi-aurora-tls", true, "rds.force_ssl", Some("1")),
        ];
        let mut member = db("member", "aurora-postgresql", "default.aurora-postgresql15");
        member.db_cluster_identifier = Some("phi-aurora".into());
        inv.aws_rds_instances = vec![
            db("pg-on", "postgres", "pg-tls"),
            db("pg-zero", "postgres", "pg-off"),
            db("pg-default", "postgres", "default.postgres14"),
            db("mysql-on", "mysql", "my-tls"),
            db("mariadb-off", "mariadb", "my-off"),
            db("sqlserver-missing", "sqlserver-se", "sql-unlisted"),
            db("oracle", "oracle-ee", "default.oracle-ee-19"),
            db("same-name-as-cluster-group", "postgres", "phi-aurora-tls"),
            member,
        ];
        let mut mysql_cluster = rds_cluster("aurora-mysql-off");
        mysql_cluster.engine = "aurora-mysql".into();
        mysql_cluster.parameter_group = Some("default.aurora-mysql8.0".into());
        inv.aws_rds_clusters = vec![rds_cluster("aurora-pg-on"), mysql_cluster];
        let f = run(&RdsTlsEnforced, &inv);
        assert_eq!(f.status_of("pg-on"), Status::Pass);
        assert_eq!(f.evidence_of("pg-on", "tls_parameter_value"), "1");
        assert_eq!(f.status_of("pg-zero"), Status::Fail);
        assert_eq!(f.status_of("pg-default"), Status::Fail);
        assert!(f
            .of("pg-default")
            .reason
            .contains("does not set rds.force_ssl"));
        assert_eq!(f.status_of("mysql-on"), Status::Pass);
        assert_eq!(f.status_of("mariadb-off"), Status::Fail);
        assert_eq!(f.status_of("sqlserver-missing"), Status::Error);
        assert!(f.of("sqlserver-missing").reason.contains("sql-unlisted"));
        assert_eq!(f.status_of("oracle"), Status::Fail);
        assert!(f
            .of("oracle")
            .reason
            .contains("no parameter that forces TLS"));
        assert_eq!(f.status_of("same-name-as-cluster-group"), Status::Error);
        assert_eq!(f.status_of("member"), Status::NotApplicable);
        assert!(f.of("member").reason.contains("phi-aurora"));
        assert_eq!(f.status_of("aurora-pg-on"), Status::Pass);
        assert_eq!(f.status_of("aurora-mysql-off"), Status::Error);
    }

    #[test]
    fn values_per_parameter() {
        assert!(enforces("require_secure_transport", "1"));
        assert!(enforces("require_secure_transport", "on"));
        assert!(!enforces("require_secure_transport", "OFF"));
        assert!(enforces("tls", "enabled"));
        assert!(!enforces("tls", "disabled"));
        assert!(enforces("rds.force_ssl", " 1 "));
        assert!(!enforces("rds.force_ssl", "true"));
        assert_eq!(tls_parameter("sqlserver-ee"), Some("rds.force_ssl"));
        assert_eq!(tls_parameter("aurora"), Some("require_secure_transport"));
        assert_eq!(tls_parameter("db2-se"), None);
    }
}
