//! Resource Manager: the ACTIVE projects the credentials can see, when no `--project`
//! names them.

use google_cloud_resourcemanager_v3::model::project::State;

use super::api::{Gcp, Service};

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
