use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::IamPolicy;

use crate::aws::policy_doc::statements;

declare_check! {
    /// ## What it checks
    /// No customer-managed IAM policy (its default version) and no inline policy of a user,
    /// role or group has an `Allow` statement granting every action (`"Action": "*"` or
    /// `"*:*"`) on every resource (`"Resource": "*"`): full administrator rights. A
    /// `Condition` does not save the statement (it narrows who may use the grant, not what
    /// the grant is); the evidence shows it. Unattached managed policies are judged too:
    /// attaching one later is one API call. AWS-managed policies such as
    /// `AdministratorAccess` are not listed by ListPolicies(Scope=Local) and are not judged
    /// here. A document that could not be parsed is ERROR, never PASS.
    ///
    /// ## Why it matters
    /// The policies promise that access to ePHI is limited to the minimum necessary. A
    /// `*:*` grant gives its holder every ePHI store, every key that decrypts it and the
    /// power to erase the audit trail (access authorization, 45 CFR 164.308(a)(4)(ii)(B);
    /// access control, 164.312(a)(1)).
    ///
    /// ## Evidence
    /// `policy_type` (`managed`, `user-inline`, `role-inline`, `group-inline`),
    /// `owner_arn`, `attachment_count`, `default_version_id` and `admin_statements` (the
    /// offending statements as written).
    ///
    /// ## Remediation
    /// Replace the statement with the actions and resources the role needs (IAM Access
    /// Analyzer can generate a policy from CloudTrail activity), and keep break-glass
    /// administrator access in a separate, monitored role:
    /// `aws iam create-policy-version --policy-arn <arn> --policy-document file://least.json
    /// --set-as-default`, or `aws iam put-role-policy` for inline policies.
    pub struct IamNoAdminStarPolicy {
        id: "aws-iam-no-admin-star-policy",
        title: "No IAM policy grants full administrator rights (*:*)",
        severity: High,
        provider: Aws,
        kinds: [AwsIamPolicy],
        controls: [AccessAuthorization, AccessControl],
    }
}

impl Check for IamNoAdminStarPolicy {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<IamPolicy>()
            .iter()
            .map(|p| {
                let base = |b: phiscan_core::check::FindingBuilder| {
                    b.evidence("policy_type", &p.policy_type)
                        .evidence("owner_arn", &p.owner_arn)
                        .evidence("attachment_count", p.attachment_count)
                        .evidence("default_version_id", &p.default_version_id)
                };
                if !p.document.is_object() {
                    return base(ctx.error(&p.resource))
                        .evidence("document", &p.document)
                        .reason("The policy document could not be parsed, so its grants are unknown.")
                        .build();
                }
                let admin: Vec<&serde_json::Value> = statements(&p.document)
                    .into_iter()
                    .filter(|s| s.is_allow() && s.grants_all_actions() && s.covers_all_resources())
                    .map(|s| s.raw())
                    .collect();
                let reason = if admin.is_empty() {
                    "No Allow statement grants every action on every resource.".to_string()
                } else {
                    let attached = match p.attachment_count {
                        Some(0) => " It is attached to nothing today.",
                        _ => "",
                    };
                    format!(
                        "{} statement(s) allow every action (*) on every resource (*): full administrator rights.{attached}",
                        admin.len()
                    )
                };
                base(ctx.verdict(admin.is_empty(), &p.resource))
                    .evidence("admin_statements", &admin)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::iam_policy;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};
    use serde_json::json;

    fn policy(id: &str, document: serde_json::Value) -> IamPolicy {
        IamPolicy {
            document,
            ..iam_policy(id)
        }
    }

    fn doc(
        effect: &str,
        action: serde_json::Value,
        resource: serde_json::Value,
    ) -> serde_json::Value {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::phi/*"},
            {"Effect": effect, "Action": action, "Resource": resource}]})
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.aws_iam_policies = vec![
            policy("star", doc("Allow", json!("*"), json!("*"))),
            policy("star-colon", doc("Allow", json!(["*:*"]), json!(["*"]))),
            policy("deny-star", doc("Deny", json!("*"), json!("*"))),
            policy("s3-all", doc("Allow", json!("s3:*"), json!("*"))),
            policy(
                "star-on-one-bucket",
                doc("Allow", json!("*"), json!("arn:aws:s3:::phi")),
            ),
            policy("garbled", json!("{not json")),
        ];
        let mut inline = policy(
            "inline",
            json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}}),
        );
        inline.policy_type = "role-inline".into();
        inline.attachment_count = None;
        inv.aws_iam_policies.push(inline);
        let f = run(&IamNoAdminStarPolicy, &inv);
        assert_eq!(f.status_of("star"), Status::Fail);
        assert_eq!(f.status_of("star-colon"), Status::Fail);
        assert_eq!(f.status_of("inline"), Status::Fail);
        assert_eq!(f.status_of("deny-star"), Status::Pass);
        assert_eq!(f.status_of("s3-all"), Status::Pass);
        assert_eq!(f.status_of("star-on-one-bucket"), Status::Pass);
        assert_eq!(f.status_of("garbled"), Status::Error);
        assert_eq!(
            f.evidence_of("star", "admin_statements"),
            json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}])
        );
    }
}
