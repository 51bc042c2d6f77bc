use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::OpenSearchDomain;

declare_check! {
    /// ## What it checks
    /// Every OpenSearch Service domain has `NodeToNodeEncryptionOptions.Enabled = true`:
    /// TLS between the nodes of the cluster. A domain whose answer does not say is an ERROR.
    ///
    /// ## Why it matters
    /// Shards, replicas and query fan-out cross the network between nodes; without
    /// node-to-node encryption the documents travel in the clear inside the VPC
    /// (transmission security, 45 CFR 164.312(e)(1); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `node_to_node_encryption` and `engine_version`.
    ///
    /// ## Remediation
    /// `aws opensearch update-domain-config --domain-name <name>
    /// --node-to-node-encryption-options Enabled=true` (OpenSearch 1.x+ / Elasticsearch
    /// 6.7+; a blue/green deployment, not reversible).
    pub struct OpenSearchNodeToNodeEncryption {
        id: "aws-opensearch-node-to-node-encryption",
        title: "OpenSearch domains encrypt traffic between nodes",
        severity: High,
        provider: Aws,
        kinds: [AwsOpenSearchDomain],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for OpenSearchNodeToNodeEncryption {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<OpenSearchDomain>()
            .iter()
            .map(|d| {
                let b = match d.node_to_node_encryption {
                    Some(true) => ctx.pass(&d.resource).reason("Node-to-node encryption is enabled."),
                    Some(false) => ctx.fail(&d.resource).reason("Node-to-node encryption is disabled: data moves between nodes in plaintext."),
                    None => ctx.error(&d.resource).reason("DescribeDomains did not report node-to-node encryption."),
                };
                b.evidence("node_to_node_encryption", d.node_to_node_encryption)
                    .evidence("engine_version", &d.engine_version)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::opensearch_domain;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn enabled_passes_disabled_fails() {
        let mut plain = opensearch_domain("plain");
        plain.node_to_node_encryption = Some(false);
        let mut inv = Inventory::new();
        inv.aws_opensearch_domains = vec![opensearch_domain("n2n"), plain];
        let f = run(&OpenSearchNodeToNodeEncryption, &inv);
        assert_eq!(f.status_of("n2n"), Status::Pass);
        assert_eq!(f.status_of("plain"), Status::Fail);
    }
}
