//! S3: buckets (ListBuckets, then per bucket its region and six settings, with a client in
//! the bucket's region) and the account's public access block (S3 Control).
//!
//! Buckets outside the regions in scope are left out. "Not configured" answers are values,
//! not errors: ServerSideEncryptionConfigurationNotFoundError, NoSuchBucketPolicy,
//! NoSuchPublicAccessBlockConfiguration and NoSuchTagSet become `None` / no tags. Any
//! other failure reading a bucket's setting is an error for that bucket only (operation and
//! reason): the bucket stays in the inventory with that setting `None` (unknown), and the
//! engine reports ERROR for it while every other bucket is judged. A bucket whose region
//! cannot be read is an error for that bucket in no particular region. Only a failed
//! ListBuckets makes the kind unknown (see the module doc of `aws`).
//!
//! moto: buckets have no implicit SSE-S3 (AWS encrypts every new bucket since January
//! 2023), so moto's buckets without a configuration read `default_encryption = None`,
//! which is what the API says.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_s3::types::PublicAccessBlockConfiguration;
use tokio::sync::Semaphore;

use super::{code, reason, Aws};
use crate::model::aws::{
    PublicAccessBlock, S3AccountPublicAccessBlock, S3Bucket, S3DefaultEncryption,
};
use crate::model::{CollectionError, ResourceKind, Tags};

fn bucket_arn(aws: &Aws, name: &str) -> String {
    format!("arn:{}:s3:::{name}", aws.partition)
}

/// GetBucketLocation's answer as a region: empty means us-east-1, `EU` eu-west-1.
fn location_region(constraint: Option<&str>) -> String {
    match constraint {
        None | Some("") => "us-east-1".to_string(),
        Some("EU") => "eu-west-1".to_string(),
        Some(r) => r.to_string(),
    }
}

fn pab(c: &PublicAccessBlockConfiguration) -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: c.block_public_acls().unwrap_or(false),
        ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
        block_public_policy: c.block_public_policy().unwrap_or(false),
        restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
    }
}

pub(crate) async fn buckets(aws: &Aws, regions: &[String]) {
    let kind = ResourceKind::AwsS3Bucket;
    let home = aws.s3(aws.home());
    let listed = {
        let _permit = aws.permit("S3", aws.home()).await;
        let pages: Result<Vec<_>, _> = home.list_buckets().into_paginator().send().collect().await;
        pages
    };
    let listed: Vec<(String, Option<String>)> = match listed {
        Ok(p) => p
            .iter()
            .flat_map(|o| o.buckets())
            .filter_map(|b| Some((b.name()?.to_string(), b.bucket_region().map(str::to_string))))
            .collect(),
        Err(e) => return aws.error(None, kind, reason(&e, "s3:ListBuckets")),
    };

    // Each bucket is located and then read in one task, so a bucket's settings are read
    // while other buckets are still being located: GetBucketLocation is one throttling
    // bucket for every bucket of the account (moto never says the region in ListBuckets),
    // and waiting for all of it, then reading region after region, added each region's
    // reads to its drain time (issue 21; BENCHMARKS.md "Latency and throttling").
    // Each step holds a permit of its own region's limit, never two at once.
    let home_limit = aws.semaphore("S3", aws.home());
    let in_scope: BTreeMap<String, (aws_sdk_s3::Client, Arc<Semaphore>)> = regions
        .iter()
        .map(|r| (r.clone(), (aws.s3(r), aws.semaphore("S3", r))))
        .collect();
    let in_scope = Arc::new(in_scope);
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (name, region)) in listed.into_iter().enumerate() {
        let (client, home_limit, in_scope) = (home.clone(), home_limit.clone(), in_scope.clone());
        tasks.spawn(async move {
            let region = match region {
                Some(r) => Ok(r),
                None => {
                    let _permit = home_limit
                        .acquire_owned()
                        .await
                        .expect("semaphore never closed");
                    let r = client.get_bucket_location().bucket(&name).send().await;
                    r.map(|o| location_region(o.location_constraint().map(|c| c.as_str())))
                        .map_err(|e| reason(&e, "s3:GetBucketLocation"))
                }
            };
            let read = match &region {
                Ok(r) => match in_scope.get(r) {
                    Some((client, limit)) => {
                        let _permit = limit
                            .clone()
                            .acquire_owned()
                            .await
                            .expect("semaphore never closed");
                        Some(bucket_facts(client.clone(), name.clone()).await)
                    }
                    None => None,
                },
                Err(_) => None,
            };
            (i, (name, region, read))
        });
    }
    // In listing order, as before the pipeline: errors of location first, then region by
    // region, buckets in listing order.
    let done = super::in_order(tasks).await;

    let mut by_region: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for (name, region, read) in done {
        match (region, read) {
            (Ok(region), Some(read)) => by_region.entry(region).or_default().push(read),
            // Outside the regions in scope.
            (Ok(_), None) => {}
            // Where the bucket lives is unknown (so is whether it is in scope): an error
            // for this bucket, in no region, that leaves every other bucket its verdicts.
            (Err(e), _) => {
                let bucket =
                    aws.resource(kind, "global", bucket_arn(aws, &name), &name, Tags::new());
                let mut error = CollectionError::of_resource(&bucket, "s3:GetBucketLocation", e);
                error.region = None;
                aws.add(|inv| inv.errors.push(error));
            }
        }
    }

    for (region, facts) in by_region {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for (mut b, failed) in facts {
            let name = b.resource.name.clone();
            b.resource = aws.resource(
                kind,
                &region,
                bucket_arn(aws, &name),
                &name,
                std::mem::take(&mut b.resource.tags),
            );
            errors.extend(
                failed
                    .into_iter()
                    .map(|(op, why)| CollectionError::of_resource(&b.resource, op, why)),
            );
            out.push(b);
        }
        aws.add(|inv| {
            inv.aws_s3_buckets.extend(out);
            inv.errors.extend(errors);
        });
    }
}

