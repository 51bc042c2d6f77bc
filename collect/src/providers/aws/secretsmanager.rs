//! Secrets Manager secrets: ListSecrets (paginated) carries rotation, key and tags, so no
//! per-secret call is made and no secret value is ever read. The key, when one is named, is
//! classified with [`key_owner::key_managers`]; a key that cannot be classified is an error
//! for that secret only (the record stays, its manager `None`).

use std::collections::BTreeSet;

use super::{key_owner, reason, tags_of, to_chrono, Aws, RegionShared};
use crate::model::aws::Secret;
use crate::model::{CollectionError, ResourceKind};

pub(crate) async fn secrets(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsSecretsManagerSecret;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("Secrets Manager", &s.region).await;
        aws.secretsmanager(&s.region)
            .list_secrets()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let entries: Vec<aws_sdk_secretsmanager::types::SecretListEntry> = match pages {
        Ok(p) => p
            .into_iter()
            .flat_map(|o| o.secret_list.unwrap_or_default())
            .collect(),
        Err(e) => {
            return aws.error(
                Some(&s.region),
                kind,
                reason(&e, "secretsmanager:ListSecrets"),
            )
        }
    };
    let keys: BTreeSet<String> = entries
        .iter()
        .filter_map(|e| e.kms_key_id().map(str::to_string))
        .collect();
    let managers = key_owner::key_managers(aws, s, keys).await;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for e in &entries {
        let (Some(arn), Some(name)) = (e.arn(), e.name()) else {
            continue;
        };
        let tags = tags_of(e.tags(), |t| t.key(), |t| t.value());
        let resource = aws.resource(kind, &s.region, arn.to_string(), name, tags);
        let key = e.kms_key_id();
        let manager = match key.map(|k| (k, managers.get(k))) {
            None => None,
            Some((_, Some(Ok(m)))) => Some(m.clone()),
            Some((_, Some(Err(why)))) => {
                errors.push(CollectionError::of_resource(
                    &resource,
                    "kms:DescribeKey",
                    why.clone(),
                ));
                None
            }
            Some((k, None)) => {
                let why = format!("key {k} not classified");
                errors.push(CollectionError::of_resource(
                    &resource,
                    "kms:DescribeKey",
                    why,
                ));
                None
            }
        };
        out.push(Secret {
            resource,
            rotation_enabled: e.rotation_enabled().unwrap_or(false),
            rotation_days: e
                .rotation_rules()
                .and_then(|r| r.automatically_after_days()),
            last_rotated: e.last_rotated_date().and_then(to_chrono),
            kms_key_id: key.map(str::to_string),
            kms_key_manager: manager,
        });
    }
    aws.add(|inv| {
        inv.aws_secretsmanager_entries.extend(out);
        inv.errors.extend(errors);
    });
}
