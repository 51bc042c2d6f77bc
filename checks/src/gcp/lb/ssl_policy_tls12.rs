use std::collections::HashMap;

use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::{SslPolicy, TargetProxy};
use phiscan_core::ResourceKind;

declare_check! {
    /// ## What it checks
    /// Every target HTTPS proxy and target SSL proxy (where a Google Cloud load balancer
    /// terminates TLS) has an SSL policy whose minimum TLS version is `TLS_1_2` or newer.
    /// The policy is looked up in the inventory by its self link (compared from `projects/`
    /// on, so API host and version prefixes do not matter).
    ///
    /// - No SSL policy attached: FAIL, because GCP's default policy is `COMPATIBLE` with
    ///   TLS 1.0 as the minimum.
    /// - A policy with `TLS_1_0` or `TLS_1_1` (or a value phiscan does not recognise): FAIL.
    /// - The attached policy's self link is not in the inventory: FAIL with the reason
    ///   "policy not found", since a minimum version that cannot be seen cannot be shown to
    ///   be TLS 1.2 (the policy may live in another project that was not scanned). When SSL
    ///   policy collection failed in the proxy's project the finding is ERROR instead, as
    ///   the policy is then most likely missing because of that failure.
    /// - Any other proxy type (e.g. a target HTTP proxy) is NOT_APPLICABLE: it does not
    ///   terminate TLS.
    ///
    /// ## Why it matters
    /// Janus HCP promises that "all data transmission is encrypted" and that connections
    /// with third parties are "encrypted end to end". TLS 1.0 and 1.1 have known weaknesses
    /// and are deprecated (RFC 8996); a load balancer that still negotiates them does not
    /// protect ePHI in transit as the Security Rule expects (transmission security,
    /// 45 CFR 164.312(e)(1); integrity controls, 164.312(e)(2)(i); encryption,
    /// 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `proxy_type`, `ssl_policy` (self link or null), `policy_found`, `min_tls_version`
    /// and `profile` (of the attached policy, null when none was found).
    ///
    /// ## Remediation
    /// `gcloud compute ssl-policies create tls12-modern --profile=MODERN
    /// --min-tls-version=1.2` (or `RESTRICTED`), then
    /// `gcloud compute target-https-proxies update <proxy> --ssl-policy=tls12-modern`
    /// (`target-ssl-proxies update` for SSL proxies). Updating an existing policy with
    /// `gcloud compute ssl-policies update <policy> --min-tls-version=1.2` fixes every proxy
    /// that uses it.
    pub struct LbSslPolicyTls12 {
        id: "gcp-lb-ssl-policy-tls12",
        title: "Load balancer TLS proxies require TLS 1.2 or newer",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpTargetProxy, GcpSslPolicy],
        controls: [TransmissionSecurity, TransmissionIntegrityControls, TransmissionEncryption],
    }
}

/// A self link from `projects/` on: `https://www.googleapis.com/compute/v1/projects/p/...`
/// and `https://compute.googleapis.com/compute/beta/projects/p/...` name the same policy.
fn link_key(link: &str) -> &str {
    let link = link.trim();
    match link.find("projects/") {
        Some(i) => &link[i..],
        None => link,
    }
}

fn tls12_or_newer(version: &str) -> bool {
    matches!(
        version.trim().to_ascii_uppercase().as_str(),
        "TLS_1_2" | "TLS_1_3"
    )
}

