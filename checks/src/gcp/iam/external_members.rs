use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::config::{Admission, External};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::IamBinding;
use serde_json::json;

use super::project_bindings::{base_role, per_project};

declare_check! {
    /// ## What it checks
    /// The project's IAM bindings name no user, group, domain, service account or federated
    /// identity outside the organization and the partner list. Inside the organization:
    /// members of its domains (`organization.gcp_domains`: IAM policies do not say which
    /// Cloud Identity domain the organization has, so phiscan is told), service accounts of
    /// the scanned projects, and Google-managed service agents (`*.gserviceaccount.com`
    /// identities Google creates per project, which name a project number phiscan cannot
    /// tie to a project). `allUsers` and `allAuthenticatedUsers` are always external. An
    /// external member must be on `[[third_parties]]` `gcp_members` (a `domain:` entry
    /// covers the domain's users, groups and service accounts), before the partner's
    /// `expires`, with a binding whose IAM condition ends it (`request.time < ...`), and a
    /// `read` partner may hold only viewer, reader, browser or security-reviewer roles (any
    /// other role, custom roles included, is write). Without `organization.gcp_domains` the
    /// check is NOT_APPLICABLE; without `[[third_parties]]` every external member fails.
    ///
    /// ## Why it matters
    /// Janus promises "Access granted to external parties is limited to the minimum
    /// necessary and granted only for the duration required", "Third parties are unable to
    /// make changes ... without explicit permission" and a reviewed list of partners (access
    /// authorization, 45 CFR 164.308(a)(4)(ii)(B); access control, 164.312(a)(1)).
    ///
    /// ## Evidence
    /// `organization_domains`, `external` (member, role, condition, whether the role writes,
    /// the partner-list verdict, and whether it is allowed) and `not_judged` (Google service
    /// agents).
    ///
    /// ## Remediation
    /// Remove the binding (`gcloud projects remove-iam-policy-binding <project>
    /// --member=<member> --role=<role>`), or list the partner and grant a read role with an
    /// end: `--condition='expression=request.time < timestamp("2027-06-30T00:00:00Z"),title=partner-review'`.
    pub struct IamExternalMembers {
        id: "gcp-iam-external-members",
        title: "Project IAM grants external members nothing beyond the partner list",
        severity: High,
        provider: Gcp,
        kinds: [GcpProjectAuditConfig],
        controls: [AccessAuthorization, AccessControl],
    }
}

/// Where an IAM member stands.
#[derive(Debug, PartialEq, Eq)]
enum Standing {
    Internal,
    /// A Google-managed service agent: not judged.
    GoogleManaged,
    /// Not a principal that can act (`deleted:...`).
    Deleted,
    External,
}

fn standing(member: &str, domains: &[String], projects: &[&str]) -> Standing {
    let m = member.trim();
    let lower = m.to_ascii_lowercase();
    if lower.starts_with("deleted:") {
        return Standing::Deleted;
    }
    let (kind, rest) = lower.split_once(':').unwrap_or(("", lower.as_str()));
    let domain = match kind {
        "domain" => rest,
        "user" | "group" | "serviceaccount" => rest.rsplit_once('@').map(|(_, d)| d).unwrap_or(""),
        _ => return Standing::External,
    };
    if kind == "serviceaccount" {
        // `name@<project>.iam.gserviceaccount.com`, `<project>@appspot.gserviceaccount.com`.
        if let Some(project) = domain.strip_suffix(".iam.gserviceaccount.com") {
            if project.starts_with("gcp-sa-") {
                return Standing::GoogleManaged;
            }
            return if projects.contains(&project) { Standing::Internal } else { Standing::External };
        }
        if domain == "appspot.gserviceaccount.com" {
            let project = rest.split('@').next().unwrap_or("");
            return if projects.contains(&project) { Standing::Internal } else { Standing::External };
        }
        if domain.ends_with(".gserviceaccount.com") {
            return Standing::GoogleManaged;
        }
    }
    if domains.iter().any(|d| d.trim().eq_ignore_ascii_case(domain)) {
        Standing::Internal
    } else {
        Standing::External
    }
}

/// Whether a role only reads (predefined viewer/reader/browser/security-reviewer roles).
fn read_only(role: &str) -> bool {
    let role = base_role(role);
    let Some(name) = role.strip_prefix("roles/") else {
        return false; // custom roles: phiscan does not read their permissions here
    };
    let last = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    name == "browser" || last.ends_with("viewer") || last.ends_with("reader") || last == "securityreviewer"
}

/// Whether the binding's condition ends the grant at a time.
fn ends(b: &IamBinding) -> bool {
    b.condition.as_ref().is_some_and(|c| {
        let e: String = c.expression.chars().filter(|c| !c.is_whitespace()).collect();
        e.contains("request.time<")
    })
}

