//! SQS queues, SNS topics and Kinesis data streams: a list call per region, then per resource
//! one detail call (GetQueueAttributes, GetTopicAttributes, DescribeStreamSummary) and one for
//! its tags (ListQueueTags, ListTagsForResource, ListTagsForStream), which place it in or out
//! of a data-classification scope.
//!
//! A resource whose detail or tag call fails is an error for that resource only, named by its
//! documented ARN, without a record: its encryption and policy are unknown, and a record
//! with them `None` would read as "not encrypted" / "no policy". A policy that is not JSON
//! is such an error too (it cannot be judged).

use std::collections::HashMap;

use aws_sdk_sqs::types::QueueAttributeName;
use serde_json::Value;

use super::{each, reason, tags_of, Aws, RegionShared};
use crate::model::aws::{KinesisStream, SnsTopic, SqsQueue};
use crate::model::{CollectionError, ResourceKind, ResourceRef, Tags};

/// A policy attribute as the APIs return it: JSON text; empty or absent means none.
fn policy(text: Option<&String>, action: &str) -> Result<Option<Value>, String> {
    match text.map(|t| t.trim()).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => serde_json::from_str(t)
            .map(Some)
            .map_err(|e| format!("the policy is not JSON ({e}) ({action})")),
    }
}

/// A resource whose detail could not be read (boxed: the error is large beside a record).
type Unread = Box<CollectionError>;

fn unread(resource: &ResourceRef, operation: &str, why: String) -> Unread {
    Box::new(CollectionError::of_resource(resource, operation, why))
}

/// Records and per-resource errors, added to the inventory at once.
fn keep<T>(
    aws: &Aws,
    read: Vec<Result<T, Unread>>,
    add: impl FnOnce(&mut crate::model::Inventory, Vec<T>),
) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for r in read {
        match r {
            Ok(x) => out.push(x),
            Err(e) => errors.push(*e),
        }
    }
    aws.add(|inv| {
        add(inv, out);
        inv.errors.extend(errors);
    });
}

const QUEUE_ATTRIBUTES: &str = "sqs:GetQueueAttributes";
const QUEUE_TAGS: &str = "sqs:ListQueueTags";

pub(crate) async fn queues(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsSqsQueue;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("SQS", &s.region).await;
        aws.sqs(&s.region)
            .list_queues()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let urls: Vec<String> = match pages {
        Ok(p) => p
            .into_iter()
            .flat_map(|o| o.queue_urls.unwrap_or_default())
            .collect(),
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "sqs:ListQueues")),
    };
    let client = aws.sqs(&s.region);
    let answers = each(aws.semaphore("SQS", &s.region), urls, move |url| {
        let client = client.clone();
        async move {
            let r = client
                .get_queue_attributes()
                .queue_url(&url)
                .attribute_names(QueueAttributeName::All)
                .send()
                .await
                .map(|o| o.attributes.unwrap_or_default())
                .map_err(|e| reason(&e, QUEUE_ATTRIBUTES));
            // Tags only for a queue that can be judged at all.
            let tags = match &r {
                Ok(_) => client
                    .list_queue_tags()
                    .queue_url(&url)
                    .send()
                    .await
                    .map(|o| o.tags.unwrap_or_default().into_iter().collect::<Tags>())
                    .map_err(|e| reason(&e, QUEUE_TAGS)),
                Err(_) => Ok(Tags::new()),
            };
            (url, r, tags)
        }
    })
    .await;
    let read = answers
        .into_iter()
        .map(|(url, r, tags)| {
            let name = url.rsplit('/').next().unwrap_or(&url).to_string();
            let documented = aws.arn("sqs", &s.region, aws.account(), &name);
            let attrs: HashMap<QueueAttributeName, String> = match r {
                Ok(a) => a,
                Err(why) => {
                    let r = aws.resource(kind, &s.region, documented, &name, Tags::new());
                    return Err(unread(&r, QUEUE_ATTRIBUTES, why));
                }
            };
            let arn = attrs
                .get(&QueueAttributeName::QueueArn)
                .cloned()
                .unwrap_or(documented);
            let mut resource = aws.resource(kind, &s.region, arn, &name, Tags::new());
            match tags {
                Ok(t) => resource.tags = t,
                Err(why) => return Err(unread(&resource, QUEUE_TAGS, why)),
            }
            let policy = match policy(attrs.get(&QueueAttributeName::Policy), QUEUE_ATTRIBUTES) {
                Ok(p) => p,
                Err(why) => return Err(unread(&resource, QUEUE_ATTRIBUTES, why)),
            };
            Ok(SqsQueue {
                resource,
                url: Some(url.clone()),
                sqs_managed_sse: attrs
                    .get(&QueueAttributeName::SqsManagedSseEnabled)
                    .map(|v| v.eq_ignore_ascii_case("true")),
                kms_master_key_id: attrs
                    .get(&QueueAttributeName::KmsMasterKeyId)
                    .filter(|k| !k.is_empty())
                    .cloned(),
                policy,
            })
        })
        .collect();
    keep(aws, read, |inv, out| inv.aws_sqs_queues.extend(out));
}

const TOPIC_ATTRIBUTES: &str = "sns:GetTopicAttributes";
const TOPIC_TAGS: &str = "sns:ListTagsForResource";

