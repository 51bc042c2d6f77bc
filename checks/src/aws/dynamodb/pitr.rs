use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::DynamoDbTable;

declare_check! {
    /// ## What it checks
    /// Every DynamoDB table has point-in-time recovery on: DescribeContinuousBackups reports
    /// `PointInTimeRecoveryStatus = ENABLED`. `DISABLED` fails; a table for which the API
    /// reported no status is an ERROR, since missing data is not a verdict.
    ///
    /// ## Why it matters
    /// PITR keeps continuous backups for up to 35 days, so a table can be restored to any
    /// second after an accidental delete, a bad deployment or ransomware; without it the
    /// only copies are on-demand backups someone remembered to take (data backup plan,
    /// 45 CFR 164.308(a)(7)(ii)(A); disaster recovery plan, 164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `pitr_status` and `table_status`.
    ///
    /// ## Remediation
    /// `aws dynamodb update-continuous-backups --table-name <table>
    /// --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true`; for longer
    /// retention add the table to an AWS Backup plan.
    pub struct DynamoDbPitr {
        id: "aws-dynamodb-pitr",
        title: "DynamoDB tables have point-in-time recovery enabled",
        severity: High,
        provider: Aws,
        kinds: [AwsDynamoDbTable],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

impl Check for DynamoDbPitr {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<DynamoDbTable>()
            .iter()
            .map(|t| {
                let b = match t.pitr_status.as_deref() {
                    Some("ENABLED") => ctx
                        .pass(&t.resource)
                        .reason("Point-in-time recovery is enabled."),
                    Some(s) => ctx.fail(&t.resource).reason(format!(
                        "Point-in-time recovery is {s}: the table cannot be restored to a point in time."
                    )),
                    None => ctx.error(&t.resource).reason(
                        "DescribeContinuousBackups reported no point-in-time recovery status.",
                    ),
                };
                b.evidence("pitr_status", &t.pitr_status)
                    .evidence("table_status", &t.table_status)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::dynamodb_table;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn enabled_passes_disabled_fails_unknown_errors() {
        let mut off = dynamodb_table("off");
        off.pitr_status = Some("DISABLED".into());
        let mut unknown = dynamodb_table("unknown");
        unknown.pitr_status = None;
        let mut inv = Inventory::new();
        inv.aws_dynamodb_tables = vec![dynamodb_table("on"), off, unknown];
        let f = run(&DynamoDbPitr, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert!(f.of("off").reason.contains("DISABLED"));
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
