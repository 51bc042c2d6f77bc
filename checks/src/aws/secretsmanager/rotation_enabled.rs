use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::Secret;

declare_check! {
    /// ## What it checks
    /// Every Secrets Manager secret has automatic rotation on (`RotationEnabled = true` in
    /// ListSecrets). The schedule and the last rotation are evidence; whether the rotation
    /// function works is not judged (a rotation that keeps failing shows as an old
    /// `last_rotated`).
    ///
    /// ## Why it matters
    /// Database passwords and API keys that reach ePHI must change when people leave and
    /// when they may have leaked; a secret that never rotates stays valid for as long as
    /// anyone kept a copy (password management, 45 CFR 164.308(a)(5)(ii)(D); person or
    /// entity authentication, 164.312(d)).
    ///
    /// ## Evidence
    /// `rotation_enabled`, `rotation_days` and `last_rotated`.
    ///
    /// ## Remediation
    /// `aws secretsmanager rotate-secret --secret-id <id> --rotation-rules
    /// AutomaticallyAfterDays=30` with `--rotation-lambda-arn <fn>` (or managed rotation for
    /// RDS, Redshift and DocumentDB credentials:
    /// `aws rds modify-db-instance --manage-master-user-password`).
    pub struct SecretRotationEnabled {
        id: "aws-secretsmanager-rotation-enabled",
        title: "Secrets Manager secrets rotate automatically",
        severity: Medium,
        provider: Aws,
        kinds: [AwsSecretsManagerSecret],
        controls: [PasswordManagement, PersonEntityAuthentication],
    }
}

impl Check for SecretRotationEnabled {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<Secret>()
            .iter()
            .map(|s| {
                let reason = match (s.rotation_enabled, s.rotation_days) {
                    (true, Some(d)) => format!("Automatic rotation is on, every {d} days."),
                    (true, None) => "Automatic rotation is on.".to_string(),
                    (false, _) => "Automatic rotation is off: the secret stays valid until someone changes it.".to_string(),
                };
                ctx.verdict(s.rotation_enabled, &s.resource)
                    .evidence("rotation_enabled", s.rotation_enabled)
                    .evidence("rotation_days", s.rotation_days)
                    .evidence("last_rotated", s.last_rotated)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::secret;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn rotation_on_passes_off_fails() {
        let mut manual = secret("manual");
        manual.rotation_enabled = false;
        manual.rotation_days = None;
        let mut inv = Inventory::new();
        inv.aws_secretsmanager_entries = vec![secret("rotated"), manual];
        let f = run(&SecretRotationEnabled, &inv);
        assert_eq!(f.status_of("rotated"), Status::Pass);
        assert!(f.of("rotated").reason.contains("every 30 days"));
        assert_eq!(f.status_of("manual"), Status::Fail);
    }
}
