//! Who manages a KMS key that encrypts a resource (a backup vault, a DynamoDB table):
//! `CUSTOMER` or `AWS`.
//!
//! Decision: DescribeKey's `KeyManager` decides, except that a key with an `alias/aws/...`
//! alias is AWS managed whatever DescribeKey says. Only AWS can create aliases under
//! `alias/aws/` (the prefix is reserved), and moto creates its service default keys
//! (`alias/aws/dynamodb`, `alias/aws/ebs`) with `KeyManager=CUSTOMER`: without the alias
//! rule a scan of moto would call an AWS managed key customer managed and pass it.
//! The aliases come from one ListAliases per region; a failed ListAliases is an error
//! (the rule cannot be applied), not a silent fallback to KeyManager.

use std::collections::{BTreeMap, BTreeSet};

use super::{each, reason, Aws, RegionShared};

/// `arn -> Ok("CUSTOMER" | "AWS")` or `Err(reason)`, for every key in `arns`.
pub(crate) async fn key_managers(
    aws: &Aws,
    s: &RegionShared,
    arns: BTreeSet<String>,
) -> BTreeMap<String, Result<String, String>> {
    if arns.is_empty() {
        return BTreeMap::new();
    }
    let aws_managed_ids: BTreeSet<String> = match s.kms_aliases(aws).await {
        Ok(entries) => entries
            .iter()
            .filter(|a| a.alias_name().is_some_and(|n| n.starts_with("alias/aws/")))
            .filter_map(|a| a.target_key_id().map(str::to_string))
            .collect(),
        Err(e) => return arns.into_iter().map(|a| (a, Err(e.clone()))).collect(),
    };
    let client = aws.kms(&s.region);
    let described = each(
        aws.semaphore("KMS", &s.region),
        arns.into_iter().collect(),
        move |arn: String| {
            let client = client.clone();
            async move {
                let r = client.describe_key().key_id(&arn).send().await;
                (arn, r)
            }
        },
    )
    .await;
    described
        .into_iter()
        .map(|(arn, r)| {
            let owner = match r {
                Ok(o) => match o.key_metadata {
                    Some(m) if aws_managed_ids.contains(m.key_id()) => Ok("AWS".to_string()),
                    Some(m) => m
                        .key_manager()
                        .map(|k| k.as_str().to_string())
                        .ok_or_else(|| {
                            format!("{arn}: the answer has no KeyManager (kms:DescribeKey)")
                        }),
                    None => Err(format!(
                        "{arn}: the answer has no KeyMetadata (kms:DescribeKey)"
                    )),
                },
                Err(e) => Err(format!("{arn}: {}", reason(&e, "kms:DescribeKey"))),
            };
            (arn, owner)
        })
        .collect()
}
