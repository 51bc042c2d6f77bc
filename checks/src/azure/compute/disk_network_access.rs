use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::Disk;

declare_check! {
    /// ## What it checks
    /// Every managed disk refuses export and import from the public internet: its
    /// `publicNetworkAccess` is `Disabled`, or its `networkAccessPolicy` is `DenyAll` (no
    /// SAS export at all) or `AllowPrivate` (export only through a disk access private
    /// endpoint). `AllowAll` FAILs: anyone who obtains the disk's export SAS URL can download
    /// the whole disk from anywhere.
    ///
    /// A disk for which ARM reported neither property FAILs: `AllowAll` is Azure's default
    /// network access policy, so silence means open. Values are compared case-insensitively.
    ///
    /// ## Why it matters
    /// A downloaded disk image carries every record the VM stored. Access control (45 CFR
    /// 164.312(a)(1)) and access authorization (164.308(a)(4)(ii)(B)) require that only
    /// authorized persons reach ePHI; the hosting policies limit access granted to external
    /// parties to the minimum necessary, and a SAS URL is a bearer credential that leaks.
    ///
    /// ## Evidence
    /// `network_access_policy` and `public_network_access` (as reported, null when omitted).
    ///
    /// ## Remediation
    /// `az disk update -n <disk> -g <rg> --network-access-policy DenyAll
    /// --public-network-access Disabled` (or `AllowPrivate` with `--disk-access <id>` when
    /// exports through a private endpoint are needed). Assign the built-in Azure Policy
    /// "Managed disks should disable public network access".
    pub struct DiskNetworkAccessRestricted {
        id: "azure-disk-network-access-restricted",
        title: "Managed disks cannot be exported over the public internet",
        severity: High,
        provider: Azure,
        kinds: [AzureDisk],
        controls: [AccessControl, AccessAuthorization],
    }
}

fn is(value: &Option<String>, wanted: &str) -> bool {
    value
        .as_deref()
        .is_some_and(|v| v.eq_ignore_ascii_case(wanted))
}

impl Check for DiskNetworkAccessRestricted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<Disk>()
            .iter()
            .map(|d| {
                let policy = &d.network_access_policy;
                let public = &d.public_network_access;
                let (ok, reason) = if is(public, "Disabled") {
                    (true, "Public network access is Disabled: the disk cannot be exported or imported over the internet.".to_string())
                } else if is(policy, "DenyAll") || is(policy, "AllowPrivate") {
                    (true, format!(
                        "The network access policy is {}: no export from the public internet.",
                        policy.as_deref().unwrap_or_default()
                    ))
                } else {
                    (false, match policy {
                        Some(p) => format!("The network access policy is {p}: anyone holding an export SAS URL can download the disk from the internet."),
                        None => "ARM reported no network access policy; Azure's default, AllowAll, lets an export SAS URL download the disk from anywhere.".to_string(),
                    })
                };
                ctx.verdict(ok, &d.resource)
                    .evidence("network_access_policy", policy)
                    .evidence("public_network_access", public)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn disk(id: &str, policy: Option<&str>, public: Option<&str>) -> Disk {
        Disk {
            network_access_policy: policy.map(Into::into),
            public_network_access: public.map(Into::into),
            ..testing::azure::disk(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_disks = vec![
            disk("deny", Some("DenyAll"), Some("Enabled")),
            disk("private", Some("allowprivate"), None),
            disk("disabled", Some("AllowAll"), Some("Disabled")),
            disk("open", Some("AllowAll"), Some("Enabled")),
            disk("silent", None, None),
        ];
        let f = run(&DiskNetworkAccessRestricted, &inv);
        assert_eq!(f.status_of("deny"), Status::Pass);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert_eq!(f.status_of("disabled"), Status::Pass);
        assert_eq!(f.status_of("open"), Status::Fail);
        assert_eq!(f.status_of("silent"), Status::Fail);
        assert!(f.of("silent").reason.contains("default, AllowAll"));
    }
}
