//! Raw evidence: the ARM answer behind an NSG's FAIL, split out of its list page into a
//! signed bundle, secrets planted in it redacted, and a changed byte caught by `verify`.

use super::*;

/// Copy of a scenario whose bastion NSG also carries secrets ARM could return.
fn planted(dir: &Path) -> Replay {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/azure/two-subscriptions");
    let to = dir.join("scenario");
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(&from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
    let nsgs = to.join("prod-nsgs.json");
    let mut page: Value = serde_json::from_str(&std::fs::read_to_string(&nsgs).unwrap()).unwrap();
    let bastion = page["value"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|n| n["name"] == "bastion-nsg")
        .unwrap();
    bastion["properties"]["plantedForTest"] = serde_json::json!({
        "storageConnection": "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=PLANTEDkey1==;",
        "exportUrl": "https://st.blob.core.windows.net/c/x.csv?sv=2024-05-04&sig=PLANTEDsas2",
        "settings": [{"name": "DB_PASSWORD", "value": "PLANTEDpass3"}]
    });
    std::fs::write(&nsgs, page.to_string()).unwrap();
    Replay::start(&to).expect("replay server starts")
}

#[test]
fn the_nsg_opening_rdp_fails_on_the_rule_arm_returned() {
    let dir = tempfile::tempdir().unwrap();
    let replay = planted(dir.path());
    let (run, bundle, public) = support::raw::signed_scan(&mut phiscan(&replay), dir.path());
    assert_eq!(run.code, 3, "{}", run.stderr);
    let nsg = rid(
        PROD,
        "rg-qolty-legacy",
        "Microsoft.Network/networkSecurityGroups",
        "bastion-nsg",
    );
    let raw = support::raw::raw_behind(&bundle, "azure-nsg-no-public-admin-ports", &nsg, "FAIL");
    let (path, rdp) = support::raw::holding(&raw, r#""destinationPortRange":"3389""#);
    // The NSG's own item of the list page, with the call that returned it.
    assert_eq!(rdp["body"]["name"], "bastion-nsg");
    assert_eq!(rdp["service"], "Microsoft.Network");
    let call = &rdp["calls"][0];
    assert!(
        call["pointer"].as_str().unwrap().starts_with("/value/"),
        "{call}"
    );
    assert!(call["time"].is_string(), "{call}");
    assert_eq!(rdp["sha256"].as_str().unwrap().len(), 64);
    // The planted secrets are withheld in every file, and say so in the raw body.
    for e in walk(&bundle) {
        let text = std::fs::read_to_string(&e).unwrap_or_default();
        assert!(
            !text.contains("PLANTED"),
            "{} holds a planted secret",
            e.display()
        );
    }
    let planted = rdp["body"]["properties"]["plantedForTest"].to_string();
    assert_eq!(planted.matches("[REDACTED:").count(), 3, "{planted}");
    // A setting read as a list of its own links through the request's path, its ARM id.
    let plans = format!("/subscriptions/{DEV}/providers/Microsoft.Security/pricings");
    let raw = support::raw::raw_behind(&bundle, "azure-defender-plans", &plans, "FAIL");
    support::raw::holding(&raw, r#""pricingTier":"Free""#);
    support::raw::assert_tamper_detected(&bundle, &public, path);
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
