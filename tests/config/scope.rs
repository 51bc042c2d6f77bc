//! The data-classification scope: include, exclude and report.

use super::*;
use phiscan_core::model::ResourceKind;

/// (resource id, lowercased data-classification tag, kind) of every non-ERROR finding on a
/// resource of the inventory `inv` (not on account-level conclusions such as a region's
/// trail coverage).
fn classes(v: &Value, inv: &BTreeSet<String>) -> Vec<(String, Option<String>, String)> {
    findings(v)
        .iter()
        .filter(|f| f["status"] != "ERROR" && inv.contains(f["resource"]["id"].as_str().unwrap()))
        .map(|f| {
            (
                f["resource"]["id"].as_str().unwrap().to_string(),
                f["resource"]["tags"]["data-classification"]
                    .as_str()
                    .map(str::to_lowercase),
                f["resource"]["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Ids of every resource record of the demo inventory.
fn inventory_ids(dir: &Path) -> BTreeSet<String> {
    let path = dir.join("demo-inventory.json");
    phiscan(dir)
        .args([
            "scan",
            "--demo",
            "--now",
            NOW,
            "--format",
            "json",
            "--save-inventory",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut ids = BTreeSet::new();
    for list in v.as_object().unwrap().values().filter_map(Value::as_array) {
        for r in list {
            if let Some(id) = r["resource"]["id"].as_str() {
                ids.insert(id.to_string());
            }
        }
    }
    ids
}

/// Whether resources of `kind` cannot carry tags (account settings, unlabelled GCP network
/// resources): they are always in a data-classification scope.
fn untaggable(kind: &str) -> bool {
    ResourceKind::ALL
        .iter()
        .any(|k| k.as_str() == kind && !k.taggable())
}

#[test]
fn scope_by_data_classification_include_exclude_report() {
    let dir = tempfile::tempdir().unwrap();
    let inv = inventory_ids(dir.path());
    let all = demo(dir.path(), &[]);
    let all_classes = classes(&all.json, &inv);
    assert!(all_classes
        .iter()
        .any(|(_, c, _)| c.as_deref() == Some("protected")));
    assert!(all_classes
        .iter()
        .any(|(_, c, _)| c.as_deref() == Some("internal")));
    let untagged: BTreeSet<&str> = all_classes
        .iter()
        .filter(|(_, c, k)| c.is_none() && !untaggable(k))
        .map(|(id, _, _)| id.as_str())
        .collect();
    assert!(!untagged.is_empty(), "the demo has untagged resources");

    // exclude: only protected resources and kinds that cannot carry tags are evaluated.
    let ex = demo(
        dir.path(),
        &[
            "--scope",
            "Data-Classification=PROTECTED",
            "--scope-untagged",
            "exclude",
        ],
    );
    assert_eq!(
        ex.json["scan"]["data_scope"],
        "Data-Classification=PROTECTED"
    );
    let got = classes(&ex.json, &inv);
    assert!(got.iter().any(|(_, c, _)| c.is_some()));
    assert!(got.iter().any(|(_, _, k)| untaggable(k)));
    for (id, c, k) in &got {
        assert!(
            c.as_deref() == Some("protected") || untaggable(k),
            "{id} ({c:?}) is out of scope"
        );
    }
    assert!(got.len() < all_classes.len());
    // Checks still saw the whole estate: the trails that cover regions are untagged, yet no
    // region is reported uncovered that was covered before.
    let uncovered = |v: &Value| {
        findings(v)
            .iter()
            .filter(|f| f["check_id"] == "aws-cloudtrail-region-covered" && f["status"] == "FAIL")
            .count()
    };
    assert_eq!(uncovered(&ex.json), uncovered(&all.json));

    // include (the default): untagged resources are evaluated too, other classes are not.
    let inc = demo(dir.path(), &["--scope", "data-classification=protected"]);
    let got = classes(&inc.json, &inv);
    assert!(got
        .iter()
        .all(|(_, c, _)| c.is_none() || c.as_deref() == Some("protected")));
    for id in &untagged {
        assert!(got.iter().any(|(i, _, _)| i == id), "{id} was dropped");
    }

    // report, from phiscan.toml: each untagged resource is a FAIL of its own.
    let cfg = with_config(
        "[scope]\nclassifications = [\"protected\", \"confidential\"]\nuntagged = \"report\"\n",
    );
    let rep = demo(cfg.path(), &[]);
    let reported: Vec<&Value> = findings(&rep.json)
        .iter()
        .filter(|f| f["check_id"] == "phiscan-untagged-resource")
        .collect();
    let reported_ids: BTreeSet<&str> = reported
        .iter()
        .map(|f| f["resource"]["id"].as_str().unwrap())
        .collect();
    // Every untagged resource with a finding is reported (the inventory may hold more that
    // no check reads).
    assert!(
        untagged.is_subset(&reported_ids),
        "{untagged:?} vs {reported_ids:?}"
    );
    assert_eq!(reported.len(), reported_ids.len());
    assert!(reported.iter().all(|f| f["status"] == "FAIL"));
    assert!(reported[0]["reason"]
        .as_str()
        .unwrap()
        .contains("no data-classification tag"));
    let others: Vec<(String, Option<String>, String)> = classes(&rep.json, &inv)
        .into_iter()
        .filter(|(id, _, _)| !reported.iter().any(|f| f["resource"]["id"] == id.as_str()))
        .collect();
    assert!(others
        .iter()
        .all(
            |(_, c, k)| matches!(c.as_deref(), Some("protected" | "confidential")) || untaggable(k)
        ));
    // The untagged check is in the report's checks and survives a re-render.
    assert!(rep.json["scan"]["checks_run"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "phiscan-untagged-resource"));

    // A classification outside the vocabulary is a usage error.
    let o = phiscan(dir.path())
        .args(["scan", "--demo", "--scope", "data-classification=secret"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("\"secret\" is not a data classification"));
}
