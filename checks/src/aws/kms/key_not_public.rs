use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::KmsKey;
use crate::aws::policy_doc;

declare_check! {
    /// ## What it checks
    /// No KMS key policy has an `Allow` statement for everyone without a condition:
    /// `Principal` `"*"`, `{"AWS": "*"}` or `{"AWS": ["*", ...]}`, or an Allow with
    /// `NotPrincipal` (everyone except the listed principals). A wildcard Allow that carries
    /// a `Condition` (typically `kms:CallerAccount` + `kms:ViaService`, as in AWS-managed
    /// keys' policies) passes, and the evidence shows its conditions so a reviewer can
    /// judge them. When the key policy could not be read the finding is ERROR: the data is
    /// missing, and neither PASS nor FAIL would be true.
    ///
    /// ## Why it matters
    /// A key anyone can use to decrypt protects nothing: the ePHI it encrypts (volumes,
    /// buckets, databases, backups) is as open as the key. The policies limit access granted
    /// to external parties "to the minimum necessary" (access control, 45 CFR 164.312(a)(1);
    /// access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `key_manager`, `key_state`, `policy_available`, `public_statements` (Sid and actions
    /// of each unconditioned wildcard Allow) and `conditioned_wildcard_statements` (Sid,
    /// actions and conditions).
    ///
    /// ## Remediation
    /// Replace the wildcard principal with the account root or named roles, or add
    /// conditions that pin the caller (`kms:CallerAccount`, `aws:PrincipalOrgID`):
    /// `aws kms get-key-policy --key-id <key> --policy-name default`, edit, then
    /// `aws kms put-key-policy --key-id <key> --policy-name default --policy file://policy.json`.
    pub struct KmsKeyNotPublic {
        id: "aws-kms-key-not-public",
        title: "KMS key policies do not allow everyone",
        severity: Critical,
        provider: Aws,
        kinds: [AwsKmsKey],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for KmsKeyNotPublic {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<KmsKey>()
            .iter()
            .map(|k| {
                let Some(policy) = &k.policy else {
                    return ctx
                        .error(&k.resource)
                        .evidence("key_manager", &k.key_manager)
                        .evidence("key_state", &k.key_state)
                        .evidence("policy_available", false)
                        .reason("The key policy was not available, so who may use the key cannot be judged.")
                        .build();
                };
                let (open, conditioned) = policy_doc::everyone_allowed(policy);
                let reason = if !open.is_empty() {
                    format!("The key policy allows everyone without a condition in {} statement(s).", open.len())
                } else if !conditioned.is_empty() {
                    format!("The key policy names everyone only under conditions ({} statement(s)); see the conditions in the evidence.", conditioned.len())
                } else {
                    "No statement of the key policy allows everyone.".to_string()
                };
                ctx.verdict(open.is_empty(), &k.resource)
                    .evidence("key_manager", &k.key_manager)
                    .evidence("key_state", &k.key_state)
                    .evidence("policy_available", true)
                    .evidence("public_statements", open)
                    .evidence("conditioned_wildcard_statements", conditioned)
                    .reason(reason)
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
    use phiscan_core::Inventory;
    use phiscan_core::Status;
    use serde_json::{json, Value};

    fn with_policy(id: &str, policy: Option<Value>) -> KmsKey {
        let mut k = kms_key(id);
        k.policy = policy;
        k
    }

    fn root() -> Value {
        json!({"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"})
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.aws_kms_keys = vec![
            with_policy("private", Some(json!({"Statement": [root()]}))),
            with_policy(
                "star",
                Some(
                    json!({"Statement": [root(), {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]}),
                ),
            ),
            with_policy(
                "aws-star-list",
                Some(
                    json!({"Statement": {"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "kms:*", "Resource": "*"}}),
                ),
            ),
            with_policy(
                "not-principal",
                Some(
                    json!({"Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "kms:*"}]}),
                ),
            ),
            with_policy(
                "conditioned",
                Some(
                    json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["kms:Decrypt"],
                "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333", "kms:ViaService": "ebs.us-east-1.amazonaws.com"}}}]}),
                ),
            ),
            with_policy(
                "deny-star",
                Some(
                    json!({"Statement": [root(), {"Effect": "Deny", "Principal": "*", "Action": "kms:*"}]}),
                ),
            ),
            with_policy("unreadable", None),
        ];
        let f = run(&KmsKeyNotPublic, &inv);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert_eq!(f.status_of("star"), Status::Fail);
        assert_eq!(
            f.evidence_of("star", "public_statements")[0]["actions"],
            json!(["kms:Decrypt"])
        );
        assert_eq!(f.status_of("aws-star-list"), Status::Fail);
        assert_eq!(f.status_of("not-principal"), Status::Fail);
        assert_eq!(f.status_of("conditioned"), Status::Pass);
        assert_eq!(
            f.evidence_of("conditioned", "conditioned_wildcard_statements")[0]["condition"]
                ["StringEquals"]["kms:CallerAccount"],
            json!("111122223333")
        );
        assert_eq!(f.status_of("deny-star"), Status::Pass);
        assert_eq!(f.status_of("unreadable"), Status::Error);
    }
}
