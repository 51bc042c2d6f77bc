//! ACM certificates: ListCertificates per region with every status and every key type
//! (by default ACM lists only RSA_2048 certificates), then DescribeCertificate per
//! certificate for NotAfter, InUseBy and the renewal eligibility.
//!
//! A certificate whose DescribeCertificate fails is an error for that certificate only,
//! named by its ARN, without a record: its expiry and use are unknown, and a record with
//! them `None` would read as "never expires" / "not in use".
//!
//! Note (moto): a requested certificate stays PENDING_VALIDATION yet already has NotBefore /
//! NotAfter (AWS sets them only when it issues the certificate).

use aws_sdk_acm::types::{CertificateStatus, Filters, KeyAlgorithm};

use super::{each, reason, to_chrono, Aws, RegionShared};
use crate::model::aws::AcmCertificate;
use crate::model::{CollectionError, ResourceKind, Tags};

const DESCRIBE: &str = "acm:DescribeCertificate";

pub(crate) async fn certificates(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsAcmCertificate;
    let client = aws.acm(&s.region);
    let all_keys = Filters::builder()
        .set_key_types(Some(
            KeyAlgorithm::values()
                .iter()
                .map(|v| KeyAlgorithm::from(*v))
                .collect(),
        ))
        .build();
    let pages: Result<Vec<_>, _> = {
        let _permit = aws.permit("ACM", &s.region).await;
        client
            .list_certificates()
            .set_certificate_statuses(Some(
                CertificateStatus::values()
                    .iter()
                    .map(|v| CertificateStatus::from(*v))
                    .collect(),
            ))
            .includes(all_keys)
            .into_paginator()
            .send()
            .collect()
            .await
    };
    let arns: Vec<String> = match pages {
        Ok(p) => p
            .iter()
            .flat_map(|o| o.certificate_summary_list())
            .filter_map(|c| c.certificate_arn().map(str::to_string))
            .collect(),
        Err(e) => return aws.error(Some(&s.region), kind, reason(&e, "acm:ListCertificates")),
    };
    let c = client.clone();
    let details = each(aws.semaphore("ACM", &s.region), arns, move |arn| {
        let c = c.clone();
        async move {
            let r = c
                .describe_certificate()
                .certificate_arn(&arn)
                .send()
                .await
                .map_err(|e| reason(&e, DESCRIBE))
                .and_then(|o| {
                    o.certificate
                        .ok_or_else(|| format!("the answer has no Certificate ({DESCRIBE})"))
                });
            (arn, r)
        }
    })
    .await;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (listed, d) in details {
        let d = match d {
            Ok(d) => d,
            Err(why) => {
                let r = aws.resource(kind, &s.region, listed.clone(), &listed, Tags::new());
                errors.push(CollectionError::of_resource(&r, DESCRIBE, why));
                continue;
            }
        };
        let Some(arn) = d.certificate_arn() else {
            continue;
        };
        let domain = d.domain_name().unwrap_or_default().to_string();
        out.push(AcmCertificate {
            resource: aws.resource(
                kind,
                &s.region,
                arn.to_string(),
                if domain.is_empty() { arn } else { &domain },
                Tags::new(),
            ),
            domain_name: domain.clone(),
            status: d
                .status()
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            cert_type: d.r#type().map(|x| x.as_str().to_string()),
            not_after: d.not_after().and_then(to_chrono),
            in_use_by: d.in_use_by().to_vec(),
            renewal_eligibility: d.renewal_eligibility().map(|x| x.as_str().to_string()),
        });
    }
    aws.add(|inv| {
        inv.aws_acm_certificates.extend(out);
        inv.errors.extend(errors);
    });
}
