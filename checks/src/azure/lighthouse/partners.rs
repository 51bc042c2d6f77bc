use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::config::External;
use phiscan_core::declare_check;
use phiscan_core::model::azure::LighthouseAssignment;
use serde_json::json;

declare_check! {
    /// ## What it checks
    /// Every Azure Lighthouse delegation of the subscription (a registration assignment and
    /// its definition) grants access only to a tenant on the partner list
    /// (`[[third_parties]]` `azure_tenants`), before the partner's `expires` date, and with
    /// the access level the list allows: a `read` partner may hold only read-only built-in
    /// roles (Reader, Security Reader, Monitoring Reader, Log Analytics Reader, Backup
    /// Reader, Cost Management Reader); any other role, custom roles included, is write.
    /// Eligible (just-in-time) authorizations count like standing ones. Without
    /// `[[third_parties]]` every delegation fails.
    ///
    /// ## Why it matters
    /// Janus and Qolty promise that "access granted to external parties is limited to the
    /// minimum necessary and granted only for the duration required" and that partners are
    /// kept on a reviewed list. A Lighthouse delegation lets another tenant's users manage
    /// the subscription from their own directory, outside the organization's sign-in
    /// policies (access authorization, 45 CFR 164.308(a)(4)(ii)(B); business associate
    /// arrangements, 164.308(b)(1)).
    ///
    /// ## Evidence
    /// `managed_by_tenant` (id and name), `definition`, `authorizations` (principal, role,
    /// eligible, read-only), `writes`, and `partner` (the partner-list verdict in words).
    ///
    /// ## Remediation
    /// Remove the delegation (`az managedservices assignment delete --assignment <id>`), or
    /// add the tenant to `[[third_parties]]` after review and replace write roles with
    /// Reader for a read partner.
    pub struct LighthousePartners {
        id: "azure-lighthouse-partners",
        title: "Azure Lighthouse delegations go only to listed partners, at their access level",
        severity: High,
        provider: Azure,
        kinds: [AzureLighthouseAssignment],
        controls: [AccessAuthorization, AccessControl],
    }
}

/// Built-in roles that only read (their role definition GUIDs).
const READ_ONLY_ROLES: [(&str, &str); 6] = [
    ("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader"),
    ("39bc4728-0917-49c7-9d2c-d95423bc2eb4", "Security Reader"),
    ("43d0d8ad-25c7-4714-9337-8ba259a9fe05", "Monitoring Reader"),
    ("73c42c96-874c-492b-b04d-ab87d138a893", "Log Analytics Reader"),
    ("a795c7a0-091c-4a25-8a56-a2ac1e5c6ab4", "Backup Reader"),
    ("72fafb9e-0641-4937-9268-a91bfd8191a3", "Cost Management Reader"),
];

/// The read-only role a role definition id names (a bare GUID or a full
/// `.../roleDefinitions/<guid>` id), if it is one.
fn read_only(role: &str) -> Option<&'static str> {
    let guid = role.trim().rsplit('/').next().unwrap_or(role);
    READ_ONLY_ROLES
        .iter()
        .find(|(id, _)| id.eq_ignore_ascii_case(guid))
        .map(|(_, name)| *name)
}

impl Check for LighthousePartners {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let partners = ctx.config.partners();
        let today = ctx.now.date_naive();
        ctx.resources::<LighthouseAssignment>()
            .iter()
            .map(|a| {
                let writes = a.authorizations.iter().any(|x| read_only(&x.role_definition_id).is_none());
                let auths: Vec<serde_json::Value> = a
                    .authorizations
                    .iter()
                    .map(|x| json!({
                        "principal": x.principal_display_name.as_deref().unwrap_or(&x.principal_id),
                        "role_definition": x.role_definition_id,
                        "read_only_role": read_only(&x.role_definition_id),
                        "eligible": x.eligible,
                    }))
                    .collect();
                let tenant = a.managed_by_tenant_id.as_deref().unwrap_or("").trim();
                let base = |ok: bool| {
                    ctx.verdict(ok, &a.resource)
                        .evidence("managed_by_tenant", json!({"id": a.managed_by_tenant_id, "name": a.managed_by_tenant_name}))
                        .evidence("definition", &a.definition_name)
                        .evidence("authorizations", &auths)
                        .evidence("writes", writes)
                };
                if tenant.is_empty() {
                    return base(false)
                        .evidence("partner", Option::<()>::None)
                        .reason("The delegation names no managing tenant: who holds the access cannot be shown.")
                        .build();
                }
                let admission = partners.admit(External::AzureTenant(tenant), writes, today);
                let who = a.managed_by_tenant_name.as_deref().unwrap_or(tenant);
                base(admission.is_allowed())
                    .evidence("partner", admission.explain())
                    .reason(format!(
                        "Tenant {who} ({tenant}) holds {} access through this delegation: {}.",
                        if writes { "write" } else { "read-only" },
                        admission.explain()
                    ))
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::lighthouse_assignment;
    use crate::testing::{run, run_with, segmentation};
    use phiscan_core::{Inventory, Status};

    const ACME: &str = "7f3e0c52-1b8d-4f6a-9c2e-5d4b3a2f1e0d";
    const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    const CONTRIBUTOR: &str = "b24988ac-6180-42a0-ab88-20f7382dd24c";

    #[test]
    fn listed_tenants_at_their_access_level() {
        let mut inv = Inventory::new();
        inv.azure_lighthouse_assignments = vec![
            lighthouse_assignment("acme-read", ACME, &[READER]),
            lighthouse_assignment("acme-write", ACME, &[READER, CONTRIBUTOR]),
            lighthouse_assignment("stranger", "00000000-0000-0000-0000-00000000beef", &[READER]),
            lighthouse_assignment("acme-full-id", ACME, &[&format!("/providers/Microsoft.Authorization/roleDefinitions/{READER}")]),
            lighthouse_assignment("no-tenant", "", &[READER]),
        ];
        let f = run_with(&LighthousePartners, &inv, &segmentation());
        f.assert_statuses(&[
            ("acme-read", Status::Pass),
            ("acme-write", Status::Fail),
            ("stranger", Status::Fail),
            ("acme-full-id", Status::Pass),
            ("no-tenant", Status::Fail),
        ]);
        assert!(f.of("acme-write").reason.contains("listed for read access but is granted write"));
        // Without a partner list, every delegation is a finding.
        assert_eq!(run(&LighthousePartners, &inv).status_of("acme-read"), Status::Fail);
    }
}
