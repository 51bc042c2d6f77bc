use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::BigqueryDataset;

use crate::gcp::shared::not_public;

declare_check! {
    /// ## What it checks
    /// No access entry of a BigQuery dataset grants a role to `allUsers`
    /// (`iamMember: allUsers`) or `allAuthenticatedUsers` (`specialGroup`). Access entries
    /// are the dataset's own ACL (`datasets.get` returns them); the collector reads them
    /// as role bindings.
    ///
    /// ## Why it matters
    /// A public dataset lets anyone query every table in it, ePHI included (access
    /// control, 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `public_bindings` (role and public members of each offending access entry).
    ///
    /// ## Remediation
    /// `bq show --format=prettyjson <project>:<dataset> > ds.json`, remove the entries
    /// naming `allUsers` or `allAuthenticatedUsers`, then `bq update --source ds.json
    /// <project>:<dataset>`.
    pub struct BigqueryDatasetNotPublic {
        id: "gcp-bigquery-dataset-not-public",
        title: "BigQuery datasets are not public",
        severity: Critical,
        provider: Gcp,
        kinds: [GcpBigqueryDataset],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for BigqueryDatasetNotPublic {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<BigqueryDataset>()
            .iter()
            .map(|d| not_public(ctx, &d.resource, &d.access, "The dataset's access list").build())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::iam_binding;
    use crate::testing::gcp_stores::bigquery_dataset;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn public_entries_fail() {
        let mut public = bigquery_dataset("public");
        public.access.push(iam_binding("READER", &["allAuthenticatedUsers"]));
        let mut inv = Inventory::new();
        inv.gcp_bigquery_datasets = vec![public, bigquery_dataset("private")];
        let f = run(&BigqueryDatasetNotPublic, &inv);
        assert_eq!(f.status_of("public"), Status::Fail);
        assert!(f.of("public").reason.contains("READER to allAuthenticatedUsers"));
        assert_eq!(f.status_of("private"), Status::Pass);
    }
}
