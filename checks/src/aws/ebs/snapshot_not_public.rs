use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

use crate::aws::snapshot_sharing::snapshot_sharing;
use phiscan_core::model::aws::EbsSnapshot;

declare_check! {
    /// ## What it checks
    /// No EBS snapshot grants `createVolumePermission` to the group `all`, which lets any
    /// AWS account create a volume from it, or to a named account outside the partner list
    /// (`[[third_parties]]`: the account listed, its `expires` not passed; list the
    /// organization's own backup and DR accounts there too). Without a partner list, sharing
    /// with any other account fails (issue 14: before it, any named account passed).
    ///
    /// ## Why it matters
    /// A public snapshot is a full copy of a disk, ePHI included, downloadable by anyone
    /// with an AWS account. The policies limit access granted to external parties "to the
    /// minimum necessary" (access control, 45 CFR 164.312(a)(1); access authorization,
    /// 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `public` (createVolumePermission for `all`), `shared_with_accounts`, `sharing` (each
    /// account, `allowed` and why), `encrypted` and `volume_id`.
    ///
    /// ## Remediation
    /// `aws ec2 modify-snapshot-attribute --snapshot-id <snap> --attribute
    /// createVolumePermission --operation-type remove --group-names all`, then turn on
    /// snapshot block public access in every region:
    /// `aws ec2 enable-snapshot-block-public-access --state block-all-sharing`.
    pub struct EbsSnapshotNotPublic {
        id: "aws-ebs-snapshot-not-public",
        title: "EBS snapshots are not public",
        severity: Critical,
        provider: Aws,
        kinds: [AwsEbsSnapshot],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for EbsSnapshotNotPublic {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<EbsSnapshot>()
            .iter()
            .map(|s| {
                snapshot_sharing(
                    ctx,
                    &s.resource,
                    s.public,
                    &s.shared_with_accounts,
                    s.encrypted,
                    "The snapshot is public: createVolumePermission is granted to the group all, so any AWS account can copy it.",
                )
                .evidence("volume_id", &s.volume_id)
                .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::ebs_snapshot;
    use crate::testing::{run, run_with, segmented};
    use phiscan_core::{Inventory, Status};

    fn snapshot(id: &str, public: bool, shared: &[&str]) -> EbsSnapshot {
        EbsSnapshot {
            public,
            shared_with_accounts: shared.iter().map(|s| s.to_string()).collect(),
            ..ebs_snapshot(id)
        }
    }

    #[test]
    fn public_and_non_partner_sharing_fail() {
        let mut inv = Inventory::new();
        inv.aws_ebs_snapshots = vec![
            snapshot("snap-public", true, &[]),
            snapshot("snap-private", false, &[]),
            snapshot("snap-partner", false, &["210987654321"]),
            snapshot("snap-stranger", false, &["210987654321", "999988887777"]),
        ];
        let f = run_with(&EbsSnapshotNotPublic, &inv, &segmented());
        assert_eq!(f.status_of("snap-public"), Status::Fail);
        assert_eq!(f.status_of("snap-private"), Status::Pass);
        assert_eq!(f.status_of("snap-partner"), Status::Pass);
        assert_eq!(f.status_of("snap-stranger"), Status::Fail);
        assert!(f.of("snap-stranger").reason.contains("999988887777"));
        assert_eq!(
            f.evidence_of("snap-stranger", "sharing")[1]["allowed"],
            serde_json::json!(false)
        );
        // Without a partner list the partner is a stranger.
        assert_eq!(run(&EbsSnapshotNotPublic, &inv).status_of("snap-partner"), Status::Fail);
    }
}