/// Every setting of one bucket that could be read, and for each read that failed, the
/// operation and why (that setting stays `None`: unknown, and the engine reports ERROR for
/// the bucket). The ResourceRef is filled in by the caller (name and tags ride along in it).
async fn bucket_facts(
    c: aws_sdk_s3::Client,
    name: String,
) -> (S3Bucket, Vec<(&'static str, String)>) {
    let mut failed: Vec<(&'static str, String)> = Vec::new();
    let mut fail = |op: &'static str, why: String| failed.push((op, why));

    let default_encryption = match c.get_bucket_encryption().bucket(&name).send().await {
        Ok(o) => o
            .server_side_encryption_configuration()
            .and_then(|c| c.rules().first())
            .and_then(|r| {
                let d = r.apply_server_side_encryption_by_default()?;
                Some(S3DefaultEncryption {
                    sse_algorithm: d.sse_algorithm().as_str().to_string(),
                    kms_master_key_id: d.kms_master_key_id().map(str::to_string),
                    bucket_key_enabled: r.bucket_key_enabled(),
                })
            }),
        Err(e) if code(&e) == Some("ServerSideEncryptionConfigurationNotFoundError") => None,
        Err(e) => fail_none(
            &mut fail,
            "s3:GetBucketEncryption",
            reason(&e, "s3:GetBucketEncryption"),
        ),
    };
    let policy = match c.get_bucket_policy().bucket(&name).send().await {
        Ok(o) => o
            .policy
            .map(|p| serde_json::from_str(&p).unwrap_or(serde_json::Value::String(p))),
        Err(e) if code(&e) == Some("NoSuchBucketPolicy") => None,
        Err(e) => fail_none(
            &mut fail,
            "s3:GetBucketPolicy",
            reason(&e, "s3:GetBucketPolicy"),
        ),
    };
    let public_access_block = match c.get_public_access_block().bucket(&name).send().await {
        Ok(o) => o.public_access_block_configuration().map(pab),
        Err(e) if code(&e) == Some("NoSuchPublicAccessBlockConfiguration") => None,
        Err(e) => fail_none(
            &mut fail,
            "s3:GetBucketPublicAccessBlock",
            reason(&e, "s3:GetBucketPublicAccessBlock"),
        ),
    };
    let (versioning, mfa_delete) = match c.get_bucket_versioning().bucket(&name).send().await {
        Ok(o) => (
            o.status().map(|s| s.as_str().to_string()),
            o.mfa_delete().map(|s| s.as_str().to_string()),
        ),
        Err(e) => match e
            .raw_response()
            .filter(|r| r.status().is_success())
            .and_then(|r| r.body().bytes())
            .and_then(moto_versioning)
        {
            Some(v) => v,
            None => {
                let op = "s3:GetBucketVersioning";
                fail(op, reason(&e, op));
                (None, None)
            }
        },
    };
    let logging_target_bucket = match c.get_bucket_logging().bucket(&name).send().await {
        Ok(o) => o.logging_enabled().map(|l| l.target_bucket().to_string()),
        Err(e) => fail_none(
            &mut fail,
            "s3:GetBucketLogging",
            reason(&e, "s3:GetBucketLogging"),
        ),
    };
    let tags: Tags = match c.get_bucket_tagging().bucket(&name).send().await {
        Ok(o) => o
            .tag_set()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect(),
        Err(e) if code(&e) == Some("NoSuchTagSet") => Tags::new(),
        Err(e) => {
            fail("s3:GetBucketTagging", reason(&e, "s3:GetBucketTagging"));
            Tags::new()
        }
    };

    let mut resource =
        crate::model::ResourceRef::new(ResourceKind::AwsS3Bucket, "", "", "", name.clone());
    resource.tags = tags;
    let bucket = S3Bucket {
        resource,
        default_encryption,
        policy,
        public_access_block,
        versioning,
        mfa_delete,
        logging_target_bucket,
    };
    (bucket, failed)
}

/// Record a failed read; the setting it was to give is unknown (`None`).
fn fail_none<T>(
    fail: &mut impl FnMut(&'static str, String),
    op: &'static str,
    why: String,
) -> Option<T> {
    fail(op, why);
    None
}

/// moto answers GetBucketVersioning with the root element `GetBucketVersioningResponse`
/// where S3 sends `VersioningConfiguration`, and the SDK refuses it. Read moto's shape,
/// and nothing else: any other unreadable answer stays an error.
fn moto_versioning(body: &[u8]) -> Option<(Option<String>, Option<String>)> {
    let text = std::str::from_utf8(body).ok()?;
    if !text.contains("<GetBucketVersioningResponse") {
        return None;
    }
    let element = |tag: &str| {
        let start = text.find(&format!("<{tag}>"))? + tag.len() + 2;
        let end = start + text[start..].find(&format!("</{tag}>"))?;
        Some(text[start..end].trim().to_string())
    };
    Some((element("Status"), element("MfaDelete")))
}

pub(crate) async fn account_public_access_block(aws: &Aws) {
    let kind = ResourceKind::AwsS3AccountPublicAccessBlock;
    let answer = {
        let _permit = aws.permit("S3Control", aws.home()).await;
        aws.s3control()
            .get_public_access_block()
            .account_id(aws.account())
            .send()
            .await
    };
    let config = match answer {
        Ok(o) => o
            .public_access_block_configuration()
            .map(|c| PublicAccessBlock {
                block_public_acls: c.block_public_acls().unwrap_or(false),
                ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                block_public_policy: c.block_public_policy().unwrap_or(false),
                restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
            }),
        Err(e) if code(&e) == Some("NoSuchPublicAccessBlockConfiguration") => None,
        Err(e) => return aws.error(None, kind, reason(&e, "s3:GetAccountPublicAccessBlock")),
    };
    let block = S3AccountPublicAccessBlock {
        resource: aws.resource(
            kind,
            "global",
            format!("arn:{}:s3::{}:account", aws.partition, aws.account()),
            "s3-account-public-access-block",
            Tags::new(),
        ),
        config,
    };
    aws.add(|inv| inv.aws_s3_account_public_access_blocks.push(block));
}

#[cfg(test)]
mod tests {
    use super::{location_region, moto_versioning};

    #[test]
    fn moto_versioning_shape() {
        let ns = r#"xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#;
        let on = format!(
            r#"<?xml version="1.0"?><GetBucketVersioningResponse {ns}><Status>Enabled</Status></GetBucketVersioningResponse>"#
        );
        assert_eq!(
            moto_versioning(on.as_bytes()),
            Some((Some("Enabled".into()), None))
        );
        let never = format!(r#"<?xml version="1.0"?><GetBucketVersioningResponse {ns}/>"#);
        assert_eq!(moto_versioning(never.as_bytes()), Some((None, None)));
        assert_eq!(moto_versioning(b"<Error><Code>Oops</Code></Error>"), None);
    }

    #[test]
    fn bucket_location_quirks() {
        assert_eq!(location_region(None), "us-east-1");
        assert_eq!(location_region(Some("")), "us-east-1");
        assert_eq!(location_region(Some("EU")), "eu-west-1");
        assert_eq!(location_region(Some("ap-south-1")), "ap-south-1");
    }
}
