use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use super::project_bindings::no_owner_or_editor;

declare_check! {
    /// ## What it checks
    /// No binding of a project's own IAM policy grants the basic (primitive) roles
    /// `roles/owner` or `roles/editor` to a user (`user:`) or a group (`group:`). Service
    /// accounts are left to `gcp-iam-default-sa-not-editor`; bindings inherited from
    /// folders or the organization are not in the project's policy and are not read.
    ///
    /// ## Why it matters
    /// Owner and Editor reach every resource of every service in the project, ePHI stores
    /// included: they are the opposite of the minimum necessary access Janus HCP promises
    /// (access authorization, 45 CFR 164.308(a)(4)(ii)(B); access control, 164.312(a)(1)).
    /// People should hold predefined roles scoped to their job.
    ///
    /// ## Evidence
    /// `primitive_grants` (role and the users and groups holding it).
    ///
    /// ## Remediation
    /// Grant the predefined roles each person needs, then `gcloud projects
    /// remove-iam-policy-binding <project> --member=user:<email> --role=roles/editor`.
    pub struct IamNoPrimitiveRolesForUsers {
        id: "gcp-iam-no-primitive-roles-for-users",
        title: "No user or group holds Owner or Editor on a project",
        severity: High,
        provider: Gcp,
        kinds: [GcpProjectAuditConfig],
        controls: [AccessAuthorization, AccessControl],
    }
}

fn is_person(member: &str) -> bool {
    member.starts_with("user:") || member.starts_with("group:")
}

impl Check for IamNoPrimitiveRolesForUsers {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        no_owner_or_editor(
            ctx,
            is_person,
            "primitive_grants",
            "No user or group holds roles/owner or roles/editor in the project's IAM policy.",
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
    fn people_with_owner_or_editor_fail() {
        let mut bad = project_audit_config("bad");
        bad.iam_bindings = Some(vec![
            iam_binding("roles/editor", &["group:devs@janus.example", "serviceAccount:ci@bad.iam.gserviceaccount.com"]),
            iam_binding("roles/viewer", &["user:auditor@janus.example"]),
            iam_binding("roles/owner_withcond_2c1f", &["user:contractor@janus.example"]),
        ]);
        let mut sa_only = project_audit_config("sa-only");
        sa_only.iam_bindings = Some(vec![
            iam_binding("roles/owner", &["serviceAccount:terraform@sa-only.iam.gserviceaccount.com"]),
            iam_binding("roles/spanner.databaseUser", &["user:dev@janus.example"]),
        ]);
        let mut unknown = project_audit_config("unknown");
        unknown.iam_bindings = None;
        let mut inv = Inventory::new();
        inv.gcp_project_audit_configs = vec![bad, sa_only, unknown];
        let f = run(&IamNoPrimitiveRolesForUsers, &inv);
        assert_eq!(f.status_of("bad"), Status::Fail);
        assert_eq!(
            f.evidence_of("bad", "primitive_grants")[0]["members"],
            serde_json::json!(["group:devs@janus.example"])
        );
        assert!(f.of("bad").reason.contains("user:contractor@janus.example"));
        assert_eq!(f.status_of("sa-only"), Status::Pass);
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
