//! IAM roles, once per account in the partition's IAM region (resources get region
//! `global`): GetAccountAuthorizationDetails filtered to Role and LocalManagedPolicy, one
//! paginated call that holds each role's trust policy, its inline policies, the
//! customer-managed policies attached (with their versions) and its tags. AWS-managed
//! policies are kept by name: their documents are AWS's, and their names say whether they
//! only read (`ReadOnlyAccess`, `...ReadOnly...`).

use std::collections::BTreeMap;

use aws_sdk_iam::types::EntityType;

use super::{iam::decode_document, reason, Aws};
use crate::model::aws::IamRole;
use crate::model::{ResourceKind, Tags};

const GLOBAL: &str = "global";

pub(crate) async fn roles(aws: &Aws) {
    let kind = ResourceKind::AwsIamRole;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("IAM", GLOBAL).await;
        aws.iam()
            .get_account_authorization_details()
            .filter(EntityType::Role)
            .filter(EntityType::LocalManagedPolicy)
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let pages = match pages {
        Ok(p) => p,
        Err(e) => return aws.error(None, kind, reason(&e, "iam:GetAccountAuthorizationDetails")),
    };
    // Customer-managed policy ARN -> its default version's document.
    let mut managed: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for p in pages.iter().flat_map(|p| p.policies()) {
        let doc = p
            .policy_version_list()
            .iter()
            .find(|v| v.is_default_version())
            .and_then(|v| v.document());
        if let (Some(arn), Some(doc)) = (p.arn(), doc) {
            managed.insert(arn.to_string(), decode_document(doc));
        }
    }
    let mut out = Vec::new();
    for r in pages.iter().flat_map(|p| p.role_detail_list()) {
        let (Some(arn), Some(name)) = (r.arn(), r.role_name()) else {
            continue;
        };
        let tags: Tags = r
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect();
        let mut role = IamRole {
            resource: aws.resource(kind, GLOBAL, arn.to_string(), name, tags),
            role_name: name.to_string(),
            trust_policy: r.assume_role_policy_document().map(decode_document),
            aws_managed_policies: Vec::new(),
            permission_documents: r
                .role_policy_list()
                .iter()
                .filter_map(|p| p.policy_document().map(decode_document))
                .collect(),
            unresolved_policies: Vec::new(),
        };
        for p in r.attached_managed_policies() {
            let Some(parn) = p.policy_arn() else { continue };
            if parn.contains(":iam::aws:policy/") {
                role.aws_managed_policies
                    .push(p.policy_name().unwrap_or(parn).to_string());
            } else if let Some(doc) = managed.get(parn) {
                role.permission_documents.push(doc.clone());
            } else {
                role.unresolved_policies.push(parn.to_string());
            }
        }
        out.push(role);
    }
    aws.add(|inv| inv.aws_iam_roles.extend(out));
}
