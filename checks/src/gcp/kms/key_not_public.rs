use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::KmsKey;

use crate::gcp::shared::{describe_grants, grants_evidence, public_grants};

declare_check! {
    /// ## What it checks
    /// No IAM binding on a Cloud KMS key grants a role to `allUsers` (anyone on the
    /// internet) or `allAuthenticatedUsers` (anyone with a Google account). Every key is
    /// judged whatever its purpose or state: even a disabled key can be re-enabled, and a
    /// public grant on it shows a broken access review.
    ///
    /// Bindings inherited from the key ring, project or organization are not collected; the
    /// key's own policy is what this check reads.
    ///
    /// ## Why it matters
    /// A key that anyone may use to decrypt (`roles/cloudkms.cryptoKeyDecrypter`) makes
    /// every disk, database and bucket it protects readable to whoever obtains the
    /// ciphertext, and a public admin role lets anyone destroy the key and with it the
    /// ePHI. Janus HCP limits access granted to external parties "to the minimum necessary"
    /// (access control, 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `public_bindings` (role and public members of each binding that grants public
    /// access), `binding_count`, `purpose` and `primary_state`.
    ///
    /// ## Remediation
    /// `gcloud kms keys remove-iam-policy-binding <key> --keyring=<ring> --location=<loc>
    /// --member=allUsers --role=<role>` (and the same for `allAuthenticatedUsers`); grant the
    /// service agents and groups that need the key by name instead. Set the organization
    /// policy `constraints/iam.allowedPolicyMemberDomains` to stop public members being added.
    pub struct KmsKeyNotPublic {
        id: "gcp-kms-key-not-public",
        title: "Cloud KMS keys are not accessible to the public",
        severity: Critical,
        provider: Gcp,
        kinds: [GcpKmsKey],
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
                let public = public_grants(&k.iam_bindings);
                let reason = if public.is_empty() {
                    format!(
                        "None of the key's {} IAM binding(s) grants a role to allUsers or allAuthenticatedUsers.",
                        k.iam_bindings.len()
                    )
                } else {
                    format!("The key's IAM policy grants {}.", describe_grants(&public))
                };
                ctx.verdict(public.is_empty(), &k.resource)
                    .evidence("public_bindings", grants_evidence(&public))
                    .evidence("binding_count", k.iam_bindings.len())
                    .evidence("purpose", &k.purpose)
                    .evidence("primary_state", &k.primary_state)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{iam_binding, kms_key};
    use crate::testing::run;

    use phiscan_core::{Inventory, Status};

    fn key(id: &str, bindings: &[(&str, &[&str])]) -> KmsKey {
        KmsKey {
            iam_bindings: bindings
                .iter()
                .map(|(role, members)| iam_binding(role, members))
                .collect(),
            ..kms_key(id)
        }
    }

    #[test]
    fn public_members_fail_whatever_the_state() {
        let sa = "serviceAccount:service-1@compute-system.iam.gserviceaccount.com";
        let mut inv = Inventory::new();
        inv.gcp_kms_keys = vec![
            key(
                "private",
                &[("roles/cloudkms.cryptoKeyEncrypterDecrypter", &[sa])],
            ),
            key("no-policy", &[]),
            key(
                "decrypt-for-all",
                &[("roles/cloudkms.cryptoKeyDecrypter", &[sa, "allUsers"])],
            ),
            key(
                "viewer-for-google",
                &[("roles/cloudkms.viewer", &["allAuthenticatedUsers"])],
            ),
        ];
        let f = run(&KmsKeyNotPublic, &inv);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert_eq!(f.evidence_of("private", "binding_count"), 1);
        assert_eq!(f.status_of("no-policy"), Status::Pass);
        assert_eq!(f.status_of("decrypt-for-all"), Status::Fail);
        assert_eq!(
            f.evidence_of("decrypt-for-all", "public_bindings")[0]["members"],
            serde_json::json!(["allUsers"])
        );
        assert!(f
            .of("decrypt-for-all")
            .reason
            .contains("roles/cloudkms.cryptoKeyDecrypter"));
        assert_eq!(f.status_of("viewer-for-google"), Status::Fail);
    }
}
