use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{ElastiCacheReplicationGroup, ElastiCacheServerlessCache};

declare_check! {
    /// ## What it checks
    /// Every ElastiCache replication group authenticates its clients: an AUTH token
    /// (`AuthTokenEnabled = true`) or role-based access control (at least one
    /// `UserGroupIds` entry). Every serverless cache has a user group (`UserGroupId`);
    /// without one, clients connect as the default user without a password.
    ///
    /// ## Why it matters
    /// Without authentication any host that can reach the cache's port (any workload in the
    /// VPC, a peered network, a compromised container) can read and overwrite what it holds
    /// (person or entity authentication, 45 CFR 164.312(d); access control, 164.312(a)(1)).
    ///
    /// ## Evidence
    /// `auth_token_enabled`, `user_group_ids` (replication groups), `user_group_id`
    /// (serverless) and `serverless`.
    ///
    /// ## Remediation
    /// Role-based access: `aws elasticache create-user` / `create-user-group`, then
    /// `aws elasticache modify-replication-group --replication-group-id <id>
    /// --user-group-ids-to-add <group>` (serverless: `modify-serverless-cache
    /// --user-group-id`). Or an AUTH token (requires in-transit encryption):
    /// `modify-replication-group --auth-token <token> --auth-token-update-strategy ROTATE`.
    pub struct ElastiCacheAuthEnabled {
        id: "aws-elasticache-auth-enabled",
        title: "ElastiCache caches require authentication",
        severity: High,
        provider: Aws,
        kinds: [AwsElastiCacheReplicationGroup, AwsElastiCacheServerlessCache],
        controls: [PersonEntityAuthentication, AccessControl],
    }
}

impl Check for ElastiCacheAuthEnabled {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let groups = ctx.resources::<ElastiCacheReplicationGroup>().iter().map(|g| {
            let rbac = !g.user_group_ids.is_empty();
            let b = match (g.auth_token_enabled, rbac) {
                (_, true) => ctx.pass(&g.resource).reason(format!(
                    "Clients authenticate as users of user group(s) {}.",
                    g.user_group_ids.join(", ")
                )),
                (Some(true), false) => ctx.pass(&g.resource).reason("Clients authenticate with an AUTH token."),
                (_, false) => ctx.fail(&g.resource).reason("Neither an AUTH token nor a user group: any client that reaches the port is served."),
            };
            b.evidence("serverless", false)
                .evidence("auth_token_enabled", g.auth_token_enabled)
                .evidence("user_group_ids", &g.user_group_ids)
                .build()
        });
        let serverless = ctx.resources::<ElastiCacheServerlessCache>().iter().map(|c| {
            let b = match &c.user_group_id {
                Some(u) => ctx.pass(&c.resource).reason(format!("Clients authenticate as users of user group {u}.")),
                None => ctx.fail(&c.resource).reason("No user group: clients connect as the default user without a password."),
            };
            b.evidence("serverless", true)
                .evidence("user_group_id", &c.user_group_id)
                .build()
        });
        groups.chain(serverless).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{elasticache_replication_group, elasticache_serverless_cache};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn token_or_user_group_passes() {
        let mut rbac = elasticache_replication_group("rbac");
        rbac.auth_token_enabled = Some(false);
        rbac.user_group_ids = vec!["phi-users".into()];
        let mut open = elasticache_replication_group("open");
        open.auth_token_enabled = Some(false);
        let mut open_sls = elasticache_serverless_cache("open-sls");
        open_sls.user_group_id = None;
        let mut inv = Inventory::new();
        inv.aws_elasticache_replication_groups = vec![elasticache_replication_group("token"), rbac, open];
        inv.aws_elasticache_serverless_caches = vec![elasticache_serverless_cache("sls"), open_sls];
        let f = run(&ElastiCacheAuthEnabled, &inv);
        assert_eq!(f.status_of("token"), Status::Pass);
        assert_eq!(f.status_of("rbac"), Status::Pass);
        assert!(f.of("rbac").reason.contains("phi-users"));
        assert_eq!(f.status_of("open"), Status::Fail);
        assert_eq!(f.status_of("sls"), Status::Pass);
        assert_eq!(f.status_of("open-sls"), Status::Fail);
    }
}
