//! What the collectors of one region share: the region, and the list calls that feed two
//! kinds, made once per region ([`tokio::sync::OnceCell`]): DescribeDBInstances feeds RDS
//! instances and security-group attachments, DescribeLoadBalancers listeners and
//! attachments, ListBackupVaults vaults and their recovery points, ListAliases KMS keys and the
//! key owners of other kinds.
//!
//! No per-kind state lives here: a collector builds its clients with [`Aws`]'s per-service
//! constructors (cheap: they share the SDK config, its HTTP client and credentials cache),
//! so a new regional kind adds nothing to this file unless it shares a call with another.

use tokio::sync::OnceCell;

use super::{reason, Aws};

/// `RegionShared` with one list call per line: the getter, the item type, the service of
/// the concurrency limit, the client and paginated operation, the output field, the action
/// named in errors.
macro_rules! shared_lists {
    ($(
        $(#[$doc:meta])*
        $name:ident: $item:ty = $service:literal, $client:ident.$op:ident -> $field:ident,
            $action:literal;
    )+) => {
        /// The region of a collection and the calls its kinds share.
        pub(crate) struct RegionShared {
            pub(crate) region: String,
            $( $name: OnceCell<Result<Vec<$item>, String>>, )+
        }

        impl RegionShared {
            pub(crate) fn new(region: &str) -> Self {
                RegionShared {
                    region: region.to_string(),
                    $( $name: OnceCell::new(), )+
                }
            }

            $(
                $(#[$doc])*
                pub(crate) async fn $name(&self, aws: &Aws) -> &Result<Vec<$item>, String> {
                    self.$name
                        .get_or_init(|| async {
                            let _permit = aws.permit($service, &self.region).await;
                            let pages: Result<Vec<_>, _> = aws
                                .$client(&self.region)
                                .$op()
                                .into_paginator()
                                .send()
                                .collect()
                                .await;
                            pages
                                .map(|p| {
                                    p.into_iter()
                                        .flat_map(|o| o.$field.unwrap_or_default())
                                        .collect()
                                })
                                .map_err(|e| reason(&e, $action))
                        })
                        .await
                }
            )+
        }
    };
}

shared_lists! {
    /// DescribeDBInstances, once per region (RDS instances, security-group attachments).
    db_instances: aws_sdk_rds::types::DbInstance = "RDS", rds.describe_db_instances -> db_instances,
        "rds:DescribeDBInstances";
    /// ListBackupVaults, once per region (vaults and their recovery points).
    backup_vaults: aws_sdk_backup::types::BackupVaultListMember = "Backup",
        backup.list_backup_vaults -> backup_vault_list, "backup:ListBackupVaults";
    /// DescribeLoadBalancers, once per region (listeners, security-group attachments).
    load_balancers: aws_sdk_elasticloadbalancingv2::types::LoadBalancer = "ELBv2",
        elbv2.describe_load_balancers -> load_balancers,
        "elasticloadbalancing:DescribeLoadBalancers";
    /// ListAliases, once per region (KMS key names, and which keys are AWS managed for the
    /// keys of every kind that names one).
    kms_aliases: aws_sdk_kms::types::AliasListEntry = "KMS", kms.list_aliases -> aliases,
        "kms:ListAliases";
}
