//! CloudTrail trails: DescribeTrails in every region in scope, deduplicated by ARN (a
//! multi-region trail shows up in every region's answer as a shadow copy), then
//! GetTrailStatus once per trail, in the trail's home region (moto, like some AWS calls,
//! refuses a multi-region trail's ARN outside its home region). The resource's region is
//! the home region.

use std::collections::BTreeMap;

use aws_sdk_cloudtrail::types::Trail;

use super::{each, reason, Aws};
use crate::model::aws::CloudTrail;
use crate::model::{ResourceKind, Tags};

pub(crate) async fn trails(aws: &Aws, regions: &[String]) {
    let kind = ResourceKind::AwsCloudTrail;
    let listed = each(
        aws.semaphore("CloudTrail", "*describe"),
        regions.to_vec(),
        |region| {
            let client = aws.cloudtrail(&region);
            async move {
                let r = client.describe_trails().send().await;
                (
                    region,
                    r.map_err(|e| reason(&e, "cloudtrail:DescribeTrails")),
                )
            }
        },
    )
    .await;
    let mut unique: BTreeMap<String, Trail> = BTreeMap::new();
    for (region, r) in listed {
        match r {
            Ok(o) => {
                for t in o.trail_list() {
                    if let Some(arn) = t.trail_arn() {
                        unique.entry(arn.to_string()).or_insert_with(|| t.clone());
                    }
                }
            }
            Err(e) => aws.error(Some(&region), kind, e),
        }
    }

    let trails: Vec<Trail> = unique.into_values().collect();
    let status = each(aws.semaphore("CloudTrail", "*status"), trails, |t| {
        let home = t.home_region().unwrap_or(aws.home()).to_string();
        let client = aws.cloudtrail(&home);
        async move {
            let arn = t.trail_arn().unwrap_or_default().to_string();
            let r = client
                .get_trail_status()
                .name(&arn)
                .send()
                .await
                .map_err(|e| format!("{arn}: {}", reason(&e, "cloudtrail:GetTrailStatus")));
            (t, home, r)
        }
    })
    .await;

    let mut out = Vec::new();
    for (t, home, r) in status {
        let st = match r {
            Ok(st) => st,
            Err(e) => {
                aws.error(Some(&home), kind, e);
                continue;
            }
        };
        let arn = t.trail_arn().unwrap_or_default().to_string();
        let name = t.name().unwrap_or(&arn).to_string();
        out.push(CloudTrail {
            resource: aws.resource(kind, &home, arn, &name, Tags::new()),
            home_region: home.clone(),
            is_multi_region: t.is_multi_region_trail().unwrap_or(false),
            is_organization_trail: t.is_organization_trail().unwrap_or(false),
            is_logging: st.is_logging().unwrap_or(false),
            log_file_validation: t.log_file_validation_enabled().unwrap_or(false),
            kms_key_id: t.kms_key_id().map(str::to_string),
            s3_bucket: t.s3_bucket_name().map(str::to_string),
            cloudwatch_log_group_arn: t.cloud_watch_logs_log_group_arn().map(str::to_string),
        });
    }
    aws.add(|inv| inv.aws_cloudtrails.extend(out));
}