impl Check for IamExternalMembers {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let domains = &ctx.config.organization.gcp_domains;
        let projects: Vec<&str> = ctx
            .inventory
            .scopes
            .iter()
            .filter(|s| s.provider == phiscan_core::Provider::Gcp)
            .map(|s| s.account.as_str())
            .collect();
        let partners = ctx.config.partners();
        let today = ctx.now.date_naive();
        per_project(ctx, |p, bindings| {
            if domains.is_empty() {
                return ctx
                    .not_applicable(&p.resource)
                    .evidence("organization_domains", domains)
                    .reason("`organization.gcp_domains` is not set in phiscan.toml: without the organization's own domains phiscan cannot tell its members from external ones (docs/config.md, [organization])")
                    .build();
            }
            let mut own_projects = projects.clone();
            own_projects.push(p.resource.account.as_str());
            let mut bad = Vec::new();
            let mut external = Vec::new();
            let mut not_judged = Vec::new();
            for b in bindings {
                for m in &b.members {
                    match standing(m, domains, &own_projects) {
                        Standing::Internal => continue,
                        Standing::GoogleManaged | Standing::Deleted => {
                            not_judged.push(json!({"member": m, "role": b.role}));
                            continue;
                        }
                        Standing::External => {}
                    }
                    let writes = !read_only(&b.role);
                    let public = matches!(m.as_str(), "allUsers" | "allAuthenticatedUsers");
                    let admission = if public { Admission::Stranger } else { partners.admit(External::GcpMember(m), writes, today) };
                    let why = match (&admission, ends(b)) {
                        (Admission::Allowed(_), false) => Some(format!("{m} holds {} with no IAM condition that ends it", b.role)),
                        (Admission::Allowed(_), true) => None,
                        (other, _) => Some(format!("{m} holds {}: {}", b.role, other.explain())),
                    };
                    external.push(json!({
                        "member": m, "role": b.role,
                        "condition": b.condition.as_ref().map(|c| &c.expression),
                        "writes": writes, "partner": admission.explain(), "allowed": why.is_none(),
                    }));
                    bad.extend(why);
                }
            }
            let reason = if bad.is_empty() {
                format!("Every member outside {} is a listed partner, within its access level and dates, under a condition that ends it.", domains.join(", "))
            } else {
                format!("{}.", bad.join("; "))
            };
            ctx.verdict(bad.is_empty(), &p.resource)
                .evidence("organization_domains", domains)
                .evidence("external", external)
                .evidence("not_judged", not_judged)
                .reason(reason)
                .build()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{iam_binding, project_audit_config};
    use crate::testing::{run, run_with, segmentation};
    use phiscan_core::model::gcp::IamCondition;
    use phiscan_core::{Inventory, Status};

    fn until(b: IamBinding, day: &str) -> IamBinding {
        IamBinding {
            condition: Some(IamCondition {
                expression: format!("request.time < timestamp(\"{day}T00:00:00Z\")"),
                title: None,
            }),
            ..b
        }
    }

    fn project(id: &str, bindings: Vec<IamBinding>) -> phiscan_core::model::gcp::ProjectAuditConfig {
        let mut p = project_audit_config(id);
        p.iam_bindings = Some(bindings);
        p
    }

    #[test]
    fn members_outside_the_organization_must_be_ending_partners_at_their_level() {
        let own = || {
            vec![
                iam_binding("roles/owner", &["group:admins@janushcp.example"]),
                iam_binding("roles/editor", &["serviceAccount:ci@proj-1.iam.gserviceaccount.com"]),
                iam_binding("roles/editor", &["serviceAccount:123-compute@developer.gserviceaccount.com"]),
                iam_binding("roles/viewer", &["deleted:user:old@janushcp.example?uid=1"]),
            ]
        };
        let mut inv = Inventory::new();
        let with = |extra: IamBinding| {
            let mut b = own();
            b.push(extra);
            b
        };
        inv.gcp_project_audit_configs = vec![
            project("internal", own()),
            project("partner-read", with(until(iam_binding("roles/viewer", &["user:ops@acme-backup.example"]), "2027-01-01"))),
            project("partner-no-end", with(iam_binding("roles/viewer", &["domain:acme-backup.example"]))),
            project("partner-editor", with(until(iam_binding("roles/editor", &["user:ops@acme-backup.example"]), "2027-01-01"))),
            project("stranger", with(iam_binding("roles/storage.objectViewer", &["user:jane@gmail.com"]))),
            project("public", with(iam_binding("roles/viewer", &["allUsers"]))),
            project("other-project-sa", with(iam_binding("roles/viewer", &["serviceAccount:x@elsewhere.iam.gserviceaccount.com"]))),
        ];
        let mut config = segmentation();
        config.organization.gcp_domains = vec!["janushcp.example".into()];
        let f = run_with(&IamExternalMembers, &inv, &config);
        f.assert_statuses(&[
            ("internal", Status::Pass),
            ("partner-read", Status::Pass),
            ("partner-no-end", Status::Fail),
            ("partner-editor", Status::Fail),
            ("stranger", Status::Fail),
            ("public", Status::Fail),
            ("other-project-sa", Status::Fail),
        ]);
        assert!(f.of("partner-no-end").reason.contains("no IAM condition"));
        assert!(f.of("partner-editor").reason.contains("granted write"));
        // Without the partner list, the partner is a stranger like any other.
        config.third_parties.clear();
        assert_eq!(run_with(&IamExternalMembers, &inv, &config).status_of("partner-read"), Status::Fail);
        // Without the organization's domains nothing can be judged.
        let none = run(&IamExternalMembers, &inv);
        assert_eq!(none.status_of("internal"), Status::NotApplicable);
        assert!(none.of("internal").reason.contains("organization.gcp_domains"));
    }

    #[test]
    fn read_roles() {
        for r in ["roles/viewer", "roles/browser", "roles/storage.objectViewer", "roles/bigquery.dataViewer", "roles/iam.securityReviewer", "roles/secretmanager.secretAccessor_x"] {
            assert_eq!(read_only(r), !r.ends_with("_x"), "{r}");
        }
        for r in ["roles/editor", "roles/owner", "roles/storage.admin", "projects/p/roles/custom"] {
            assert!(!read_only(r), "{r}");
        }
    }
}
