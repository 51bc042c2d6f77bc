pub mod data_access_audit_logs;
pub mod sink_exists;

#[cfg(test)]
pub mod tests {
    use crate::testing::gcp_ref;
    use phiscan_scanner::ResourceKind;
    use phiscan_scanner::ResourceRef;

    /// A project-level record, named after the project.
    pub fn project(kind: ResourceKind, id: &str) -> ResourceRef {
        gcp_ref(kind, "global", id)
    }
}
