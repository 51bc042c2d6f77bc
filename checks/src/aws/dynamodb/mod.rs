pub mod encrypted_cmk;
pub mod pitr;

/// An ACTIVE table with PITR on and no SSEDescription (AWS owned key), for unit tests.
#[cfg(test)]
pub(crate) fn table(id: &str) -> phiscan_scanner::model::aws::DynamoDbTable {
    phiscan_scanner::model::aws::DynamoDbTable {
        resource: crate::testing::aws_ref(
            phiscan_scanner::ResourceKind::AwsDynamoDbTable,
            "us-east-1",
            id,
        ),
        table_status: Some("ACTIVE".into()),
        sse_status: None,
        sse_type: None,
        kms_key_arn: None,
        kms_key_manager: None,
        pitr_status: Some("ENABLED".into()),
    }
}
