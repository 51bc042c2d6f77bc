use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::ComputeInstance;

declare_check! {
    /// ## What it checks
    /// No Compute Engine instance runs as the project's default Compute Engine service
    /// account (`<project-number>-compute@developer.gserviceaccount.com`) with the
    /// `https://www.googleapis.com/auth/cloud-platform` scope. That pair FAILs; any other
    /// service account, the default one with narrower scopes, or no service account at all
    /// PASSes.
    ///
    /// ## Why it matters
    /// The default service account is created with the project-wide Editor role, and the
    /// `cloud-platform` scope lets every process on the VM use all of it through the
    /// metadata server: read every bucket and database export holding ePHI, change
    /// firewalls, create keys. One compromised web process becomes a compromised project.
    /// Access to ePHI must be limited to the software programs that need it (access
    /// control, 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `service_accounts` (email and scopes of each) and `status`.
    ///
    /// ## Remediation
    /// Create a dedicated service account with only the roles the workload needs and attach
    /// it: `gcloud compute instances stop <vm>`, then
    /// `gcloud compute instances set-service-account <vm> --zone=<zone>
    /// --service-account=<sa>@<project>.iam.gserviceaccount.com --scopes=cloud-platform`
    /// (with a dedicated account, IAM roles rather than scopes limit access), and start it.
    pub struct InstanceNoDefaultSaFullScope {
        id: "gcp-compute-instance-no-default-sa-full-scope",
        title: "Instances do not use the default service account with full API access",
        severity: High,
        provider: Gcp,
        kinds: [GcpComputeInstance],
        controls: [AccessControl, AccessAuthorization],
    }
}

const DEFAULT_SA_SUFFIX: &str = "-compute@developer.gserviceaccount.com";
const FULL_SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

impl Check for InstanceNoDefaultSaFullScope {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<ComputeInstance>()
            .iter()
            .map(|i| {
                let default = i
                    .service_accounts
                    .iter()
                    .find(|sa| sa.email.to_ascii_lowercase().ends_with(DEFAULT_SA_SUFFIX));
                let full = default.filter(|sa| sa.scopes.iter().any(|s| s.trim_end_matches('/') == FULL_SCOPE));
                let reason = match (default, full) {
                    (Some(sa), Some(_)) => format!(
                        "The instance runs as the default Compute Engine service account {} with the cloud-platform scope: every process on it has the account's project-wide roles.",
                        sa.email
                    ),
                    (Some(sa), None) => format!(
                        "The instance runs as the default service account {}, but without the cloud-platform scope.",
                        sa.email
                    ),
                    (None, _) if i.service_accounts.is_empty() => {
                        "The instance has no service account.".to_string()
                    }
                    (None, _) => "The instance runs as a dedicated service account, not the default Compute Engine one.".to_string(),
                };
                let accounts: Vec<serde_json::Value> = i
                    .service_accounts
                    .iter()
                    .map(|sa| serde_json::json!({"email": sa.email, "scopes": sa.scopes}))
                    .collect();
                ctx.verdict(full.is_none(), &i.resource)
                    .evidence("service_accounts", accounts)
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
    use phiscan_core::model::gcp::InstanceServiceAccount;
    use phiscan_core::{Inventory, Status};

    fn with_sa(id: &str, email: Option<&str>, scopes: &[&str]) -> ComputeInstance {
        let mut i = compute_instance(id);
        i.service_accounts = email
            .map(|e| InstanceServiceAccount {
                email: e.into(),
                scopes: scopes.iter().map(|s| s.to_string()).collect(),
            })
            .into_iter()
            .collect();
        i
    }

    #[test]
    fn default_account_with_cloud_platform_scope_fails() {
        let default = "418802339120-compute@developer.gserviceaccount.com";
        let mut inv = Inventory::new();
        inv.gcp_compute_instances = vec![
            with_sa("default-full", Some(default), &[FULL_SCOPE]),
            with_sa(
                "default-narrow",
                Some(default),
                &[
                    "https://www.googleapis.com/auth/devstorage.read_only",
                    "https://www.googleapis.com/auth/logging.write",
                ],
            ),
            with_sa(
                "dedicated-full",
                Some("ehr-api@proj-1.iam.gserviceaccount.com"),
                &[FULL_SCOPE],
            ),
            with_sa("no-account", None, &[]),
        ];
        let f = run(&InstanceNoDefaultSaFullScope, &inv);
        assert_eq!(f.status_of("default-full"), Status::Fail);
        assert!(f.of("default-full").reason.contains(default));
        assert_eq!(f.status_of("default-narrow"), Status::Pass);
        assert_eq!(f.status_of("dedicated-full"), Status::Pass);
        assert_eq!(f.status_of("no-account"), Status::Pass);
        assert_eq!(
            f.evidence_of("default-full", "service_accounts")[0]["scopes"][0],
            FULL_SCOPE
        );
    }
}
