//! The project IAM policy's bindings, shared by the checks that read them: an inventory
//! saved before they were collected has none, which is an ERROR, never "no bindings".

use phiscan_core::check::{Ctx, Finding, FindingError};
use phiscan_core::model::gcp::{IamBinding, ProjectAuditConfig};

use crate::gcp::shared::grants_evidence;

/// The basic roles that reach every resource of the project.
const OWNER_OR_EDITOR: [&str; 2] = ["roles/owner", "roles/editor"];

/// Each project's verdict: FAIL naming every grant of Owner or Editor to a member `who`
/// accepts (under evidence `key`), PASS saying `none` otherwise; ERROR where the bindings
/// are unknown.
pub fn no_owner_or_editor(
    ctx: &Ctx,
    who: fn(&str) -> bool,
    key: &'static str,
    none: &str,
) -> Result<Vec<Finding>, FindingError> {
    per_project(ctx, |p, bindings| {
        let grants: Vec<(&str, Vec<&str>)> = bindings
            .iter()
            .filter(|b| OWNER_OR_EDITOR.contains(&base_role(&b.role)))
            .filter_map(|b| {
                let members: Vec<&str> = b.members.iter().map(String::as_str).filter(|m| who(m)).collect();
                (!members.is_empty()).then_some((b.role.as_str(), members))
            })
            .collect();
        let reason = if grants.is_empty() {
            none.to_string()
        } else {
            let list: Vec<String> = grants.iter().map(|(r, m)| format!("{r} to {}", m.join(", "))).collect();
            format!("The project's IAM policy grants {}.", list.join("; "))
        };
        ctx.verdict(grants.is_empty(), &p.resource)
            .evidence(key, grants_evidence(&grants))
            .reason(reason)
            .build()
    })
}

/// Each project's verdict from `judge(bindings)`, or ERROR where its bindings are unknown.
pub(crate) fn per_project<'a>(
    ctx: &Ctx<'a>,
    judge: impl Fn(&'a ProjectAuditConfig, &'a [IamBinding]) -> Result<Finding, FindingError>,
) -> Result<Vec<Finding>, FindingError> {
    ctx.resources::<ProjectAuditConfig>()
        .iter()
        .map(|p| match &p.iam_bindings {
            Some(b) => judge(p, b),
            None => ctx
                .error(&p.resource)
                .evidence("iam_bindings", Option::<()>::None)
                .reason("The inventory has no IAM bindings for this project (saved by an older phiscan); scan again.")
                .build(),
        })
        .collect()
}

/// The role of a binding without the `_withcond_<hash>` suffix a version-1 policy read
/// gives conditional bindings: a conditional Editor is still an Editor grant.
pub(crate) fn base_role(role: &str) -> &str {
    role.split("_withcond_").next().unwrap_or(role)
}
