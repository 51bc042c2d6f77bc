use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

use crate::aws::snapshot_sharing::snapshot_sharing;
use phiscan_core::model::aws::RdsSnapshot;

declare_check! {
    /// ## What it checks
    /// No DB snapshot grants its `restore` attribute to `all`
    /// (DescribeDBSnapshotAttributes), which lets any AWS account restore it, or to a named
    /// account outside the partner list (`[[third_parties]]`: the account listed, its
    /// `expires` not passed; list the organization's own backup and DR accounts there too).
    /// Without a partner list, sharing with any other account fails (issue 14: before it,
    /// any named account passed).
    /// Automated snapshots cannot be shared in AWS, so they are not asked about and pass
    /// as private.
    ///
    /// ## Why it matters
    /// A public DB snapshot is the whole database, ePHI included, restorable by anyone with
    /// an AWS account. The policies limit access granted to external parties "to the
    /// minimum necessary" (access control, 45 CFR 164.312(a)(1); access authorization,
    /// 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `public`, `shared_with_accounts`, `sharing` (each account, `allowed` and why),
    /// `encrypted` and `snapshot_type`.
    ///
    /// ## Remediation
    /// `aws rds modify-db-snapshot-attribute --db-snapshot-identifier <snap>
    /// --attribute-name restore --values-to-remove all`. Encrypted snapshots cannot be made
    /// public at all, which is one more reason to encrypt (see
    /// `aws-rds-snapshot-encrypted`).
    pub struct RdsSnapshotNotPublic {
        id: "aws-rds-snapshot-not-public",
        title: "RDS DB snapshots are not public",
        severity: Critical,
        provider: Aws,
        kinds: [AwsRdsSnapshot],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for RdsSnapshotNotPublic {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<RdsSnapshot>()
            .iter()
            .map(|s| {
                snapshot_sharing(
                    ctx,
                    &s.resource,
                    s.public,
                    &s.shared_with_accounts,
                    s.encrypted,
                    "The snapshot is public: its restore attribute is granted to all, so any AWS account can restore it.",
                )
                .evidence("snapshot_type", &s.snapshot_type)
                .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::rds_snapshot;
    use crate::testing::{run_with, segmented};
    use phiscan_core::{Inventory, Status};

    #[test]
    fn public_and_non_partner_sharing_fail() {
        let mut public = rds_snapshot("public", "legacy", 3);
        public.public = true;
        public.encrypted = false;
        let mut dr = rds_snapshot("dr", "ehr", 3);
        dr.shared_with_accounts = vec!["444455556666".into()];
        let mut partner = rds_snapshot("partner", "ehr", 3);
        partner.shared_with_accounts = vec!["210987654321".into()];
        let mut stranger = rds_snapshot("stranger", "ehr", 3);
        stranger.shared_with_accounts = vec!["999988887777".into()];
        let mut inv = Inventory::new();
        inv.aws_rds_snapshots = vec![public, rds_snapshot("private", "ehr", 3), dr, partner, stranger];
        let f = run_with(&RdsSnapshotNotPublic, &inv, &segmented());
        assert_eq!(f.status_of("public"), Status::Fail);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert_eq!(f.status_of("partner"), Status::Pass);
        // The demo's list names the organization's backup account 444455556666 too; the
        // scan covering an account decides nothing (a shard may not cover it).
        assert_eq!(f.status_of("dr"), Status::Pass);
        assert_eq!(f.status_of("stranger"), Status::Fail);
        assert!(f.of("stranger").reason.contains("999988887777"));
    }
}
