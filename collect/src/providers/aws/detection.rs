//! Threat detection and configuration history, one record per (account, region) each:
//! GuardDuty (ListDetectors, then GetDetector per detector) and AWS Config
//! (DescribeConfigurationRecorders and DescribeConfigurationRecorderStatus; customer-managed
//! recorders only).
//!
//! The subject is the region's setting, which has no ARN: the records get a stable
//! ARN-shaped id, `arn:aws:guardduty:<region>:<account>:detectors` and
//! `arn:aws:config:<region>:<account>:configuration-recorders`. A failed call is an error
//! for the kind in that region, so the region is ERROR, never a PASS or a FAIL on no data.

use super::{reason, Aws, RegionShared};
use crate::model::aws::{ConfigRecorder, ConfigRecorderRegion, GuardDutyDetector, GuardDutyRegion};
use crate::model::{ResourceKind, Tags};

pub(crate) async fn guardduty(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsGuardDutyRegion;
    let client = aws.guardduty(&s.region);
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("GuardDuty", &s.region).await;
        client
            .list_detectors()
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let ids: Vec<String> = match pages {
        Ok(p) => p.iter().flat_map(|o| o.detector_ids().to_vec()).collect(),
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "guardduty:ListDetectors")),
    };
    let mut detectors = Vec::new();
    for id in ids {
        let r = {
            let _permit = aws.permit("GuardDuty", &s.region).await;
            client.get_detector().detector_id(&id).send().await
        };
        match r {
            Ok(d) => detectors.push(GuardDutyDetector {
                status: d
                    .status()
                    .map(|x| x.as_str().to_string())
                    .unwrap_or_default(),
                id,
            }),
            Err(e) => {
                let why = format!("detector {id}: {}", reason(&e, "guardduty:GetDetector"));
                return aws.error(Some(&s.region), kind, why);
            }
        }
    }
    let id = aws.arn("guardduty", &s.region, aws.account(), "detectors");
    let name = format!("GuardDuty ({})", s.region);
    let rec = GuardDutyRegion {
        resource: aws.resource(kind, &s.region, id, &name, Tags::new()),
        detectors,
    };
    aws.add(|inv| inv.aws_guardduty_regions.push(rec));
}

pub(crate) async fn config_recorders(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsConfigRecorderRegion;
    let client = aws.config(&s.region);
    let (recorders, status) = {
        let _permit = aws.permit("Config", &s.region).await;
        let recorders = client.describe_configuration_recorders().send().await;
        let status = client.describe_configuration_recorder_status().send().await;
        (recorders, status)
    };
    let recorders = match recorders {
        Ok(o) => o,
        Err(e) => {
            let why = reason(&e, "config:DescribeConfigurationRecorders");
            return aws.error(Some(&s.region), kind, why);
        }
    };
    let status = match status {
        Ok(o) => o,
        Err(e) => {
            let why = reason(&e, "config:DescribeConfigurationRecorderStatus");
            return aws.error(Some(&s.region), kind, why);
        }
    };
    // A service-linked recorder records only what its AWS service needs, not the account's
    // configuration: it does not count.
    let recorders = recorders
        .configuration_recorders()
        .iter()
        .filter(|r| r.service_principal().is_none())
        .map(|r| {
            let name = r.name().unwrap_or_default();
            let st = status
                .configuration_recorders_status()
                .iter()
                .find(|x| x.name() == Some(name));
            ConfigRecorder {
                name: name.to_string(),
                recording: st.is_some_and(|x| x.recording()),
                all_supported: r.recording_group().map(|g| g.all_supported()),
                last_status: st
                    .and_then(|x| x.last_status())
                    .map(|x| x.as_str().to_string()),
            }
        })
        .collect();
    let id = aws.arn(
        "config",
        &s.region,
        aws.account(),
        "configuration-recorders",
    );
    let name = format!("AWS Config ({})", s.region);
    let rec = ConfigRecorderRegion {
        resource: aws.resource(kind, &s.region, id, &name, Tags::new()),
        recorders,
    };
    aws.add(|inv| inv.aws_config_recorder_regions.push(rec));
}
