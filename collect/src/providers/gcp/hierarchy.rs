//! `--folder` / `--organization`: every ACTIVE project under a folder or an organization,
//! nested folders included, with Resource Manager v3 `folders.list` and `projects.list`
//! (the official client's `Folders` and `Projects` services).
//!
//! Why list and not search: `folders.list` and `projects.list` answer for one parent
//! exactly (strongly consistent, `resourcemanager.folders.list` / `projects.list` on it),
//! while `search` is eventually consistent and filtered by what the caller can `get`.
//! The walk is breadth-first, one level of folders at a time; a folder seen twice is read
//! once.
//!
//! A container that cannot be listed stops the scan (a setup error naming the container
//! and the permission): the projects it holds are unknown, and a report without them would
//! read as complete.

use std::collections::{BTreeMap, BTreeSet};

use futures::future::join_all;

use google_cloud_resourcemanager_v3::model::folder::State as FolderState;
use google_cloud_resourcemanager_v3::model::project::State as ProjectState;

use super::api::{all_pages, Gcp, Service};
use super::failure::Failure;

/// Page size of `folders.list` and `projects.list` (the API's maximum).
const PAGE_SIZE: i32 = 1000;
/// Containers read before giving up (a folder cycle would otherwise never end; Google
/// allows at most 10 levels of folders and 300 folders per parent).
const MAX_CONTAINERS: usize = 10_000;

/// The words of a setup error for `container` (`folders/123`, `organizations/456`).
pub(super) fn setup_error(container: &str, operation: &str, f: &Failure) -> String {
    let permission = match operation {
        "folders.list" => "resourcemanager.folders.list",
        _ => "resourcemanager.projects.list",
    };
    let why = if f.error_reason.as_deref() == Some("SERVICE_DISABLED") {
        // The API is checked in the project the credentials bill to, not in the folder.
        format!(
            "the Cloud Resource Manager API (cloudresourcemanager.googleapis.com) is not enabled in the credentials' quota project; enable it with `gcloud services enable cloudresourcemanager.googleapis.com` ({})",
            f.reason(Service::ResourceManager, operation, "-")
        )
    } else {
        f.reason(Service::ResourceManager, operation, "-")
    };
    format!(
        "cannot list what {container} holds with Resource Manager {operation}: {why}; the credentials need {permission} on {container} (roles/browser on it grants it)"
    )
}

/// (project id, display name) of every ACTIVE project under `roots`, sorted.
///
/// Level by level: the containers of one level are read concurrently (the per-service
/// request limit of [`Gcp`] bounds them), and the error reported is that of the first
/// failed container in the level's order, so the same estate gives the same message.
pub(super) async fn projects_under(
    gcp: &Gcp,
    roots: &[String],
) -> Result<Vec<(String, Option<String>)>, String> {
    let mut level: Vec<String> = roots.to_vec();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut out: BTreeMap<String, Option<String>> = BTreeMap::new();
    while !level.is_empty() {
        level.retain(|c| seen.insert(c.clone()));
        if seen.len() > MAX_CONTAINERS {
            return Err(format!(
                "more than {MAX_CONTAINERS} folders under {}: stopping (a folder cycle?)",
                roots.join(", ")
            ));
        }
        let read = join_all(level.iter().map(|container| async move {
            let projects = projects_in(gcp, container).await?;
            let folders = folders_in(gcp, container).await?;
            Ok::<_, String>((projects, folders))
        }))
        .await;
        let mut next = Vec::new();
        for got in read {
            let (projects, folders) = got?;
            for (id, name) in projects {
                out.entry(id).or_insert(name);
            }
            next.extend(folders);
        }
        level = next;
    }
    Ok(out.into_iter().collect())
}

/// The ACTIVE projects directly under `parent`.
async fn projects_in(gcp: &Gcp, parent: &str) -> Result<Vec<(String, Option<String>)>, String> {
    const OP: &str = "projects.list";
    all_pages(|token| async move {
        let page = gcp
            .send(Service::ResourceManager, OP, "-", None, || {
                gcp.clients
                    .projects
                    .list_projects()
                    .set_parent(parent)
                    .set_page_size(PAGE_SIZE)
                    .set_page_token(token.clone())
                    .send()
            })
            .await?;
        let active = page
            .projects
            .into_iter()
            .filter(|p| p.state == ProjectState::Active && !p.project_id.is_empty())
            .map(|p| {
                let name = (!p.display_name.is_empty()).then_some(p.display_name);
                (p.project_id, name)
            })
            .collect();
        Ok((active, page.next_page_token))
    })
    .await
    .map_err(|(_, f)| setup_error(parent, OP, &f))
}

/// The ACTIVE folders directly under `parent`, as `folders/<id>`.
async fn folders_in(gcp: &Gcp, parent: &str) -> Result<Vec<String>, String> {
    const OP: &str = "folders.list";
    all_pages(|token| async move {
        let page = gcp
            .send(Service::ResourceManager, OP, "-", None, || {
                gcp.clients
                    .folders
                    .list_folders()
                    .set_parent(parent)
                    .set_page_size(PAGE_SIZE)
                    .set_page_token(token.clone())
                    .send()
            })
            .await?;
        let active = page
            .folders
            .into_iter()
            // A folder being deleted holds no ACTIVE project.
            .filter(|f| f.state == FolderState::Active && f.name.starts_with("folders/"))
            .map(|f| f.name)
            .collect();
        Ok((active, page.next_page_token))
    })
    .await
    .map_err(|(_, f)| setup_error(parent, OP, &f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_errors_name_the_container_and_the_permission() {
        let f = Failure {
            http_status: Some(403),
            status: Some("PERMISSION_DENIED".into()),
            message: "The caller does not have permission".into(),
            ..Default::default()
        };
        let msg = setup_error("folders/123", "folders.list", &f);
        assert!(msg.contains("folders/123"), "{msg}");
        assert!(msg.contains("resourcemanager.folders.list"), "{msg}");
        let msg = setup_error("organizations/9", "projects.list", &f);
        assert!(
            msg.contains("resourcemanager.projects.list on organizations/9"),
            "{msg}"
        );
        let disabled = Failure {
            http_status: Some(403),
            error_reason: Some("SERVICE_DISABLED".into()),
            ..f
        };
        let msg = setup_error("folders/123", "folders.list", &disabled);
        assert!(
            msg.contains("gcloud services enable cloudresourcemanager.googleapis.com"),
            "{msg}"
        );
    }
}
