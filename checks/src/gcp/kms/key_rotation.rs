use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::KmsKey;

declare_check! {
    /// ## What it checks
    /// Every Cloud KMS key with purpose `ENCRYPT_DECRYPT` has automatic rotation on
    /// (`rotationPeriod` set) with a period of at most `params.max_key_rotation_days`
    /// (90 by default). Keys of any other purpose (`ASYMMETRIC_SIGN`, `ASYMMETRIC_DECRYPT`,
    /// `MAC`, `RAW_ENCRYPT_DECRYPT`, ...) are NOT_APPLICABLE: Cloud KMS rotates only
    /// symmetric encryption keys automatically, so rotating the others is a manual
    /// procedure. A key whose primary version is `DESTROYED`, `DESTROY_SCHEDULED` or
    /// `DISABLED` is NOT_APPLICABLE too: it encrypts nothing new. A primary state that
    /// was not reported does not excuse the key; its rotation is checked.
    ///
    /// ## Why it matters
    /// The keys that wrap Janus HCP's disks, databases and buckets protect ePHI at rest
    /// (encryption and decryption, 45 CFR 164.312(a)(2)(iv)). Regular rotation limits how
    /// much data one compromised key version exposes and is expected by the key-management
    /// practice behind the policies' "all hard drives are encrypted" promise.
    ///
    /// ## Evidence
    /// `purpose`, `primary_state`, `rotation_period_seconds`, `rotation_period_days`,
    /// `max_rotation_days` and `next_rotation_time`.
    ///
    /// ## Remediation
    /// `gcloud kms keys update <key> --keyring=<ring> --location=<loc>
    /// --rotation-period=90d --next-rotation-time=<RFC 3339 time>`. Rotation creates a new
    /// primary version; old versions stay to decrypt old data until they are destroyed.
    pub struct KmsKeyRotation {
        id: "gcp-kms-key-rotation",
        title: "Cloud KMS encryption keys rotate at least every 90 days",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpKmsKey],
        controls: [EncryptionDecryption],
    }
}

const SECONDS_PER_DAY: i64 = 86_400;

impl Check for KmsKeyRotation {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let max_days = ctx.config.params.max_key_rotation_days;
        ctx.resources::<KmsKey>()
            .iter()
            .map(|k| {
                let state = k.primary_state.as_deref().map(str::trim);
                let period = k.rotation_period_seconds;
                let days = period.map(|s| s as f64 / SECONDS_PER_DAY as f64);
                let builder = if !k.purpose.trim().eq_ignore_ascii_case("ENCRYPT_DECRYPT") {
                    ctx.not_applicable(&k.resource).reason(format!(
                        "The key's purpose is {}; Cloud KMS rotates only ENCRYPT_DECRYPT keys automatically.",
                        k.purpose
                    ))
                } else if let Some(s @ ("DESTROYED" | "DESTROY_SCHEDULED" | "DISABLED")) = state {
                    ctx.not_applicable(&k.resource)
                        .reason(format!("The key's primary version is {s}, so it encrypts no new data."))
                } else {
                    match period {
                        None => ctx.fail(&k.resource).reason("Automatic rotation is off: the key has no rotation period."),
                        Some(s) if s <= 0 => ctx
                            .fail(&k.resource)
                            .reason(format!("The rotation period of {s} seconds is not a valid period.")),
                        Some(s) if s > max_days.saturating_mul(SECONDS_PER_DAY) => ctx.fail(&k.resource).reason(format!(
                            "The key rotates every {:.1} days, longer than the allowed {max_days} days.",
                            s as f64 / SECONDS_PER_DAY as f64
                        )),
                        Some(s) => ctx.pass(&k.resource).reason(format!(
                            "The key rotates automatically every {:.1} days (at most {max_days} allowed).",
                            s as f64 / SECONDS_PER_DAY as f64
                        )),
                    }
                };
                builder
                    .evidence("purpose", &k.purpose)
                    .evidence("primary_state", &k.primary_state)
                    .evidence("rotation_period_seconds", period)
                    .evidence("rotation_period_days", days)
                    .evidence("max_rotation_days", max_days)
                    .evidence("next_rotation_time", k.next_rotation_time)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::kms_key;
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    fn key(id: &str, purpose: &str, days: Option<i64>, state: Option<&str>) -> KmsKey {
        KmsKey {
            purpose: purpose.into(),
            rotation_period_seconds: days.map(|d| d * SECONDS_PER_DAY),
            primary_state: state.map(str::to_string),
            ..kms_key(id)
        }
    }

    fn estate() -> Inventory {
        let mut inv = Inventory::new();
        inv.gcp_kms_keys = vec![
            key("rot-90", "ENCRYPT_DECRYPT", Some(90), Some("ENABLED")),
            key("rot-30-state-unknown", "ENCRYPT_DECRYPT", Some(30), None),
            key("rot-365", "ENCRYPT_DECRYPT", Some(365), Some("ENABLED")),
            key("no-rotation", "ENCRYPT_DECRYPT", None, Some("ENABLED")),
            key("zero", "ENCRYPT_DECRYPT", Some(0), Some("ENABLED")),
            key("signing", "ASYMMETRIC_SIGN", None, Some("ENABLED")),
            key("destroyed", "ENCRYPT_DECRYPT", None, Some("DESTROYED")),
            key("disabled", "ENCRYPT_DECRYPT", None, Some("DISABLED")),
        ];
        inv
    }

    #[test]
    fn verdicts() {
        let f = run(&KmsKeyRotation, &estate());
        assert_eq!(f.status_of("rot-90"), Status::Pass);
        assert_eq!(f.evidence_of("rot-90", "rotation_period_days"), 90.0);
        assert_eq!(f.status_of("rot-30-state-unknown"), Status::Pass);
        assert_eq!(f.status_of("rot-365"), Status::Fail);
        assert!(f.of("rot-365").reason.contains("365.0 days"));
        assert_eq!(f.status_of("no-rotation"), Status::Fail);
        assert_eq!(f.status_of("zero"), Status::Fail);
        assert_eq!(f.status_of("signing"), Status::NotApplicable);
        assert_eq!(f.status_of("destroyed"), Status::NotApplicable);
        assert!(f.of("destroyed").reason.contains("DESTROYED"));
        assert_eq!(f.status_of("disabled"), Status::NotApplicable);
    }

    #[test]
    fn limit_comes_from_config() {
        let mut config = Config::default();
        config.params.max_key_rotation_days = 400;
        let f = run_with(&KmsKeyRotation, &estate(), &config);
        assert_eq!(f.status_of("rot-365"), Status::Pass);
        config.params.max_key_rotation_days = 60;
        let f = run_with(&KmsKeyRotation, &estate(), &config);
        assert_eq!(f.status_of("rot-90"), Status::Fail);
    }
}
