use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::ServiceAccount;
use serde_json::json;

declare_check! {
    /// ## What it checks
    /// No service account has an enabled user-managed key older than
    /// `params.max_sa_key_age_days` (90 by default), measured against the scan clock. An
    /// account without user-managed keys PASSes; one whose keys are all younger PASSes
    /// with the keys as evidence (each still a long-lived secret to rotate); a key whose
    /// creation time is not reported FAILs, since its age cannot be shown. Disabled keys
    /// cannot authenticate and are not counted. Google-managed keys (rotated by Google)
    /// are not listed.
    ///
    /// ## Why it matters
    /// A downloaded key is a password that never expires on its own: anyone holding the
    /// file acts as the account, from anywhere, until the key is deleted. Old keys are the
    /// ones most likely copied into laptops and repositories (person or entity
    /// authentication, 45 CFR 164.312(d); access control, 164.312(a)(1)).
    ///
    /// ## Evidence
    /// `email`, `old_keys` (id, created, age in days), `user_managed_keys` (count of enabled
    /// keys) and `max_sa_key_age_days`.
    ///
    /// ## Remediation
    /// Use workload identity federation or attached service accounts instead of keys;
    /// delete old keys with `gcloud iam service-accounts keys delete <key-id>
    /// --iam-account=<email>`, and enforce `constraints/iam.disableServiceAccountKeyCreation`.
    pub struct IamSaNoUserManagedKeys {
        id: "gcp-iam-sa-no-user-managed-keys",
        title: "Service accounts have no user-managed keys older than 90 days",
        severity: High,
        provider: Gcp,
        kinds: [GcpServiceAccount],
        controls: [PersonEntityAuthentication, AccessControl],
    }
}

impl Check for IamSaNoUserManagedKeys {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let max_days = ctx.config.params.max_sa_key_age_days;
        ctx.resources::<ServiceAccount>()
            .iter()
            .map(|sa| {
                let enabled: Vec<_> = sa.user_managed_keys.iter().filter(|k| !k.disabled).collect();
                let old: Vec<serde_json::Value> = enabled
                    .iter()
                    .filter_map(|k| {
                        let age = k.created_at.map(|t| (ctx.now - t).num_days().max(0));
                        match age {
                            Some(d) if d <= max_days => None,
                            _ => Some(json!({"id": k.id, "created_at": k.created_at, "age_days": age})),
                        }
                    })
                    .collect();
                let reason = match (enabled.len(), old.len()) {
                    (0, _) => "The account has no enabled user-managed key.".to_string(),
                    (n, 0) => format!("The account's {n} enabled user-managed key(s) are at most {max_days} days old; rotate them or move to keyless authentication."),
                    (_, o) => format!("{o} enabled user-managed key(s) are older than {max_days} days (or of unknown age)."),
                };
                ctx.verdict(old.is_empty(), &sa.resource)
                    .evidence("email", &sa.email)
                    .evidence("old_keys", &old)
                    .evidence("user_managed_keys", enabled.len())
                    .evidence("max_sa_key_age_days", max_days)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp_stores::{sa_key, service_account};
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    #[test]
    fn old_enabled_keys_fail() {
        let mut young = service_account("young");
        young.user_managed_keys = vec![sa_key("k1", 30)];
        let mut old = service_account("old");
        old.user_managed_keys = vec![sa_key("k1", 10), sa_key("k2", 200)];
        let mut disabled_old = service_account("disabled-old");
        let mut k = sa_key("k3", 400);
        k.disabled = true;
        disabled_old.user_managed_keys = vec![k];
        let mut undated = service_account("undated");
        let mut k = sa_key("k4", 1);
        k.created_at = None;
        undated.user_managed_keys = vec![k];
        let mut inv = Inventory::new();
        inv.gcp_service_accounts = vec![service_account("keyless"), young, old, disabled_old, undated];
        let f = run(&IamSaNoUserManagedKeys, &inv);
        assert_eq!(f.status_of("keyless"), Status::Pass);
        assert_eq!(f.status_of("young"), Status::Pass);
        assert_eq!(f.status_of("old"), Status::Fail);
        assert_eq!(f.evidence_of("old", "old_keys")[0]["id"], "k2");
        assert_eq!(f.status_of("disabled-old"), Status::Pass);
        assert_eq!(f.status_of("undated"), Status::Fail);

        let mut config = Config::default();
        config.params.max_sa_key_age_days = 365;
        assert_eq!(run_with(&IamSaNoUserManagedKeys, &inv, &config).status_of("old"), Status::Pass);
    }
}
