pub mod bucket_cmek;
pub mod bucket_logging;
pub mod bucket_not_public;
pub mod bucket_public_access_prevention;
pub mod bucket_uniform_access;
pub mod bucket_versioning;

#[cfg(test)]
pub mod tests {
    use crate::testing::gcp_ref;
    use phiscan_scanner::model::gcp::{IamBinding, StorageBucket};
    use phiscan_scanner::ResourceKind;

    pub fn binding(role: &str, members: &[&str]) -> IamBinding {
        IamBinding {
            role: role.into(),
            members: members.iter().map(|m| m.to_string()).collect(),
        }
    }

    /// A private bucket with uniform access and no public access prevention reported.
    pub fn bucket(id: &str, bindings: Vec<IamBinding>) -> StorageBucket {
        StorageBucket {
            resource: gcp_ref(ResourceKind::GcpStorageBucket, "us-central1", id),
            iam_bindings: bindings,
            uniform_bucket_level_access: true,
            public_access_prevention: None,
            default_kms_key_name: None,
            versioning_enabled: false,
            retention_period_seconds: None,
            logging_bucket: None,
        }
    }
}
