use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::ComputeInstance;

declare_check! {
    /// ## What it checks
    /// Every Compute Engine instance runs as a Shielded VM with the virtual Trusted Platform
    /// Module (`shieldedInstanceConfig.enableVtpm`) and integrity monitoring
    /// (`enableIntegrityMonitoring`) on. Either off, or not reported, FAILs. Secure Boot is
    /// evidence but not judged: it refuses unsigned kernel modules and drivers, which some
    /// workloads need, so it is a per-workload decision (the CIS GCP benchmark judges the same
    /// two settings).
    ///
    /// ## Why it matters
    /// With a vTPM, measured boot records every component that started; integrity
    /// monitoring compares those measurements with a known-good baseline and reports a
    /// changed bootloader or kernel. A boot-level rootkit on a host holding ePHI could
    /// otherwise alter or copy data unseen (integrity, 45 CFR 164.312(c)(1)).
    ///
    /// ## Evidence
    /// `vtpm`, `integrity_monitoring`, `secure_boot` (each true, false or null) and `status`.
    ///
    /// ## Remediation
    /// On a stopped instance booted from a Shielded VM image:
    /// `gcloud compute instances update <vm> --zone=<zone> --shielded-vtpm
    /// --shielded-integrity-monitoring` (add `--shielded-secure-boot` where the workload
    /// allows). Instances on images without Shielded VM support must be recreated from a
    /// supported image.
    pub struct InstanceShieldedVm {
        id: "gcp-compute-instance-shielded-vm",
        title: "Instances run as Shielded VMs with vTPM and integrity monitoring",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpComputeInstance],
        controls: [Integrity],
    }
}

impl Check for InstanceShieldedVm {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<ComputeInstance>()
            .iter()
            .map(|i| {
                let s = i.shielded_vm.as_ref();
                let vtpm = s.and_then(|s| s.vtpm);
                let integrity = s.and_then(|s| s.integrity_monitoring);
                let secure_boot = s.and_then(|s| s.secure_boot);
                let missing: Vec<&str> = [("vTPM", vtpm), ("integrity monitoring", integrity)]
                    .into_iter()
                    .filter(|(_, on)| *on != Some(true))
                    .map(|(name, _)| name)
                    .collect();
                let reason = match (s, missing.is_empty()) {
                    (None, _) => "The instance reports no Shielded VM configuration, so vTPM and integrity monitoring are not shown to be on.".to_string(),
                    (Some(_), true) => "vTPM and integrity monitoring are on: changes to the boot chain are measured and reported.".to_string(),
                    (Some(_), false) => format!("Shielded VM protection is incomplete: {} off.", missing.join(" and ")),
                };
                ctx.verdict(missing.is_empty(), &i.resource)
                    .evidence("vtpm", vtpm)
                    .evidence("integrity_monitoring", integrity)
                    .evidence("secure_boot", secure_boot)
                    .evidence("status", &i.status)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::compute_instance;
    use crate::testing::run;
    use phiscan_core::model::gcp::ShieldedVm;
    use phiscan_core::{Inventory, Status};

    fn shielded(
        id: &str,
        secure_boot: bool,
        vtpm: Option<bool>,
        integrity: Option<bool>,
    ) -> ComputeInstance {
        let mut i = compute_instance(id);
        i.shielded_vm = Some(ShieldedVm {
            secure_boot: Some(secure_boot),
            vtpm,
            integrity_monitoring: integrity,
        });
        i
    }

    #[test]
    fn vtpm_and_integrity_monitoring_are_required() {
        let mut inv = Inventory::new();
        inv.gcp_compute_instances = vec![
            shielded("full", true, Some(true), Some(true)),
            shielded("no-secure-boot", false, Some(true), Some(true)),
            shielded("no-monitoring", true, Some(true), Some(false)),
            shielded("nothing", false, Some(false), Some(false)),
            shielded("unreported-vtpm", true, None, Some(true)),
            ComputeInstance {
                shielded_vm: None,
                ..compute_instance("no-config")
            },
        ];
        let f = run(&InstanceShieldedVm, &inv);
        assert_eq!(f.status_of("full"), Status::Pass);
        assert_eq!(f.status_of("no-secure-boot"), Status::Pass);
        assert_eq!(f.evidence_of("no-secure-boot", "secure_boot"), false);
        assert_eq!(f.status_of("no-monitoring"), Status::Fail);
        assert!(f
            .of("no-monitoring")
            .reason
            .contains("integrity monitoring off"));
        assert_eq!(f.status_of("nothing"), Status::Fail);
        assert!(f
            .of("nothing")
            .reason
            .contains("vTPM and integrity monitoring off"));
        assert_eq!(f.status_of("unreported-vtpm"), Status::Fail);
        assert_eq!(f.status_of("no-config"), Status::Fail);
        assert!(f
            .of("no-config")
            .reason
            .contains("no Shielded VM configuration"));
    }
}
