//! Offline targets: a saved inventory is judged at its collection time, with or without
//! keeping its resources.

use super::*;

#[test]
fn an_offline_target_is_evaluated_at_its_collection_time_and_a_collection_error_is_incomplete() {
    let mut inventory = estate();
    inventory.errors.push(crate::model::CollectionError {
        provider: Provider::Aws,
        account: "111".into(),
        region: None,
        kind: ResourceKind::AwsEbsEncryptionDefault,
        resource: None,
        operation: None,
        reason: "AccessDenied".into(),
    });
    let target = Target::Inventory {
        inventory: Box::new(inventory),
        source: Source::Inventory("saved.json".into()),
        keep_resources: true,
    };
    let out = run(request(target, &[], Policy::default())).unwrap();
    assert_eq!(out.report.scan.evaluated_at, at(2));
    assert_eq!(out.report.exit_code, EXIT_INCOMPLETE);
    assert_eq!(out.inventory.aws_ebs_volumes.len(), 4);

    let mut req = request(
        Target::Inventory {
            inventory: Box::new(estate()),
            source: Source::Demo,
            keep_resources: true,
        },
        &[],
        Policy::default(),
    );
    req.selection.cloud = Some(Provider::Gcp);
    // Only the named cloud's checks and scopes: none of this AWS estate.
    let r = run(req).unwrap().report;
    assert_eq!(r.scan.checks_run, ["t-disks"]);
    assert!(r.scan.scope.is_empty() && r.findings.is_empty());
}

#[test]
fn an_offline_scan_that_keeps_no_resources_reports_the_same_without_them() {
    let target = |keep_resources| Target::Inventory {
        inventory: Box::new(estate()),
        source: Source::Demo,
        keep_resources,
    };
    let kept = run(request(target(true), &[], Policy::default())).unwrap();
    let released = run(request(target(false), &[], Policy::default())).unwrap();
    let (k, r) = (&kept.report, &released.report);
    assert!(!k.findings.is_empty());
    assert_eq!(format!("{:?}", r.findings), format!("{:?}", k.findings));
    assert_eq!(r.counts, k.counts);
    assert_eq!(r.exit_code, k.exit_code);
    assert_eq!(r.scan.scope, k.scan.scope);
    assert_eq!(
        (r.scan.started_at, r.scan.finished_at),
        (k.scan.started_at, k.scan.finished_at)
    );
    assert_eq!(kept.inventory, estate());
    // The records are gone; what the report and the CLI read of the inventory is kept.
    assert!(released.inventory.resource_refs().is_empty());
    assert_eq!(released.inventory.scopes, kept.inventory.scopes);
    assert_eq!(released.inventory.errors, kept.inventory.errors);
    assert_eq!(released.inventory.collected_at, kept.inventory.collected_at);
}
