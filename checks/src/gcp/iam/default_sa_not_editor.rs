use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use super::project_bindings::no_owner_or_editor;

declare_check! {
    /// ## What it checks
    /// The default service accounts Google creates, the Compute Engine default
    /// (`<number>-compute@developer.gserviceaccount.com`) and the App Engine default
    /// (`<project>@appspot.gserviceaccount.com`), hold neither `roles/editor` nor
    /// `roles/owner` in the project's own IAM policy. Google grants them Editor
    /// automatically unless the organization policy
    /// `iam.automaticIamGrantsForDefaultServiceAccounts` is enforced.
    ///
    /// ## Why it matters
    /// Every VM and App Engine app that runs as a default account without its own identity
    /// then holds Editor: one compromised workload can read and change every ePHI store in
    /// the project (access authorization, 45 CFR 164.308(a)(4)(ii)(B); access control,
    /// 164.312(a)(1)).
    ///
    /// ## Evidence
    /// `default_sa_grants` (role and default accounts holding it).
    ///
    /// ## Remediation
    /// `gcloud projects remove-iam-policy-binding <project>
    /// --member=serviceAccount:<number>-compute@developer.gserviceaccount.com
    /// --role=roles/editor`; give each workload its own service account with the roles it
    /// needs, and enforce `constraints/iam.automaticIamGrantsForDefaultServiceAccounts`.
    pub struct IamDefaultSaNotEditor {
        id: "gcp-iam-default-sa-not-editor",
        title: "Default service accounts do not hold Editor or Owner",
        severity: High,
        provider: Gcp,
        kinds: [GcpProjectAuditConfig],
        controls: [AccessAuthorization, AccessControl],
    }
}

fn is_default_sa(member: &str) -> bool {
    member.strip_prefix("serviceAccount:").is_some_and(|e| {
        e.ends_with("-compute@developer.gserviceaccount.com")
            || e.ends_with("@appspot.gserviceaccount.com")
    })
}

impl Check for IamDefaultSaNotEditor {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        no_owner_or_editor(
            ctx,
            is_default_sa,
            "default_sa_grants",
            "No default service account holds roles/editor or roles/owner in the project's IAM policy.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{iam_binding, project_audit_config};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn default_accounts_must_not_be_editors() {
        let mut bad = project_audit_config("bad");
        bad.iam_bindings = Some(vec![iam_binding(
            "roles/editor",
            &["serviceAccount:123456789012-compute@developer.gserviceaccount.com"],
        )]);
        let mut appspot = project_audit_config("appspot");
        appspot.iam_bindings = Some(vec![iam_binding("roles/owner", &["serviceAccount:appspot@appspot.gserviceaccount.com"])]);
        let mut good = project_audit_config("good");
        good.iam_bindings = Some(vec![
            iam_binding("roles/editor", &["serviceAccount:terraform@good.iam.gserviceaccount.com"]),
            iam_binding("roles/logging.logWriter", &["serviceAccount:123456789012-compute@developer.gserviceaccount.com"]),
        ]);
        let mut unknown = project_audit_config("unknown");
        unknown.iam_bindings = None;
        let mut inv = Inventory::new();
        inv.gcp_project_audit_configs = vec![bad, appspot, good, unknown];
        let f = run(&IamDefaultSaNotEditor, &inv);
        assert_eq!(f.status_of("bad"), Status::Fail);
        assert!(f.of("bad").reason.contains("-compute@developer"));
        assert_eq!(f.status_of("appspot"), Status::Fail);
        assert_eq!(f.status_of("good"), Status::Pass);
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
