//! Resource Manager: the ACTIVE projects the credentials can see, when no `--project`
//! names them, and each project's IAM audit configuration.

use std::collections::HashMap;

use google_cloud_resourcemanager_v3::model::project::State;

use super::api::{Gcp, Service};
use super::resource;
use crate::model::gcp::{
    AuditConfig, AuditLogConfig, IamBinding, IamCondition, ProjectAuditConfig,
};
use crate::model::ResourceKind;

/// Page size of `projects.search` (the API's maximum).
const PAGE_SIZE: i32 = 500;

/// (project id, display name) of every ACTIVE project visible to the credentials, sorted.
pub(super) async fn active_projects(gcp: &Gcp) -> Result<Vec<(String, Option<String>)>, String> {
    let mut out = Vec::new();
    let mut token = String::new();
    loop {
        let page = gcp
            .send(
                Service::ResourceManager,
                "projects.search",
                "-",
                None,
                || {
                    gcp.clients
                        .projects
                        .search_projects()
                        .set_query("state:ACTIVE")
                        .set_page_size(PAGE_SIZE)
                        .set_page_token(token.clone())
                        .send()
                },
            )
            .await
            .map_err(|f| f.reason(Service::ResourceManager, "projects.search", "(any)"))?;
        out.extend(
            page.projects
                .into_iter()
                // The query already asks for ACTIVE; a project being deleted is out of scope.
                .filter(|p| p.state == State::Active && !p.project_id.is_empty())
                .map(|p| {
                    let name = (!p.display_name.is_empty()).then_some(p.display_name);
                    (p.project_id, name)
                }),
        );
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    Ok(out)
}

/// The project's own audit configuration and IAM bindings, from `projects.getIamPolicy` (a
/// POST that only reads; its body carries the request options). `requestedPolicyVersion` 3:
/// conditional bindings come back with their role and their condition (a version-1 read
/// marks them `<role>_withcond_<hash>` and drops the condition, which the third-party check
/// needs to see whether a partner's grant ends).
pub(super) async fn audit_config(gcp: &Gcp, project: &str) {
    const OP: &str = "projects.getIamPolicy";
    let kind = ResourceKind::GcpProjectAuditConfig;
    let policy = gcp
        .send(Service::ResourceManager, OP, project, None, || {
            gcp.clients
                .projects
                .get_iam_policy()
                .set_resource(format!("projects/{project}"))
                .set_options(
                    google_cloud_iam_v1::model::GetPolicyOptions::new()
                        .set_requested_policy_version(3),
                )
                .send()
        })
        .await;
    let policy = match policy {
        Ok(p) => p,
        Err(f) => {
            gcp.failed(&[kind], project, None, Service::ResourceManager, OP, &f);
            return;
        }
    };
    let out = ProjectAuditConfig {
        resource: resource(
            kind,
            project,
            "global",
            format!("//cloudresourcemanager.googleapis.com/projects/{project}"),
            project,
            HashMap::new(),
        ),
        audit_configs: policy
            .audit_configs
            .into_iter()
            .map(|c| AuditConfig {
                service: c.service,
                log_configs: c
                    .audit_log_configs
                    .into_iter()
                    .map(|l| AuditLogConfig {
                        log_type: l
                            .log_type
                            .name()
                            .unwrap_or("LOG_TYPE_UNSPECIFIED")
                            .to_string(),
                        exempted_members: l.exempted_members,
                    })
                    .collect(),
            })
            .collect(),
        // A conditional binding is still a grant of its role (a conditional Owner is an
        // Owner while the condition holds).
        iam_bindings: Some(
            policy
                .bindings
                .into_iter()
                .map(|b| IamBinding {
                    role: b.role,
                    members: b.members,
                    condition: b.condition.map(|c| IamCondition {
                        expression: c.expression,
                        title: (!c.title.is_empty()).then_some(c.title),
                    }),
                })
                .collect(),
        ),
    };
    gcp.add(|inv| inv.gcp_project_audit_configs.push(out));
}
