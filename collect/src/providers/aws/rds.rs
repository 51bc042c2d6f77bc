//! RDS instances, from DescribeDBInstances (shared with the security-group attachments).
//! The subnets come from the DB subnet group embedded in the answer: no extra call.

use aws_sdk_rds::types::Tag;

use super::{tags_of, Aws, RegionShared};
use crate::model::aws::RdsInstance;
use crate::model::ResourceKind;

pub(crate) async fn instances(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsRdsInstance;
    let dbs = match s.db_instances(aws).await {
        Ok(d) => d,
        Err(e) => return aws.error(Some(&s.region), kind, e.clone()),
    };
    let out: Vec<RdsInstance> = dbs
        .iter()
        .filter_map(|db| {
            let arn = db.db_instance_arn()?;
            let ident = db.db_instance_identifier().unwrap_or(arn);
            let tags = tags_of(db.tag_list(), Tag::key, Tag::value);
            let mut subnet_ids: Vec<String> = db
                .db_subnet_group()
                .map(|g| {
                    g.subnets()
                        .iter()
                        .filter_map(|s| s.subnet_identifier().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            subnet_ids.sort();
            Some(RdsInstance {
                resource: aws.resource(kind, &s.region, arn.to_string(), ident, tags),
                engine: db.engine().unwrap_or_default().to_string(),
                storage_encrypted: db.storage_encrypted().unwrap_or(false),
                kms_key_id: db.kms_key_id().map(str::to_string),
                publicly_accessible: db.publicly_accessible().unwrap_or(false),
                backup_retention_days: db.backup_retention_period().unwrap_or(0),
                vpc_security_groups: db
                    .vpc_security_groups()
                    .iter()
                    .filter_map(|g| g.vpc_security_group_id().map(str::to_string))
                    .collect(),
                subnet_ids,
                endpoint_port: db
                    .endpoint()
                    .and_then(|e| e.port())
                    .or(db.db_instance_port()),
                db_cluster_identifier: db.db_cluster_identifier().map(str::to_string),
                parameter_groups: db
                    .db_parameter_groups()
                    .iter()
                    .filter_map(|g| g.db_parameter_group_name().map(str::to_string))
                    .collect(),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_rds_instances.extend(out));
}