pub(crate) async fn topics(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsSnsTopic;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("SNS", &s.region).await;
        aws.sns(&s.region)
            .list_topics()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let arns: Vec<String> = match pages {
        Ok(p) => p
            .into_iter()
            .flat_map(|o| o.topics.unwrap_or_default())
            .filter_map(|t| t.topic_arn)
            .collect(),
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "sns:ListTopics")),
    };
    let client = aws.sns(&s.region);
    let answers = each(aws.semaphore("SNS", &s.region), arns, move |arn| {
        let client = client.clone();
        async move {
            let r = client
                .get_topic_attributes()
                .topic_arn(&arn)
                .send()
                .await
                .map(|o| o.attributes.unwrap_or_default())
                .map_err(|e| reason(&e, TOPIC_ATTRIBUTES));
            let tags = match &r {
                Ok(_) => client
                    .list_tags_for_resource()
                    .resource_arn(&arn)
                    .send()
                    .await
                    .map(|o| tags_of(o.tags(), |t| Some(t.key()), |t| Some(t.value())))
                    .map_err(|e| reason(&e, TOPIC_TAGS)),
                Err(_) => Ok(Tags::new()),
            };
            (arn, r, tags)
        }
    })
    .await;
    let read = answers
        .into_iter()
        .map(|(arn, r, tags)| {
            let name = arn.rsplit(':').next().unwrap_or(&arn).to_string();
            let mut resource = aws.resource(kind, &s.region, arn, &name, Tags::new());
            let attrs = match r {
                Ok(a) => a,
                Err(why) => return Err(unread(&resource, TOPIC_ATTRIBUTES, why)),
            };
            match tags {
                Ok(t) => resource.tags = t,
                Err(why) => return Err(unread(&resource, TOPIC_TAGS, why)),
            }
            let policy = match policy(attrs.get("Policy"), TOPIC_ATTRIBUTES) {
                Ok(p) => p,
                Err(why) => return Err(unread(&resource, TOPIC_ATTRIBUTES, why)),
            };
            Ok(SnsTopic {
                resource,
                kms_master_key_id: attrs
                    .get("KmsMasterKeyId")
                    .filter(|k| !k.is_empty())
                    .cloned(),
                policy,
            })
        })
        .collect();
    keep(aws, read, |inv, out| inv.aws_sns_topics.extend(out));
}

const STREAM_SUMMARY: &str = "kinesis:DescribeStreamSummary";
const STREAM_TAGS: &str = "kinesis:ListTagsForStream";

pub(crate) async fn streams(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsKinesisStream;
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("Kinesis", &s.region).await;
        aws.kinesis(&s.region)
            .list_streams()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    // (name, ARN): the summaries carry both; an answer with names only gets documented ARNs.
    let streams: Vec<(String, String)> = match pages {
        Ok(p) => p
            .into_iter()
            .flat_map(|o| {
                let named: Vec<(String, String)> = o
                    .stream_summaries()
                    .iter()
                    .map(|x| (x.stream_name().to_string(), x.stream_arn().to_string()))
                    .collect();
                if named.is_empty() {
                    o.stream_names()
                        .iter()
                        .map(|n| {
                            let arn = aws.arn(
                                "kinesis",
                                &s.region,
                                aws.account(),
                                &format!("stream/{n}"),
                            );
                            (n.clone(), arn)
                        })
                        .collect()
                } else {
                    named
                }
            })
            .collect(),
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "kinesis:ListStreams")),
    };
    let client = aws.kinesis(&s.region);
    let answers = each(
        aws.semaphore("Kinesis", &s.region),
        streams,
        move |(name, arn)| {
            let client = client.clone();
            async move {
                let r = client
                    .describe_stream_summary()
                    .stream_arn(&arn)
                    .send()
                    .await
                    .map_err(|e| reason(&e, STREAM_SUMMARY));
                // A stream has at most 50 tags: one page of 50 holds them all.
                let tags = match &r {
                    Ok(_) => client
                        .list_tags_for_stream()
                        .stream_arn(&arn)
                        .limit(50)
                        .send()
                        .await
                        .map(|o| tags_of(o.tags(), |t| Some(t.key()), |t| t.value()))
                        .map_err(|e| reason(&e, STREAM_TAGS)),
                    Err(_) => Ok(Tags::new()),
                };
                (name, arn, r, tags)
            }
        },
    )
    .await;
    let read = answers
        .into_iter()
        .map(|(name, arn, r, tags)| {
            let mut resource = aws.resource(kind, &s.region, arn, &name, Tags::new());
            let summary = match r.map(|o| o.stream_description_summary) {
                Ok(Some(d)) => d,
                Ok(None) => {
                    let why =
                        format!("the answer has no StreamDescriptionSummary ({STREAM_SUMMARY})");
                    return Err(unread(&resource, STREAM_SUMMARY, why));
                }
                Err(why) => return Err(unread(&resource, STREAM_SUMMARY, why)),
            };
            match tags {
                Ok(t) => resource.tags = t,
                Err(why) => return Err(unread(&resource, STREAM_TAGS, why)),
            }
            Ok(KinesisStream {
                resource,
                encryption_type: summary.encryption_type().map(|t| t.as_str().to_string()),
                key_id: summary.key_id().map(str::to_string),
                stream_status: Some(summary.stream_status().as_str().to_string()),
            })
        })
        .collect();
    keep(aws, read, |inv, out| inv.aws_kinesis_streams.extend(out));
}
