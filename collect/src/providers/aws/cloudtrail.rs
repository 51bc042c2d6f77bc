//! CloudTrail trails: DescribeTrails in every region in scope, deduplicated by ARN (a
//! multi-region trail shows up in every region's answer as a shadow copy), then
//! GetTrailStatus once per trail, in the trail's home region (moto, like some AWS calls,
//! refuses a multi-region trail's ARN outside its home region). The resource's region is
//! the home region.
//!
//! GetEventSelectors, also in the home region, gives the S3 data events each trail logs
//! (basic and advanced selectors, see [`s3_data_events`]); a trail whose selectors cannot be
//! read is an error for that trail only, with `s3_data_events` left `None`.

use std::collections::BTreeMap;

use aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput;
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, ReadWriteType, Trail};

use super::{each, reason, Aws};
use crate::model::aws::{CloudTrail, S3DataEvents};
use crate::model::{CollectionError, ResourceKind, Tags};

const S3_OBJECT: &str = "AWS::S3::Object";
const SELECTORS: &str = "cloudtrail:GetEventSelectors";

/// The S3 object selections of a trail's event selectors. Basic selectors: each
/// `AWS::S3::Object` value with the selector's ReadWriteType. Advanced selectors: those
/// selecting data events of `AWS::S3::Object`, narrowed only by `readOnly` and by
/// `resources.ARN` Equals/StartsWith (no ARN field: every bucket of the partition); a
/// selector with any other condition (an event name, a negation) selects part of the
/// traffic and is left out, so it never makes a bucket look fully logged.
fn s3_data_events(partition: &str, o: &GetEventSelectorsOutput) -> Vec<S3DataEvents> {
    let mut out = Vec::new();
    for sel in o.event_selectors() {
        let rw = sel.read_write_type().cloned().unwrap_or(ReadWriteType::All);
        let (read, write) = match rw {
            ReadWriteType::ReadOnly => (true, false),
            ReadWriteType::WriteOnly => (false, true),
            _ => (true, true),
        };
        for d in sel
            .data_resources()
            .iter()
            .filter(|d| d.r#type() == Some(S3_OBJECT))
        {
            out.extend(d.values().iter().map(|v| S3DataEvents {
                prefix: v.clone(),
                read,
                write,
            }));
        }
    }
    for sel in o.advanced_event_selectors() {
        out.extend(advanced(partition, sel));
    }
    out
}

fn advanced(partition: &str, sel: &AdvancedEventSelector) -> Vec<S3DataEvents> {
    let (mut data, mut s3, mut read, mut write) = (false, false, true, true);
    let mut prefixes = None;
    for f in sel.field_selectors() {
        let negated = !f.not_equals().is_empty()
            || !f.not_starts_with().is_empty()
            || !f.not_ends_with().is_empty()
            || !f.ends_with().is_empty();
        match (f.field(), negated) {
            ("eventCategory", false) => data = f.equals().iter().any(|v| v == "Data"),
            ("resources.type", false) => s3 = f.equals().iter().any(|v| v == S3_OBJECT),
            ("readOnly", false) => {
                read = f.equals().iter().any(|v| v == "true");
                write = f.equals().iter().any(|v| v == "false");
            }
            ("resources.ARN", false) => {
                prefixes = Some([f.equals(), f.starts_with()].concat());
            }
            _ => return Vec::new(),
        }
    }
    if !(data && s3) {
        return Vec::new();
    }
    prefixes
        .unwrap_or_else(|| vec![format!("arn:{partition}:s3")])
        .into_iter()
        .map(|prefix| S3DataEvents {
            prefix,
            read,
            write,
        })
        .collect()
}

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
            let selectors = match &r {
                Ok(_) => client
                    .get_event_selectors()
                    .trail_name(&arn)
                    .send()
                    .await
                    .map_err(|e| reason(&e, SELECTORS)),
                Err(_) => Err(String::new()),
            };
            (t, home, r, selectors)
        }
    })
    .await;

    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (t, home, r, selectors) in status {
        let st = match r {
            Ok(st) => st,
            Err(e) => {
                aws.error(Some(&home), kind, e);
                continue;
            }
        };
        let arn = t.trail_arn().unwrap_or_default().to_string();
        let name = t.name().unwrap_or(&arn).to_string();
        let resource = aws.resource(kind, &home, arn, &name, Tags::new());
        let s3_data_events = match selectors {
            Ok(o) => Some(s3_data_events(aws.partition(), &o)),
            Err(why) => {
                errors.push(CollectionError::of_resource(&resource, SELECTORS, why));
                None
            }
        };
        out.push(CloudTrail {
            resource,
            home_region: home.clone(),
            is_multi_region: t.is_multi_region_trail().unwrap_or(false),
            is_organization_trail: t.is_organization_trail().unwrap_or(false),
            is_logging: st.is_logging().unwrap_or(false),
            log_file_validation: t.log_file_validation_enabled().unwrap_or(false),
            kms_key_id: t.kms_key_id().map(str::to_string),
            s3_bucket: t.s3_bucket_name().map(str::to_string),
            cloudwatch_log_group_arn: t.cloud_watch_logs_log_group_arn().map(str::to_string),
            s3_data_events,
        });
    }
    aws.add(|inv| {
        inv.aws_cloudtrails.extend(out);
        inv.errors.extend(errors);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudtrail::types::{AdvancedFieldSelector, DataResource, EventSelector};

    fn field(name: &str, equals: &[&str], starts: &[&str]) -> AdvancedFieldSelector {
        let mut b = AdvancedFieldSelector::builder().field(name);
        for e in equals {
            b = b.equals(*e);
        }
        for s in starts {
            b = b.starts_with(*s);
        }
        b.build().unwrap()
    }

    fn advanced_selector(fields: Vec<AdvancedFieldSelector>) -> AdvancedEventSelector {
        AdvancedEventSelector::builder()
            .set_field_selectors(Some(fields))
            .build()
            .unwrap()
    }

    fn events(e: &S3DataEvents) -> (&str, bool, bool) {
        (e.prefix.as_str(), e.read, e.write)
    }

    #[test]
    fn basic_and_advanced_selectors_become_s3_selections() {
        let data = |t: &str| field("eventCategory", &[t], &[]);
        let s3 = field("resources.type", &["AWS::S3::Object"], &[]);
        let o = GetEventSelectorsOutput::builder()
            .event_selectors(
                EventSelector::builder()
                    .read_write_type(ReadWriteType::WriteOnly)
                    .data_resources(
                        DataResource::builder()
                            .r#type("AWS::S3::Object")
                            .values("arn:aws:s3:::records/")
                            .build(),
                    )
                    .data_resources(
                        DataResource::builder()
                            .r#type("AWS::Lambda::Function")
                            .values("arn:aws:lambda")
                            .build(),
                    )
                    .build(),
            )
            // Every bucket, reads only.
            .advanced_event_selectors(advanced_selector(vec![
                data("Data"),
                s3.clone(),
                field("readOnly", &["true"], &[]),
            ]))
            // Two buckets by prefix, reads and writes.
            .advanced_event_selectors(advanced_selector(vec![
                data("Data"),
                s3.clone(),
                field(
                    "resources.ARN",
                    &[],
                    &["arn:aws:s3:::a/", "arn:aws:s3:::b/"],
                ),
            ]))
            // Only some events: never a full selection.
            .advanced_event_selectors(advanced_selector(vec![
                data("Data"),
                s3.clone(),
                field("eventName", &["GetObject"], &[]),
            ]))
            // Management events.
            .advanced_event_selectors(advanced_selector(vec![data("Management")]))
            .build();
        let got = s3_data_events("aws", &o);
        let got: Vec<_> = got.iter().map(events).collect();
        assert_eq!(
            got,
            vec![
                ("arn:aws:s3:::records/", false, true),
                ("arn:aws:s3", true, false),
                ("arn:aws:s3:::a/", true, true),
                ("arn:aws:s3:::b/", true, true),
            ]
        );
    }
}