impl Check for LbSslPolicyTls12 {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        // By link, looked up per proxy (a scan of every policy per proxy is quadratic);
        // the first policy of a link, as a scan would find.
        let mut policies: HashMap<&str, &SslPolicy> = HashMap::new();
        for sp in ctx.resources::<SslPolicy>() {
            policies.entry(link_key(&sp.self_link)).or_insert(sp);
        }
        ctx.resources::<TargetProxy>()
            .iter()
            .map(|p| {
                let link = p.ssl_policy.as_deref().map(str::trim).filter(|l| !l.is_empty());
                let policy = link.and_then(|l| policies.get(link_key(l)).copied());
                let kind = p.proxy_type.trim().to_ascii_lowercase();
                let builder = if kind != "https" && kind != "ssl" {
                    ctx.not_applicable(&p.resource).reason(format!(
                        "The proxy type is {}, which does not terminate TLS.",
                        p.proxy_type
                    ))
                } else {
                    match (link, policy) {
                        (None, _) => ctx.fail(&p.resource).reason(
                            "No SSL policy is attached, so GCP's default policy applies and admits TLS 1.0.",
                        ),
                        (Some(l), None) if policy_collection_failed(ctx, p) => ctx
                            .error(&p.resource)
                            .reason(format!(
                                "SSL policy {l} is not in the inventory because SSL policies could not be collected in project {}.",
                                p.resource.account
                            )),
                        (Some(l), None) => ctx.fail(&p.resource).reason(format!(
                            "The attached SSL policy {l} was not found (policy not found), so its minimum TLS version cannot be shown."
                        )),
                        (Some(_), Some(sp)) => ctx.verdict(tls12_or_newer(&sp.min_tls_version), &p.resource).reason(format!(
                            "The attached SSL policy {} has minimum TLS version {} (profile {}).",
                            sp.resource.name, sp.min_tls_version, sp.profile
                        )),
                    }
                };
                builder
                    .evidence("proxy_type", &p.proxy_type)
                    .evidence("ssl_policy", &p.ssl_policy)
                    .evidence("policy_found", policy.is_some())
                    .evidence("min_tls_version", policy.map(|sp| &sp.min_tls_version))
                    .evidence("profile", policy.map(|sp| &sp.profile))
                    .build()
            })
            .collect()
    }
}

/// Whether SSL policies could not be collected in the proxy's project (any region).
fn policy_collection_failed(ctx: &Ctx, p: &TargetProxy) -> bool {
    ctx.inventory
        .errors
        .iter()
        .any(|e| e.kind == ResourceKind::GcpSslPolicy && e.account == p.resource.account)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{ssl_policy, target_proxy, SSL_POLICIES};
    use crate::testing::{run, GCP_PROJECT};
    use phiscan_core::model::CollectionError;
    use phiscan_core::Status;
    use phiscan_core::{Inventory, Provider};

    const V1: &str = SSL_POLICIES;

    fn policy(name: &str, min: &str) -> SslPolicy {
        SslPolicy {
            min_tls_version: min.into(),
            ..ssl_policy(name)
        }
    }

    fn proxy(id: &str, kind: &str, policy: Option<&str>) -> TargetProxy {
        TargetProxy {
            proxy_type: kind.into(),
            ssl_policy: policy.map(str::to_string),
            ..target_proxy(id)
        }
    }

    fn estate() -> Inventory {
        let mut inv = Inventory::new();
        inv.gcp_ssl_policies = vec![policy("tls12", "TLS_1_2"), policy("tls10", "TLS_1_0")];
        inv.gcp_target_proxies = vec![
            proxy("https-tls12", "https", Some(&format!("{V1}tls12"))),
            proxy(
                "ssl-tls12-beta-link",
                "ssl",
                Some("https://compute.googleapis.com/compute/beta/projects/proj-1/global/sslPolicies/tls12"),
            ),
            proxy("https-tls10", "https", Some(&format!("{V1}tls10"))),
            proxy("https-default", "https", None),
            proxy("https-missing", "https", Some(&format!("{V1}gone"))),
            proxy("http-plain", "http", None),
        ];
        inv
    }

    #[test]
    fn verdicts() {
        let f = run(&LbSslPolicyTls12, &estate());
        assert_eq!(f.status_of("https-tls12"), Status::Pass);
        assert_eq!(f.evidence_of("https-tls12", "min_tls_version"), "TLS_1_2");
        assert_eq!(f.status_of("ssl-tls12-beta-link"), Status::Pass);
        assert_eq!(f.status_of("https-tls10"), Status::Fail);
        assert_eq!(f.status_of("https-default"), Status::Fail);
        assert!(f.of("https-default").reason.contains("default"));
        assert_eq!(f.status_of("https-missing"), Status::Fail);
        assert!(f.of("https-missing").reason.contains("policy not found"));
        assert_eq!(f.evidence_of("https-missing", "policy_found"), false);
        assert_eq!(f.status_of("http-plain"), Status::NotApplicable);
    }

    #[test]
    fn missing_policy_is_error_when_policy_collection_failed() {
        let mut inv = estate();
        inv.errors.push(CollectionError {
            provider: Provider::Gcp,
            account: GCP_PROJECT.into(),
            region: Some("europe-west1".into()),
            kind: ResourceKind::GcpSslPolicy,
            resource: None,
            operation: None,
            reason: "PERMISSION_DENIED: compute.sslPolicies.list".into(),
        });
        let f = run(&LbSslPolicyTls12, &inv);
        assert_eq!(f.status_of("https-missing"), Status::Error);
        assert_eq!(f.status_of("https-tls10"), Status::Fail);
    }
}
