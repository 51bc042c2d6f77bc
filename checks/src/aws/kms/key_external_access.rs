use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::KmsKey;

use crate::aws::external_access::policy_verdict;

/// KMS actions that only use the key to read data or describe it: a `read` partner may
/// decrypt what was shared with it, never encrypt, re-encrypt, grant or administer.
const KMS_READ_VERBS: [&str; 4] = ["decrypt", "describe", "get", "list"];

declare_check! {
    /// ## What it checks
    /// A key policy grants nothing to principals outside the key's account except partners
    /// on the `[[third_parties]]` list, within what the list allows: their AWS account,
    /// `access` (a `read` partner may only Decrypt, Describe, Get and List) and `expires`.
    /// Everyone (`"*"`, `NotPrincipal`) fails unless a condition pins the caller's account
    /// (`kms:CallerAccount`, `aws:PrincipalAccount`, ...) to the account or listed partners,
    /// or to the organization. Without `[[third_parties]]` every external principal is a
    /// finding. A key whose policy could not be read is ERROR.
    ///
    /// ## Why it matters
    /// Whoever may use a key may read the ePHI it encrypts (volumes, buckets, snapshots,
    /// databases). The Janus policy limits external access "to the minimum necessary" and
    /// "only for the duration required" (access control, 45 CFR 164.312(a)(1); access
    /// authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `key_manager`, `policy_available`, `partners_listed` and `external_grants` (Sid,
    /// principal, account, actions, `writes`, `allowed` and `why` for each external
    /// principal granted).
    ///
    /// ## Remediation
    /// Remove the statement naming the stranger or narrow the partner's actions:
    /// `aws kms put-key-policy --key-id <key> --policy-name default --policy file://policy.json`.
    pub struct KmsKeyExternalAccess {
        id: "aws-kms-key-external-access",
        title: "Key policies grant nothing outside the account and the partner list",
        severity: High,
        provider: Aws,
        kinds: [AwsKmsKey],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for KmsKeyExternalAccess {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<KmsKey>()
            .iter()
            .map(|k| match &k.policy {
                None => ctx
                    .error(&k.resource)
                    .evidence("key_manager", &k.key_manager)
                    .evidence("policy_available", false)
                    .reason("The key policy was not available, so who may use the key cannot be judged.")
                    .build(),
                Some(doc) => policy_verdict(ctx, &k.resource, doc, "key policy", &KMS_READ_VERBS)
                    .evidence("key_manager", &k.key_manager)
                    .evidence("policy_available", true)
                    .build(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::kms_key;
    use crate::testing::{run_with, segmented};
    use phiscan_core::{Inventory, Status};
    use serde_json::json;

    fn with_policy(id: &str, principal: serde_json::Value, action: serde_json::Value) -> KmsKey {
        let mut k = kms_key(id);
        k.policy = Some(json!({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"}]}));
        k
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut unread = kms_key("unread");
        unread.policy = None;
        inv.aws_kms_keys = vec![
            unread,
            with_policy("partner-decrypts", json!({"AWS": "210987654321"}), json!(["kms:Decrypt", "kms:DescribeKey"])),
            with_policy("partner-encrypts", json!({"AWS": "210987654321"}), json!("kms:Encrypt")),
            with_policy("stranger", json!({"AWS": "arn:aws:iam::999988887777:root"}), json!("kms:Decrypt")),
            with_policy("account-only", json!("*"), json!("kms:Decrypt")),
        ];
        // The last one is pinned to the account by its condition.
        inv.aws_kms_keys[4].policy.as_mut().unwrap()["Statement"][1]["Condition"] =
            json!({"StringEquals": {"kms:CallerAccount": "111122223333"}});
        let f = run_with(&KmsKeyExternalAccess, &inv, &segmented());
        f.assert_statuses(&[
            ("unread", Status::Error),
            ("partner-decrypts", Status::Pass),
            ("partner-encrypts", Status::Fail),
            ("stranger", Status::Fail),
            ("account-only", Status::Pass),
        ]);
    }
}
