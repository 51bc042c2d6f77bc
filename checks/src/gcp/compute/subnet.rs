//! What the subnetwork checks share: which subnets carry VM traffic at all.

use phiscan_core::model::gcp::Subnetwork;

/// Subnets with a purpose other than `PRIVATE` (proxy-only, Private Service Connect,
/// Private NAT, ...) hold no VM interfaces: flow logs and Private Google Access do not
/// apply to them. An unreported purpose is an ordinary subnet (the API omits it there).
pub fn special_purpose(s: &Subnetwork) -> Option<&str> {
    s.purpose.as_deref().filter(|p| *p != "PRIVATE")
}
