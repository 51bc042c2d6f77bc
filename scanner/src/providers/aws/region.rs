//! What the collectors of one region share: the region, and the list calls that feed two
//! kinds, made once per region ([`tokio::sync::OnceCell`]): DescribeDBInstances feeds RDS
//! instances and security-group attachments, DescribeLoadBalancers listeners and
//! attachments, ListBackupVaults vaults and their recovery points.
//!
//! No per-kind state lives here: a collector builds its clients with [`Aws`]'s per-service
//! constructors (cheap: they share the SDK config, its HTTP client and credentials cache),
//! so a new regional kind adds nothing to this file unless it shares a call with another.

use tokio::sync::OnceCell;

use super::{reason, Aws};

/// The region of a collection and the calls its kinds share.
pub(crate) struct RegionShared {
    pub(crate) region: String,
    backup_vaults: OnceCell<Result<Vec<aws_sdk_backup::types::BackupVaultListMember>, String>>,
    db_instances: OnceCell<Result<Vec<aws_sdk_rds::types::DbInstance>, String>>,
    load_balancers:
        OnceCell<Result<Vec<aws_sdk_elasticloadbalancingv2::types::LoadBalancer>, String>>,
}

impl RegionShared {
    pub(crate) fn new(region: &str) -> Self {
        RegionShared {
            region: region.to_string(),
            backup_vaults: OnceCell::new(),
            db_instances: OnceCell::new(),
            load_balancers: OnceCell::new(),
        }
    }

    /// DescribeDBInstances, once per region.
    pub(crate) async fn db_instances(
        &self,
        aws: &Aws,
    ) -> &Result<Vec<aws_sdk_rds::types::DbInstance>, String> {
        self.db_instances
            .get_or_init(|| async {
                let _permit = aws.permit("RDS", &self.region).await;
                let pages: Result<Vec<_>, _> = aws
                    .rds(&self.region)
                    .describe_db_instances()
                    .into_paginator()
                    .send()
                    .collect()
                    .await;
                pages
                    .map(|p| {
                        p.into_iter()
                            .flat_map(|o| o.db_instances.unwrap_or_default())
                            .collect()
                    })
                    .map_err(|e| reason(&e, "rds:DescribeDBInstances"))
            })
            .await
    }

    /// ListBackupVaults, once per region (vaults and their recovery points).
    pub(crate) async fn backup_vaults(
        &self,
        aws: &Aws,
    ) -> &Result<Vec<aws_sdk_backup::types::BackupVaultListMember>, String> {
        self.backup_vaults
            .get_or_init(|| async {
                let _permit = aws.permit("Backup", &self.region).await;
                let pages: Result<Vec<_>, _> = aws
                    .backup(&self.region)
                    .list_backup_vaults()
                    .into_paginator()
                    .send()
                    .collect()
                    .await;
                pages
                    .map(|p| {
                        p.into_iter()
                            .flat_map(|o| o.backup_vault_list.unwrap_or_default())
                            .collect()
                    })
                    .map_err(|e| reason(&e, "backup:ListBackupVaults"))
            })
            .await
    }

    /// DescribeLoadBalancers, once per region.
    pub(crate) async fn load_balancers(
        &self,
        aws: &Aws,
    ) -> &Result<Vec<aws_sdk_elasticloadbalancingv2::types::LoadBalancer>, String> {
        self.load_balancers
            .get_or_init(|| async {
                let _permit = aws.permit("ELBv2", &self.region).await;
                let pages: Result<Vec<_>, _> = aws
                    .elbv2(&self.region)
                    .describe_load_balancers()
                    .into_paginator()
                    .send()
                    .collect()
                    .await;
                pages
                    .map(|p| {
                        p.into_iter()
                            .flat_map(|o| o.load_balancers.unwrap_or_default())
                            .collect()
                    })
                    .map_err(|e| reason(&e, "elasticloadbalancing:DescribeLoadBalancers"))
            })
            .await
    }
}
