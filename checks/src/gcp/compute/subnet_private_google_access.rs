use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::Subnetwork;

use super::subnet::special_purpose;

declare_check! {
    /// ## What it checks
    /// Every VPC subnetwork that carries VM traffic has Private Google Access on
    /// (`privateIpGoogleAccess`), so its VMs reach Google APIs (Cloud Storage, Cloud SQL
    /// Admin, Cloud Logging, KMS) from internal addresses. Off, or not reported, FAILs.
    /// Special-purpose subnets (any `purpose` other than `PRIVATE`) are NOT_APPLICABLE.
    ///
    /// ## Why it matters
    /// Without Private Google Access, a VM that uploads ePHI to Cloud Storage or ships logs
    /// must have an external address or a NAT path to the internet, which is what
    /// `gcp-compute-instance-no-external-ip` forbids for ePHI hosts. With it, that traffic
    /// stays on Google's network from an internal address (access control, 45 CFR
    /// 164.312(a)(1); transmission security, 164.312(e)(1)).
    ///
    /// ## Evidence
    /// `private_google_access` (true, false or null), `purpose`, `network`, `ip_cidr_range`.
    ///
    /// ## Remediation
    /// `gcloud compute networks subnets update <subnet> --region=<region>
    /// --enable-private-ip-google-access`, and route `private.googleapis.com` or
    /// `restricted.googleapis.com` (with VPC Service Controls) in Cloud DNS.
    pub struct SubnetPrivateGoogleAccess {
        id: "gcp-compute-subnet-private-google-access",
        title: "VPC subnetworks reach Google APIs through Private Google Access",
        severity: Low,
        provider: Gcp,
        kinds: [GcpSubnetwork],
        controls: [AccessControl, TransmissionSecurity],
    }
}

impl Check for SubnetPrivateGoogleAccess {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<Subnetwork>()
            .iter()
            .map(|s| {
                let builder = match (special_purpose(s), s.private_google_access) {
                    (Some(p), _) => ctx.not_applicable(&s.resource).reason(format!(
                        "The subnet's purpose is {p}: it holds no VM interfaces."
                    )),
                    (None, Some(true)) => ctx
                        .pass(&s.resource)
                        .reason("Private Google Access is on: VMs reach Google APIs from internal addresses."),
                    (None, Some(false)) => ctx.fail(&s.resource).reason(
                        "Private Google Access is off: VMs need an external address or NAT to reach Google APIs.",
                    ),
                    (None, None) => ctx.fail(&s.resource).reason(
                        "The subnet does not report privateIpGoogleAccess, so Private Google Access is not shown to be on.",
                    ),
                };
                builder
                    .evidence("private_google_access", s.private_google_access)
                    .evidence("purpose", &s.purpose)
                    .evidence("network", &s.network)
                    .evidence("ip_cidr_range", &s.ip_cidr_range)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::subnetwork;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn vm_subnets_need_private_google_access() {
        let mut psc = subnetwork("psc", None, None);
        psc.purpose = Some("PRIVATE_SERVICE_CONNECT".into());
        let mut inv = Inventory::new();
        inv.gcp_subnetworks = vec![
            subnetwork("on", None, Some(true)),
            subnetwork("off", None, Some(false)),
            subnetwork("unreported", None, None),
            psc,
        ];
        let f = run(&SubnetPrivateGoogleAccess, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("unreported"), Status::Fail);
        assert_eq!(f.status_of("psc"), Status::NotApplicable);
    }
}
