use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::RedisInstance;

declare_check! {
    /// ## What it checks
    /// Every Memorystore for Redis instance has AUTH on (`authEnabled`): a client must
    /// present the instance's AUTH string before any command.
    ///
    /// ## Why it matters
    /// Without AUTH, anything that can reach the instance's private address reads and
    /// writes the cache; with it, only clients given the string do (access control, 45 CFR
    /// 164.312(a)(1); person or entity authentication, 164.312(d)).
    ///
    /// ## Evidence
    /// `auth_enabled` and `tier`.
    ///
    /// ## Remediation
    /// `gcloud redis instances update <name> --region=<r> --enable-auth`, then give the
    /// clients the string from `gcloud redis instances get-auth-string`.
    pub struct RedisAuthEnabled {
        id: "gcp-redis-auth-enabled",
        title: "Memorystore for Redis instances require AUTH",
        severity: High,
        provider: Gcp,
        kinds: [GcpRedisInstance],
        controls: [AccessControl, PersonEntityAuthentication],
    }
}

impl Check for RedisAuthEnabled {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<RedisInstance>()
            .iter()
            .map(|i| {
                let reason = if i.auth_enabled {
                    "Clients must present the AUTH string."
                } else {
                    "AUTH is off: any client that reaches the instance can run commands."
                };
                ctx.verdict(i.auth_enabled, &i.resource)
                    .evidence("auth_enabled", i.auth_enabled)
                    .evidence("tier", &i.tier)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp_stores::redis_instance;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn auth_must_be_on() {
        let mut open = redis_instance("open");
        open.auth_enabled = false;
        let mut inv = Inventory::new();
        inv.gcp_redis_instances = vec![redis_instance("auth"), open];
        let f = run(&RedisAuthEnabled, &inv);
        assert_eq!(f.status_of("auth"), Status::Pass);
        assert_eq!(f.status_of("open"), Status::Fail);
        assert_eq!(f.evidence_of("open", "auth_enabled"), false);
    }
}
