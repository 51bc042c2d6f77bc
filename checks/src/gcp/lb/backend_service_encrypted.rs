use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::BackendService;

declare_check! {
    /// ## What it checks
    /// Every load balancer backend service talks to its backends over an encrypted protocol:
    /// `HTTPS`, `HTTP2` (HTTP/2 over TLS) or `SSL` PASS. `HTTP`, `H2C`, `GRPC` (cleartext
    /// HTTP/2), `TCP`, `UDP`, `UNSPECIFIED`, or no reported protocol FAIL.
    ///
    /// Load balancing schemes, decided as follows:
    /// - Proxy load balancers, external (`EXTERNAL`, `EXTERNAL_MANAGED`) **and** internal
    ///   (`INTERNAL_MANAGED`, `INTERNAL_SELF_MANAGED`), are judged alike: the proxy ends the
    ///   client's TLS and opens a new connection to the backend, and only this protocol says
    ///   whether that second leg is encrypted. "Internal" does not exempt it: the traffic
    ///   still crosses the network between the proxies and the VMs.
    /// - External passthrough network load balancers (`EXTERNAL` with `TCP`/`UDP`) FAIL
    ///   too: the backend is internet-facing and the configuration gives no evidence that the
    ///   payload is encrypted. If the backends terminate TLS themselves, waive the finding
    ///   with that reason.
    /// - Internal passthrough load balancers (`INTERNAL`) are NOT_APPLICABLE: they neither
    ///   end nor re-open connections, the client's own connection reaches the backend inside
    ///   the VPC, and whether it is encrypted is the application's business, not the load
    ///   balancer's.
    ///
    /// ## Why it matters
    /// Janus HCP promises that "all data transmission is encrypted". A load balancer that
    /// ends TLS at the edge and forwards ePHI to the backends in cleartext breaks that
    /// promise on the last hop (transmission security, 45 CFR 164.312(e)(1); encryption,
    /// 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `protocol` (or null), `load_balancing_scheme` (or null), `encrypted_protocols`.
    ///
    /// ## Remediation
    /// Serve TLS on the backends (a self-signed certificate is accepted by Google's load
    /// balancers) and switch the protocol:
    /// `gcloud compute backend-services update <name> --global --protocol=HTTPS` (or
    /// `--region=<region>`; `HTTP2` or `SSL` as the backends speak), with a health check
    /// of the same protocol.
    pub struct BackendServiceEncrypted {
        id: "gcp-lb-backend-service-encrypted",
        title: "Load balancer backend services use an encrypted protocol",
        severity: High,
        provider: Gcp,
        kinds: [GcpBackendService],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

const ENCRYPTED: [&str; 3] = ["HTTPS", "HTTP2", "SSL"];

impl Check for BackendServiceEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<BackendService>()
            .iter()
            .map(|b| {
                let protocol = b.protocol.as_deref();
                let scheme = b.load_balancing_scheme.as_deref();
                let builder = match (protocol, scheme) {
                    (Some(p), _) if ENCRYPTED.contains(&p) => ctx
                        .pass(&b.resource)
                        .reason(format!("The load balancer reaches its backends over {p}.")),
                    (_, Some("INTERNAL")) => ctx.not_applicable(&b.resource).reason(format!(
                        "An internal passthrough load balancer ({}) neither ends nor re-opens connections: the client's own connection reaches the backend.",
                        protocol.unwrap_or("protocol not reported")
                    )),
                    (Some(p), _) => ctx.fail(&b.resource).reason(format!(
                        "The load balancer ({}) reaches its backends over {p}, which is not encrypted (HTTPS, HTTP2 or SSL).",
                        scheme.unwrap_or("scheme not reported")
                    )),
                    (None, _) => ctx.fail(&b.resource).reason(
                        "The backend service reports no protocol, so encryption to the backends is not shown.",
                    ),
                };
                builder
                    .evidence("protocol", protocol)
                    .evidence("load_balancing_scheme", scheme)
                    .evidence("encrypted_protocols", ENCRYPTED)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::backend_service;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn bs(id: &str, protocol: Option<&str>, scheme: Option<&str>) -> BackendService {
        BackendService {
            protocol: protocol.map(str::to_string),
            load_balancing_scheme: scheme.map(str::to_string),
            ..backend_service(id)
        }
    }

    #[test]
    fn backends_are_reached_over_tls() {
        let mut inv = Inventory::new();
        inv.gcp_backend_services = vec![
            bs("https", Some("HTTPS"), Some("EXTERNAL_MANAGED")),
            bs("http2", Some("HTTP2"), Some("EXTERNAL")),
            bs("ssl-proxy", Some("SSL"), Some("EXTERNAL")),
            bs("http", Some("HTTP"), Some("EXTERNAL_MANAGED")),
            bs("internal-http", Some("HTTP"), Some("INTERNAL_MANAGED")),
            bs("h2c", Some("H2C"), Some("INTERNAL_SELF_MANAGED")),
            bs("network-lb", Some("TCP"), Some("EXTERNAL")),
            bs("internal-tcp", Some("TCP"), Some("INTERNAL")),
            bs("internal-https", Some("HTTPS"), Some("INTERNAL")),
            bs("unreported", None, None),
        ];
        let f = run(&BackendServiceEncrypted, &inv);
        assert_eq!(f.status_of("https"), Status::Pass);
        assert_eq!(f.status_of("http2"), Status::Pass);
        assert_eq!(f.status_of("ssl-proxy"), Status::Pass);
        assert_eq!(f.status_of("http"), Status::Fail);
        assert_eq!(f.status_of("internal-http"), Status::Fail);
        assert!(f.of("internal-http").reason.contains("INTERNAL_MANAGED"));
        assert_eq!(f.status_of("h2c"), Status::Fail);
        assert_eq!(f.status_of("network-lb"), Status::Fail);
        assert_eq!(f.status_of("internal-tcp"), Status::NotApplicable);
        assert_eq!(f.status_of("internal-https"), Status::Pass);
        assert_eq!(f.status_of("unreported"), Status::Fail);
        assert_eq!(
            f.evidence_of("http", "load_balancing_scheme"),
            "EXTERNAL_MANAGED"
        );
    }
}
