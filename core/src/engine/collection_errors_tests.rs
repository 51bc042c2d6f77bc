use std::collections::BTreeSet;

use chrono::Utc;

use crate::check::{Check, CheckMeta, Ctx, Finding, FindingError, Severity, Status};
use crate::config::Config;
use crate::engine::evaluate;
use crate::engine::tests::{vol, Vols};
use crate::model::{CollectionError, Inventory, Provider, ResourceKind, ResourceRef};
use crate::Hipaa;

fn denied(kind: ResourceKind, region: Option<&str>, id: &str, op: &str) -> CollectionError {
    CollectionError {
        provider: Provider::Aws,
        account: "111".into(),
        region: region.map(str::to_string),
        kind,
        resource: Some(id.into()),
        operation: Some(op.into()),
        reason: format!("AccessDenied ({op})"),
    }
}

fn statuses(f: &[Finding]) -> BTreeSet<(String, Status)> {
    f.iter()
        .map(|f| (f.resource.id.clone(), f.status))
        .collect()
}

fn want(pairs: &[(&str, Status)]) -> BTreeSet<(String, Status)> {
    pairs.iter().map(|(i, s)| (i.to_string(), *s)).collect()
}

#[test]
fn one_unreadable_resource_is_error_for_it_only() {
    let mut inv = Inventory::new();
    inv.aws_ebs_volumes = vec![
        vol("us-east-1", "a", true),
        vol("us-east-1", "b", false),
        vol("us-east-1", "c", true),
        vol("us-east-1", "d", false),
    ];
    let kind = ResourceKind::AwsEbsVolume;
    inv.errors = vec![
        denied(kind, Some("us-east-1"), "a", "ec2:DescribeVolumeAttribute"),
        // A half-read resource's FAIL may rest on a `None` that means "unknown".
        denied(kind, Some("us-east-1"), "b", "ec2:DescribeVolumeAttribute"),
        denied(kind, Some("us-east-1"), "b", "ec2:GetTags"),
    ];
    let f = evaluate(&[&Vols], &inv, &Config::default(), Utc::now());
    assert_eq!(
        statuses(&f),
        want(&[
            ("a", Status::Error),
            ("b", Status::Error),
            ("c", Status::Pass),
            ("d", Status::Fail),
        ])
    );
    let a = f.iter().find(|f| f.resource.id == "a").unwrap();
    assert_eq!(
        a.reason,
        "Could not read ec2:DescribeVolumeAttribute for a: AccessDenied (ec2:DescribeVolumeAttribute)"
    );
    // The inventory's reference, so tags (waivers, data classification) still apply.
    assert_eq!(a.resource, inv.aws_ebs_volumes[0].resource);
    let b = f.iter().find(|f| f.resource.id == "b").unwrap();
    assert!(
        b.reason
            .contains("ec2:DescribeVolumeAttribute, ec2:GetTags"),
        "{}",
        b.reason
    );
}

#[test]
fn resource_of_unknown_region_is_error_and_blinds_nothing_else() {
    let mut inv = Inventory::new();
    inv.aws_ebs_volumes = vec![vol("eu-west-1", "c", true)];
    inv.errors = vec![denied(
        ResourceKind::AwsEbsVolume,
        None,
        "arn:x",
        "s3:GetBucketLocation",
    )];
    let f = evaluate(&[&Vols], &inv, &Config::default(), Utc::now());
    assert_eq!(
        statuses(&f),
        want(&[("arn:x", Status::Error), ("c", Status::Pass)])
    );
    let error = f.iter().find(|f| f.resource.id == "arn:x").unwrap();
    assert_eq!(error.resource.region, "all-regions");
}

/// Judges volumes, reading snapshots beside them (as a backup check does).
struct VolsWithSnapshots;
static WITH_SNAPSHOTS: CheckMeta = CheckMeta {
    id: "t-vols-snaps",
    title: "t",
    severity: Severity::High,
    provider: Provider::Aws,
    kinds: &[ResourceKind::AwsEbsVolume, ResourceKind::AwsEbsSnapshot],
    controls: &[Hipaa::EncryptionDecryption],
    doc: "",
};
impl Check for VolsWithSnapshots {
    fn meta(&self) -> &'static CheckMeta {
        &WITH_SNAPSHOTS
    }
    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        Vols.evaluate(ctx)
    }
}

#[test]
fn half_read_resource_read_beside_withholds_passes_of_its_scope() {
    let mut inv = Inventory::new();
    inv.aws_ebs_volumes = vec![
        vol("us-east-1", "a", true),
        vol("us-east-1", "b", false),
        vol("eu-west-1", "c", true),
    ];
    let snap = ResourceRef::new(ResourceKind::AwsEbsSnapshot, "111", "us-east-1", "s", "s");
    inv.errors = vec![CollectionError::of_resource(
        &snap,
        "ec2:DescribeSnapshotAttribute",
        "AccessDenied",
    )];
    let f = evaluate(&[&VolsWithSnapshots], &inv, &Config::default(), Utc::now());
    assert_eq!(
        statuses(&f),
        want(&[
            ("s", Status::Error),
            ("b", Status::Fail),
            ("c", Status::Pass),
        ])
    );
    // A check that does not read snapshots ignores the error.
    let f = evaluate(&[&Vols], &inv, &Config::default(), Utc::now());
    assert_eq!(f.len(), 3);
    assert!(f.iter().all(|f| f.status != Status::Error));
}

#[test]
fn inventory_saved_before_per_resource_errors_loads() {
    let text = r#"{"format": "phiscan-inventory/v1", "collected_at": null, "scopes": [],
        "errors": [{"provider": "aws", "account": "111", "region": "us-east-1",
                    "kind": "AwsEbsVolume", "reason": "AccessDenied"}]}"#;
    let inv = Inventory::from_json(text, "old.json").expect("old format loads");
    assert_eq!(inv.errors[0].resource, None);
    assert_eq!(inv.errors[0].operation, None);
    // And a per-resource error survives a save and load.
    let mut inv = inv;
    inv.errors.push(denied(
        ResourceKind::AwsEbsVolume,
        Some("us-east-1"),
        "a",
        "ec2:X",
    ));
    let back = Inventory::from_json(&inv.to_json(), "new.json").expect("round trip");
    assert_eq!(back.errors, inv.errors);
}
