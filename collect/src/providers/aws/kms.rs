//! KMS keys: ListKeys and ListAliases per region, then per key DescribeKey, GetKeyPolicy
//! (policy `default`), ListResourceTags for customer keys, and GetKeyRotationStatus only
//! where rotation exists: customer-managed symmetric keys with KMS-generated material that
//! are not pending deletion or import. Elsewhere `rotation_enabled` stays `None`.
//!
//! A key whose detail read fails (policy, rotation, tags) is an error for that key only and
//! stays with that field unknown; one whose DescribeKey fails is an error for that key,
//! without a record.
//!
//! Note (moto): the EBS default key moto creates says `KeyManager=CUSTOMER` where AWS says
//! `AWS`; the model reports what DescribeKey says.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_kms::types::{KeyManagerType, KeyMetadata, KeySpec, KeyState, OriginType};

use super::{each, reason, Aws, RegionShared};
use crate::model::aws::KmsKey;
use crate::model::{CollectionError, ResourceKind, Tags};

struct KeyFacts {
    meta: KeyMetadata,
    rotation: Option<bool>,
    policy: Option<serde_json::Value>,
    tags: Tags,
    /// Reads that failed (operation, reason): their fields stay `None` / empty, unknown.
    failed: Vec<(&'static str, String)>,
}

fn rotation_applies(m: &KeyMetadata, aws_managed: bool) -> bool {
    !aws_managed
        && m.key_manager() == Some(&KeyManagerType::Customer)
        && m.key_spec() == Some(&KeySpec::SymmetricDefault)
        && m.origin().is_none_or(|o| *o == OriginType::AwsKms)
        && !matches!(
            m.key_state(),
            Some(KeyState::PendingDeletion | KeyState::PendingImport)
        )
}

/// One key's facts; `Err` (with the key id) when DescribeKey fails, since without its
/// metadata there is no key record to keep.
async fn key_facts(
    client: aws_sdk_kms::Client,
    key_id: String,
    aws_managed: bool,
) -> Result<KeyFacts, (String, String)> {
    const DESCRIBE: &str = "kms:DescribeKey";
    let meta = match client.describe_key().key_id(&key_id).send().await {
        Ok(o) => o.key_metadata,
        Err(e) => return Err((key_id, reason(&e, DESCRIBE))),
    };
    let Some(meta) = meta else {
        return Err((
            key_id,
            format!("the answer has no KeyMetadata ({DESCRIBE})"),
        ));
    };
    let mut failed = Vec::new();
    let rotation = if rotation_applies(&meta, aws_managed) {
        let op = "kms:GetKeyRotationStatus";
        match client
            .get_key_rotation_status()
            .key_id(&key_id)
            .send()
            .await
        {
            Ok(r) => Some(r.key_rotation_enabled()),
            Err(e) => {
                failed.push((op, reason(&e, op)));
                None
            }
        }
    } else {
        None
    };
    let op = "kms:GetKeyPolicy";
    let policy = match client
        .get_key_policy()
        .key_id(&key_id)
        .policy_name("default")
        .send()
        .await
    {
        Ok(o) => o
            .policy
            .map(|p| serde_json::from_str(&p).unwrap_or(serde_json::Value::String(p))),
        Err(e) => {
            failed.push((op, reason(&e, op)));
            None
        }
    };
    let mut tags = Tags::new();
    if !aws_managed && meta.key_manager() == Some(&KeyManagerType::Customer) {
        let pages: Result<Vec<_>, _> = client
            .list_resource_tags()
            .key_id(&key_id)
            .into_paginator()
            .send()
            .collect()
            .await;
        let op = "kms:ListResourceTags";
        match pages {
            Ok(pages) => {
                for t in pages.iter().flat_map(|p| p.tags()) {
                    tags.insert(t.tag_key().to_string(), t.tag_value().to_string());
                }
            }
            Err(e) => failed.push((op, reason(&e, op))),
        }
    }
    Ok(KeyFacts {
        meta,
        rotation,
        policy,
        tags,
        failed,
    })
}

pub(crate) async fn keys(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsKmsKey;
    let keys = {
        let _permit = aws.permit("KMS", &s.region).await;
        let keys: Result<Vec<_>, _> = aws
            .kms(&s.region)
            .list_keys()
            .into_paginator()
            .send()
            .collect()
            .await;
        keys
    };
    let keys: Vec<String> = match keys {
        Ok(p) => p
            .iter()
            .flat_map(|o| o.keys())
            .filter_map(|k| k.key_id().map(str::to_string))
            .collect(),
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "kms:ListKeys")),
    };
    // The first alias (sorted) names a key; aliases are only names, so a failure here is
    // not worth an error: the key id names the key instead.
    let mut alias_of: BTreeMap<String, String> = BTreeMap::new();
    // Only AWS can create aliases under the reserved `alias/aws/` prefix, so such a key is
    // AWS managed whatever DescribeKey says (moto creates its service default keys, like
    // `alias/aws/ebs` and `alias/aws/dynamodb`, with KeyManager=CUSTOMER). The same rule as
    // `key_owner`; without aliases, DescribeKey decides (AWS itself answers correctly).
    let mut aws_managed: BTreeSet<String> = BTreeSet::new();
    if let Ok(entries) = s.kms_aliases(aws).await {
        let mut all: Vec<(String, String)> = entries
            .iter()
            .filter_map(|a| Some((a.target_key_id()?.to_string(), a.alias_name()?.to_string())))
            .collect();
        all.sort();
        for (key, alias) in all {
            if alias.starts_with("alias/aws/") {
                aws_managed.insert(key.clone());
            }
            alias_of.entry(key).or_insert(alias);
        }
    }

    let client = aws.kms(&s.region);
    let managed = aws_managed.clone();
    let facts = each(aws.semaphore("KMS", &s.region), keys, move |id| {
        let is_aws = managed.contains(&id);
        key_facts(client.clone(), id, is_aws)
    })
    .await;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let key_arn = |id: &str| aws.arn("kms", &s.region, aws.account(), &format!("key/{id}"));
    for f in facts {
        let f = match f {
            Ok(f) => f,
            // No metadata, no record: an error for this key alone, named by its ARN.
            Err((id, why)) => {
                let key = aws.resource(kind, &s.region, key_arn(&id), &id, Tags::new());
                errors.push(CollectionError::of_resource(&key, "kms:DescribeKey", why));
                continue;
            }
        };
        let m = &f.meta;
        let key_id = m.key_id().to_string();
        let arn = m
            .arn()
            .map(str::to_string)
            .unwrap_or_else(|| key_arn(&key_id));
        let name = alias_of
            .get(&key_id)
            .cloned()
            .unwrap_or_else(|| key_id.clone());
        let resource = aws.resource(kind, &s.region, arn, &name, f.tags);
        errors.extend(
            f.failed
                .into_iter()
                .map(|(op, why)| CollectionError::of_resource(&resource, op, why)),
        );
        out.push(KmsKey {
            resource,
            key_manager: if aws_managed.contains(&key_id) {
                KeyManagerType::Aws.as_str().to_string()
            } else {
                m.key_manager()
                    .map(|x| x.as_str().to_string())
                    .unwrap_or_default()
            },
            key_spec: m
                .key_spec()
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            key_state: m
                .key_state()
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            origin: m.origin().map(|x| x.as_str().to_string()),
            rotation_enabled: f.rotation,
            policy: f.policy,
            key_id,
        });
    }
    aws.add(|inv| {
        inv.aws_kms_keys.extend(out);
        inv.errors.extend(errors);
    });
}
