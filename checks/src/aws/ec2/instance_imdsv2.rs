use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::Ec2Instance;

declare_check! {
    /// ## What it checks
    /// Every EC2 instance requires IMDSv2 session tokens (`HttpTokens = required`) or has
    /// the instance metadata service turned off (`HttpEndpoint = disabled`). Terminated
    /// instances are NOT_APPLICABLE. When `HttpTokens` was not reported and the endpoint is
    /// not disabled, the instance fails: IMDSv1 cannot be ruled out.
    ///
    /// ## Why it matters
    /// With IMDSv1 any server-side request forgery in an application on the instance can
    /// read `http://169.254.169.254/` and walk away with the instance role's credentials,
    /// then act as the instance against S3, RDS and KMS holding ePHI. IMDSv2's session token
    /// (a PUT with a hop limit) defeats that, so only the instance authenticates as itself
    /// (access control, 45 CFR 164.312(a)(1); person or entity authentication, 164.312(d)).
    ///
    /// ## Evidence
    /// `state`, `imds_http_tokens` and `imds_http_endpoint`.
    ///
    /// ## Remediation
    /// `aws ec2 modify-instance-metadata-options --instance-id <id> --http-tokens required
    /// --http-endpoint enabled` (check the AWS SDKs on the instance are recent enough), and
    /// set the account default for new instances with
    /// `aws ec2 modify-instance-metadata-defaults --http-tokens required`.
    pub struct Ec2InstanceImdsv2 {
        id: "aws-ec2-instance-imdsv2",
        title: "EC2 instances require IMDSv2",
        severity: Medium,
        provider: Aws,
        kinds: [AwsEc2Instance],
        controls: [AccessControl, PersonEntityAuthentication],
    }
}

impl Check for Ec2InstanceImdsv2 {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<Ec2Instance>()
            .iter()
            .map(|i| {
                let tokens = i.imds_http_tokens.as_deref();
                let endpoint = i.imds_http_endpoint.as_deref();
                let builder = if i.state == "terminated" {
                    ctx.not_applicable(&i.resource)
                        .reason("The instance is terminated: it has no metadata service to protect.")
                } else if endpoint.is_some_and(|e| e.eq_ignore_ascii_case("disabled")) {
                    ctx.pass(&i.resource)
                        .reason("The instance metadata service is disabled (HttpEndpoint = disabled).")
                } else {
                    match tokens {
                        Some(t) if t.eq_ignore_ascii_case("required") => ctx
                            .pass(&i.resource)
                            .reason("The instance requires IMDSv2 session tokens (HttpTokens = required)."),
                        Some(t) => ctx.fail(&i.resource).reason(format!(
                            "The instance accepts IMDSv1 requests (HttpTokens = {t}): credentials can be read without a session token."
                        )),
                        None => ctx.fail(&i.resource).reason(
                            "HttpTokens was not reported and the metadata service is not disabled, so IMDSv1 cannot be ruled out.",
                        ),
                    }
                };
                builder
                    .evidence("state", &i.state)
                    .evidence("imds_http_tokens", tokens)
                    .evidence("imds_http_endpoint", endpoint)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::ec2_instance;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn imds(id: &str, state: &str, tokens: Option<&str>, endpoint: Option<&str>) -> Ec2Instance {
        let mut i = ec2_instance(id);
        i.state = state.into();
        i.imds_http_tokens = tokens.map(Into::into);
        i.imds_http_endpoint = endpoint.map(Into::into);
        i
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.aws_ec2_instances = vec![
            imds("v2", "running", Some("required"), Some("enabled")),
            imds("v1", "running", Some("optional"), Some("enabled")),
            imds("off", "stopped", Some("optional"), Some("disabled")),
            imds("unknown", "running", None, None),
            imds("gone", "terminated", Some("optional"), Some("enabled")),
        ];
        let f = run(&Ec2InstanceImdsv2, &inv);
        assert_eq!(f.status_of("v2"), Status::Pass);
        assert_eq!(f.status_of("v1"), Status::Fail);
        assert_eq!(f.status_of("off"), Status::Pass);
        assert_eq!(f.status_of("unknown"), Status::Fail);
        assert!(f.of("unknown").reason.contains("not reported"));
        assert_eq!(f.status_of("gone"), Status::NotApplicable);
    }
}
