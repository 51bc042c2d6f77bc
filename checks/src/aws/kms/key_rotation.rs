use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::KmsKey;

declare_check! {
    /// ## What it checks
    /// Every customer-managed symmetric KMS key (`KeyManager = CUSTOMER`,
    /// `KeySpec = SYMMETRIC_DEFAULT`) has automatic key rotation enabled. NOT_APPLICABLE,
    /// with the reason: AWS-managed keys (AWS rotates them yearly and nobody can turn that
    /// off), asymmetric and HMAC keys, keys pending deletion, and keys whose material is
    /// imported (`Origin = EXTERNAL`) or held in a custom key store (`AWS_CLOUDHSM`,
    /// `EXTERNAL_KEY_STORE`), for which KMS does not support automatic rotation. A key whose
    /// rotation status was not reported fails: rotation cannot be shown to be on.
    ///
    /// ## Why it matters
    /// Rotation limits how much ePHI one key version protects and how long a leaked key
    /// version stays useful; HIPAA's encryption specification expects keys to be managed,
    /// not just used (encryption and decryption, 45 CFR 164.312(a)(2)(iv)). KMS keeps old
    /// versions for decryption, so turning rotation on never breaks existing data.
    ///
    /// ## Evidence
    /// `key_manager`, `key_spec`, `key_state`, `origin` and `rotation_enabled`.
    ///
    /// ## Remediation
    /// `aws kms enable-key-rotation --key-id <key>` (optionally
    /// `--rotation-period-in-days <90..2560>`). For imported key material, rotate manually:
    /// create a new key, import new material, and repoint the alias.
    pub struct KmsKeyRotation {
        id: "aws-kms-key-rotation",
        title: "Customer-managed KMS keys rotate automatically",
        severity: Medium,
        provider: Aws,
        kinds: [AwsKmsKey],
        controls: [EncryptionDecryption],
    }
}

/// Why the check does not apply to `k`, if it does not.
fn not_applicable(k: &KmsKey) -> Option<String> {
    if k.key_state.starts_with("PendingDeletion") || k.key_state == "PendingReplicaDeletion" {
        return Some(format!(
            "The key is {}: it can no longer be used to encrypt.",
            k.key_state
        ));
    }
    if k.key_manager != "CUSTOMER" {
        return Some(format!(
            "The key is managed by {}, which rotates it; its rotation cannot be changed.",
            k.key_manager
        ));
    }
    if k.key_spec != "SYMMETRIC_DEFAULT" {
        return Some(format!(
            "The key spec is {}; KMS rotates only symmetric encryption keys automatically.",
            k.key_spec
        ));
    }
    match k.origin.as_deref() {
        Some(o @ ("EXTERNAL" | "AWS_CLOUDHSM" | "EXTERNAL_KEY_STORE")) => Some(format!(
            "The key's origin is {o} (imported material or a custom key store), for which KMS does not support automatic rotation."
        )),
        _ => None,
    }
}

impl Check for KmsKeyRotation {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<KmsKey>()
            .iter()
            .map(|k| {
                let builder = match (not_applicable(k), k.rotation_enabled) {
                    (Some(why), _) => ctx.not_applicable(&k.resource).reason(why),
                    (None, Some(true)) => ctx.pass(&k.resource).reason("Automatic rotation is enabled for the key."),
                    (None, Some(false)) => ctx.fail(&k.resource).reason("Automatic rotation is disabled for the key."),
                    (None, None) => ctx.fail(&k.resource).reason(
                        "The key's rotation status was not reported, so rotation cannot be shown to be enabled.",
                    ),
                };
                builder
                    .evidence("key_manager", &k.key_manager)
                    .evidence("key_spec", &k.key_spec)
                    .evidence("key_state", &k.key_state)
                    .evidence("origin", &k.origin)
                    .evidence("rotation_enabled", k.rotation_enabled)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::kms_key;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn with(id: &str, f: impl FnOnce(&mut KmsKey)) -> KmsKey {
        let mut k = kms_key(id);
        f(&mut k);
        k
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.aws_kms_keys = vec![
            kms_key("on"),
            with("off", |k| k.rotation_enabled = Some(false)),
            with("unreported", |k| k.rotation_enabled = None),
            with("aws-managed", |k| {
                k.key_manager = "AWS".into();
                k.rotation_enabled = Some(false)
            }),
            with("rsa", |k| {
                k.key_spec = "RSA_2048".into();
                k.rotation_enabled = None
            }),
            with("hmac", |k| k.key_spec = "HMAC_256".into()),
            with("imported", |k| {
                k.origin = Some("EXTERNAL".into());
                k.rotation_enabled = Some(false)
            }),
            with("dying", |k| {
                k.key_state = "PendingDeletion".into();
                k.rotation_enabled = Some(false)
            }),
        ];
        let f = run(&KmsKeyRotation, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("unreported"), Status::Fail);
        assert!(f.of("unreported").reason.contains("not reported"));
        for id in ["aws-managed", "rsa", "hmac", "imported", "dying"] {
            assert_eq!(f.status_of(id), Status::NotApplicable, "{id}");
        }
    }
}
