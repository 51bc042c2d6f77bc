//! What the subnetwork checks share: which subnets carry VM traffic at all.

use phiscan_scanner::model::gcp::Subnetwork;

/// Subnets with a purpose other than `PRIVATE` (proxy-only, Private Service Connect,
/// Private NAT, ...) hold no VM interfaces: flow logs and Private Google Access do not
/// apply to them. An unreported purpose is an ordinary subnet (the API omits it there).
pub fn special_purpose(s: &Subnetwork) -> Option<&str> {
    s.purpose.as_deref().filter(|p| *p != "PRIVATE")
}

#[cfg(test)]
pub mod tests {
    use crate::testing::gcp_ref;
    use phiscan_scanner::model::gcp::Subnetwork;
    use phiscan_scanner::ResourceKind;

    pub fn subnet(id: &str, flow_logs: Option<bool>, pga: Option<bool>) -> Subnetwork {
        Subnetwork {
            resource: gcp_ref(ResourceKind::GcpSubnetwork, "us-central1", id),
            network: Some(
                "https://www.googleapis.com/compute/v1/projects/proj-1/global/networks/vpc".into(),
            ),
            ip_cidr_range: Some("10.0.0.0/24".into()),
            purpose: None,
            flow_logs,
            flow_sampling: flow_logs.filter(|on| *on).map(|_| 0.5),
            private_google_access: pga,
        }
    }
}
