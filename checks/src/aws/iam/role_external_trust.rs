use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::IamRole;
use serde_json::Value;

use crate::aws::external_access::{external_grants, writes_unless};
use crate::aws::policy_doc::statements;

/// Verbs of actions that only read, across services.
const READ_VERBS: [&str; 11] = [
    "get", "list", "describe", "head", "batchget", "query", "scan", "select", "view", "search",
    "lookup",
];

/// Whether the role may change something: an AWS-managed policy not named as read-only, a
/// permission document allowing a non-read action, or a policy phiscan could not read.
fn role_writes(r: &IamRole) -> bool {
    let read_only_name = |n: &str| n.contains("ReadOnly") || n == "ViewOnlyAccess" || n == "SecurityAudit";
    r.aws_managed_policies.iter().any(|n| !read_only_name(n))
        || !r.unresolved_policies.is_empty()
        || r.permission_documents.iter().any(|d| {
            statements(d)
                .iter()
                .any(|st| st.is_allow() && writes_unless(st, &READ_VERBS))
        })
}

declare_check! {
    /// ## What it checks
    /// A role's trust policy admits no principal outside the account except partners of the
    /// `[[third_parties]]` list, and those only as the list allows: everyone (`*`) or an
    /// account on no list fails; a partner fails when the statement trusting it has no
    /// `sts:ExternalId` condition, when its `expires` has passed, or when it is listed for
    /// `read` access and the role may write (an AWS-managed policy not named read-only, a
    /// permission document allowing a non-read action, or a policy phiscan could not read).
    /// AWS service principals are AWS itself. Without `[[third_parties]]` every external
    /// principal is a finding. A role whose trust policy was not reported is ERROR.
    ///
    /// ## Why it matters
    /// The Janus policy: "Third parties are unable to make changes to any ...
    /// infrastructure without explicit permission", access "limited to the minimum
    /// necessary and granted only for the duration required", from "a list all current
    /// Partners". A role a stranger can assume, or a partner can assume without the
    /// external id that prevents confused-deputy use, hands the account to them (access
    /// control, 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `role_writes`, `aws_managed_policies`, `partners_listed` and `external_grants`
    /// (principal, account, `external_id`, `allowed` and `why` for each external principal
    /// trusted).
    ///
    /// ## Remediation
    /// Remove the stranger from the trust policy, add `"Condition": {"StringEquals":
    /// {"sts:ExternalId": "<id agreed with the partner>"}}` to the partner's statement,
    /// narrow a read partner's role to read-only policies:
    /// `aws iam update-assume-role-policy --role-name <role> --policy-document file://trust.json`.
    pub struct IamRoleExternalTrust {
        id: "aws-iam-role-external-trust",
        title: "Roles trust no account outside the partner list, partners only with an external id",
        severity: High,
        provider: Aws,
        kinds: [AwsIamRole],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for IamRoleExternalTrust {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<IamRole>()
            .iter()
            .map(|r| {
                let Some(trust) = &r.trust_policy else {
                    return ctx
                        .error(&r.resource)
                        .evidence("trust_policy_available", false)
                        .reason("The role's trust policy was not reported: who may assume it is unknown.")
                        .build();
                };
                let writes = role_writes(r);
                let grants = external_grants(
                    trust,
                    &r.resource.account,
                    ctx.config.partners(),
                    ctx.now.date_naive(),
                    &|_| writes,
                );
                let mut bad = 0;
                let evidence: Vec<Value> = grants
                    .into_iter()
                    .map(|g| {
                        let mut e = g.evidence;
                        e["external_id"] = g.external_id.into();
                        if g.allowed && !g.external_id {
                            e["allowed"] = false.into();
                            e["why"] = format!(
                                "{}, trusted without an sts:ExternalId condition",
                                e["why"].as_str().unwrap_or_default()
                            )
                            .into();
                        }
                        bad += usize::from(e["allowed"] == false);
                        e
                    })
                    .collect();
                let reason = match (evidence.len(), bad) {
                    (0, _) => "The trust policy admits no principal outside the account.".to_string(),
                    (n, 0) => format!("The trust policy admits {n} external principal(s), each a current partner, with an external id, within its access."),
                    (_, b) => format!("The trust policy admits {b} external principal(s) the partner list does not allow as trusted (see external_grants)."),
                };
                ctx.verdict(bad == 0, &r.resource)
                    .evidence("role_writes", writes)
                    .evidence("aws_managed_policies", &r.aws_managed_policies)
                    .evidence("partners_listed", ctx.config.third_parties.len())
                    .evidence("external_grants", evidence)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::iam_role;
    use crate::testing::{run, run_with, segmented};
    use phiscan_core::{Inventory, Status};
    use serde_json::json;

    fn trusting(id: &str, principal: Value, condition: Option<Value>, managed: &[&str]) -> IamRole {
        let mut st = json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
        if let Some(c) = condition {
            st["Condition"] = c;
        }
        IamRole {
            trust_policy: Some(json!({"Statement": [st]})),
            aws_managed_policies: managed.iter().map(|m| m.to_string()).collect(),
            ..iam_role(id)
        }
    }

    #[test]
    fn verdicts() {
        let ext = || Some(json!({"StringEquals": {"sts:ExternalId": "acme-7f3e"}}));
        let partner = json!({"AWS": "arn:aws:iam::210987654321:root"});
        let mut inv = Inventory::new();
        let mut unknown = iam_role("unknown");
        unknown.trust_policy = None;
        let mut writer = trusting("partner-writes", partner.clone(), ext(), &[]);
        writer.permission_documents = vec![json!({"Statement": {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}})];
        inv.aws_iam_roles = vec![
            iam_role("service"),
            unknown,
            trusting("partner-read", partner.clone(), ext(), &["ReadOnlyAccess"]),
            trusting("partner-no-external-id", partner.clone(), None, &["ReadOnlyAccess"]),
            trusting("partner-admin", partner, ext(), &["AdministratorAccess"]),
            writer,
            trusting("stranger", json!({"AWS": "999988887777"}), ext(), &["ReadOnlyAccess"]),
            trusting("everyone", json!("*"), None, &[]),
        ];
        let f = run_with(&IamRoleExternalTrust, &inv, &segmented());
        f.assert_statuses(&[
            ("service", Status::Pass),
            ("unknown", Status::Error),
            ("partner-read", Status::Pass),
            ("partner-no-external-id", Status::Fail),
            ("partner-admin", Status::Fail),
            ("partner-writes", Status::Fail),
            ("stranger", Status::Fail),
            ("everyone", Status::Fail),
        ]);
        assert!(f.of("partner-no-external-id").reason.contains("1 external"));
        assert_eq!(f.evidence_of("partner-admin", "role_writes"), json!(true));
        // Without a partner list even the partner is a stranger.
        assert_eq!(run(&IamRoleExternalTrust, &inv).status_of("partner-read"), Status::Fail);
    }
}
