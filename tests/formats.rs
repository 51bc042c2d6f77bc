//! Every output format of the demo scan: a snapshot each (fixed --now), and the formats that
//! have an official schema validated against it (schemas vendored in tests/schemas/, no
//! network): SARIF 2.1.0 (JSON Schema draft-04), OSCAL 1.2.1 assessment results (draft-07),
//! JUnit XML (windyroad XSD, via xmllint), OCSF 1.8.0 Compliance Finding (a small validator
//! over the vendored source definitions). The HTML report is rendered in headless Chromium.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-06-01T12:00:00Z";

fn phiscan() -> Command {
    let mut c = Command::cargo_bin("phiscan").expect("binary built");
    c.env_remove("RUST_LOG").env_remove("PHISCAN_SIGNING_KEY");
    c
}

fn demo(format: &str) -> String {
    let out = phiscan()
        .args(["scan", "--demo", "--now", NOW, "--format", format])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas")
}

fn load_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A tool the test needs: skipped with a note locally, a hard failure in CI (CI=true), where
/// ci/test installs it.
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{name} is not installed; ci/test installs it (apt-get)");
        }
        eprintln!("SKIPPED: {name} is not installed (ci/test installs it)");
    }
    found
}

fn demo_count() -> usize {
    let v: Value = serde_json::from_str(&demo("json")).unwrap();
    v["findings"].as_array().unwrap().len()
}

#[test]
fn csv_snapshot_and_shape() {
    let csv = demo("csv");
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("check_id,title,status,severity,"));
    insta::assert_snapshot!("demo-csv", csv);
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let text = demo("sarif");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let schema = load_json(&schemas().join("sarif-schema-2.1.0.json"));
    let validator = jsonschema::draft4::new(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "SARIF invalid:\n{}", errors.join("\n"));
    let run = &doc["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), demo_count());
    // Rules carry the check documentation as Markdown help.
    let rule = &run["tool"]["driver"]["rules"][0];
    assert!(rule["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## Remediation"));
    // Results name the resource through a logical location, levels follow the verdict.
    for r in run["results"].as_array().unwrap() {
        let loc = &r["locations"][0]["logicalLocations"][0];
        assert!(!loc["fullyQualifiedName"].as_str().unwrap().is_empty());
        if r["kind"] == "fail" {
            assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        } else {
            assert_eq!(r["level"], "none");
        }
    }
    insta::assert_snapshot!("demo-sarif", text);
}

#[test]
fn oscal_validates_against_the_official_schema() {
    let text = demo("oscal");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let schema = load_json(&schemas().join("oscal_assessment-results_schema.json"));
    let validator = jsonschema::draft7::new(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "OSCAL invalid:\n{}", errors.join("\n"));
    let result = &doc["assessment-results"]["results"][0];
    assert_eq!(
        result["observations"].as_array().unwrap().len(),
        demo_count()
    );
    assert_eq!(
        doc["assessment-results"]["metadata"]["oscal-version"],
        "1.2.1"
    );
    // Deterministic UUIDs: the same scan gives the same document.
    assert_eq!(text, demo("oscal"));
    insta::assert_snapshot!("demo-oscal", text);
}

#[test]
fn junit_validates_against_the_xsd() {
    let text = demo("junit");
    let n = demo_count();
    assert_eq!(text.matches("<testcase ").count(), n);
    let v: Value = serde_json::from_str(&demo("json")).unwrap();
    let count = |s: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["status"] == s)
            .count()
    };
    assert_eq!(text.matches("<failure ").count(), count("FAIL"));
    assert_eq!(text.matches("<error ").count(), count("ERROR"));
    assert_eq!(text.matches("<skipped ").count(), count("NOT_APPLICABLE"));
    insta::assert_snapshot!("demo-junit", text.clone());
    let Some(xmllint) = tool("xmllint") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.junit.xml");
    std::fs::write(&file, &text).unwrap();
    let out = Process::new(xmllint)
        .arg("--noout")
        .arg("--schema")
        .arg(schemas().join("junit.xsd"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "JUnit XML invalid: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn junit_with_errors_and_skips_validates() {
    // The demo has no ERROR finding: a failed collection makes one.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inv.json");
    let inv = serde_json::json!({
        "format": "phiscan-inventory/v1",
        "collected_at": NOW,
        "scopes": [{"provider": "aws", "account": "111122223333", "regions": ["us-east-1"]}],
        "errors": [{"provider": "aws", "account": "111122223333", "region": "us-east-1",
                    "kind": "AwsEbsVolume", "reason": "AccessDenied: ec2:DescribeVolumes <&>"}]
    });
    std::fs::write(&path, inv.to_string()).unwrap();
    let out = phiscan()
        .args([
            "scan",
            "--from-inventory",
            path.to_str().unwrap(),
            "--checks",
            "aws-ebs-*",
            "--format",
            "junit",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("<error message=\"Could not collect AwsEbsVolume"),
        "{text}"
    );
    // The machine formats stay valid with ERROR findings too.
    let render = |format: &str| -> Value {
        let out = phiscan()
            .args([
                "scan",
                "--from-inventory",
                path.to_str().unwrap(),
                "--checks",
                "aws-ebs-*",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let sarif = render("sarif");
    let schema = load_json(&schemas().join("sarif-schema-2.1.0.json"));
    assert!(jsonschema::draft4::new(&schema).unwrap().is_valid(&sarif));
    let inv = &sarif["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(inv["toolExecutionNotifications"][0]["level"], "error");
    let oscal = render("oscal");
    let schema = load_json(&schemas().join("oscal_assessment-results_schema.json"));
    assert!(jsonschema::draft7::new(&schema).unwrap().is_valid(&oscal));
    let ocsf = Ocsf::load();
    for (i, e) in render("ocsf").as_array().unwrap().iter().enumerate() {
        assert_eq!(ocsf.validate(i, e), Vec::<String>::new());
    }
    let Some(xmllint) = tool("xmllint") else {
        return;
    };
    let file = dir.path().join("r.xml");
    std::fs::write(&file, &text).unwrap();
    let out = Process::new(xmllint)
        .arg("--noout")
        .arg("--schema")
        .arg(schemas().join("junit.xsd"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The OCSF class definition resolved from the vendored sources: attributes of
/// compliance_finding, finding and base_event (later ones do not override earlier ones).
struct Ocsf {
    dict: Value,
    class: serde_json::Map<String, Value>,
    objects: std::collections::BTreeMap<String, Value>,
}

impl Ocsf {
    fn load() -> Ocsf {
        let d = schemas().join("ocsf");
        let dict = load_json(&d.join("dictionary.json"));
        let mut class = serde_json::Map::new();
        for f in [
            "events/findings/compliance_finding.json",
            "events/findings/finding.json",
            "events/base_event.json",
        ] {
            let v = load_json(&d.join(f));
            for (k, a) in v["attributes"].as_object().unwrap() {
                if k == "$include" {
                    continue;
                }
                // A subclass refines an attribute: merge, keeping the subclass's keys.
                let entry = class
                    .entry(k.clone())
                    .or_insert_with(|| serde_json::json!({}));
                for (ak, av) in a.as_object().unwrap() {
                    let slot = entry.as_object_mut().unwrap();
                    match (ak.as_str(), slot.get_mut(ak)) {
                        ("enum", Some(Value::Object(existing))) => {
                            for (ek, ev) in av.as_object().unwrap() {
                                existing.entry(ek.clone()).or_insert(ev.clone());
                            }
                        }
                        (_, Some(_)) => {}
                        (_, None) => {
                            slot.insert(ak.clone(), av.clone());
                        }
                    }
                }
            }
        }
        let mut objects = std::collections::BTreeMap::new();
        for o in [
            "compliance",
            "finding_info",
            "resource_details",
            "remediation",
            "evidences",
        ] {
            objects.insert(
                o.to_string(),
                load_json(&d.join(format!("objects/{o}.json"))),
            );
        }
        Ocsf {
            dict,
            class,
            objects,
        }
    }

    fn dict_attr(&self, name: &str) -> &Value {
        &self.dict["attributes"][name]
    }

    /// Type check of a value against the dictionary's type for `name`.
    fn check_type(&self, path: &str, name: &str, v: &Value, problems: &mut Vec<String>) {
        let a = self.dict_attr(name);
        if a.is_null() {
            problems.push(format!(
                "{path}: attribute {name:?} is not in the OCSF dictionary"
            ));
            return;
        }
        let is_array = a["is_array"] == true;
        let items: Vec<&Value> = if is_array {
            match v.as_array() {
                Some(items) => items.iter().collect(),
                None => {
                    problems.push(format!("{path}: {name} must be an array"));
                    return;
                }
            }
        } else {
            vec![v]
        };
        let ty = a["type"].as_str().unwrap_or("");
        for item in items {
            let ok = match ty {
                "integer_t" | "long_t" | "timestamp_t" => item.is_i64() || item.is_u64(),
                "string_t" | "hostname_t" | "datetime_t" | "uuid_t" | "url_t" => item.is_string(),
                "boolean_t" => item.is_boolean(),
                "float_t" => item.is_number(),
                "json_t" => true,
                _ => item.is_object(), // an object type
            };
            if !ok {
                problems.push(format!("{path}: {name} = {item} is not of type {ty}"));
            }
        }
    }

    fn check_enum(
        &self,
        path: &str,
        name: &str,
        v: &Value,
        local: Option<&Value>,
        problems: &mut Vec<String>,
    ) {
        // The uids of classes and categories are generated from their definitions (checked
        // in `validate`); base_event's enum for them only holds the base values.
        if ["class_uid", "category_uid", "type_uid"].contains(&name) {
            return;
        }
        let e = local
            .and_then(|l| l.get("enum"))
            .or_else(|| self.dict_attr(name).get("enum"));
        if let Some(e) = e {
            let key = v.to_string();
            if e.get(&key).is_none() {
                problems.push(format!(
                    "{path}: {name} = {v} is not in its enum {:?}",
                    e.as_object().unwrap().keys().collect::<Vec<_>>()
                ));
            }
        }
    }

    /// Required attributes of an object present, enums respected, known attribute names.
    fn check_object(&self, path: &str, object: &str, v: &Value, problems: &mut Vec<String>) {
        let Some(fields) = v.as_object() else {
            if !v.is_null() {
                problems.push(format!("{path}: {object} must be an object"));
            }
            return; // a missing required object is reported by the caller
        };
        let def = &self.objects[object];
        let attrs = def["attributes"].as_object().unwrap();
        for (k, a) in attrs {
            if a["requirement"] == "required" && v.get(k).is_none() {
                problems.push(format!("{path}: required {object}.{k} is missing"));
            }
        }
        for (k, val) in fields {
            self.check_type(&format!("{path}.{k}"), k, val, problems);
            self.check_enum(&format!("{path}.{k}"), k, val, attrs.get(k), problems);
        }
        if let Some(c) = def.get("constraints").and_then(|c| c.get("at_least_one")) {
            let names: Vec<&str> = c
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap())
                .collect();
            if !names.iter().any(|n| v.get(*n).is_some()) {
                problems.push(format!("{path}: {object} needs at least one of {names:?}"));
            }
        }
    }

    fn validate(&self, i: usize, e: &Value) -> Vec<String> {
        let mut p = Vec::new();
        let path = format!("[{i}]");
        for (k, a) in &self.class {
            if a["requirement"] == "required" && e.get(k).is_none() {
                p.push(format!("{path}: required attribute {k} is missing"));
            }
        }
        for (k, v) in e.as_object().unwrap() {
            // `cloud` comes from the cloud profile (metadata.profiles names it), `unmapped`
            // from base_event; both are dictionary attributes.
            let from_profile = k == "cloud"
                && e["metadata"]["profiles"]
                    .as_array()
                    .is_some_and(|p| p.contains(&"cloud".into()));
            if !self.class.contains_key(k) && !from_profile {
                p.push(format!(
                    "{path}: {k} is not an attribute of Compliance Finding"
                ));
            }
            self.check_type(&format!("{path}.{k}"), k, v, &mut p);
            self.check_enum(&format!("{path}.{k}"), k, v, self.class.get(k), &mut p);
        }
        let category = load_json(&schemas().join("ocsf/categories.json"))["attributes"]["findings"]
            ["uid"]
            .as_u64()
            .unwrap();
        let class_uid = category * 1000
            + load_json(&schemas().join("ocsf/events/findings/compliance_finding.json"))["uid"]
                .as_u64()
                .unwrap();
        if e["class_uid"] != class_uid || e["category_uid"] != category {
            p.push(format!(
                "{path}: class_uid/category_uid {} / {} (expected {class_uid} / {category})",
                e["class_uid"], e["category_uid"]
            ));
        }
        if e["type_uid"].as_u64()
            != Some(class_uid * 100 + e["activity_id"].as_u64().unwrap_or(9999))
        {
            p.push(format!(
                "{path}: type_uid {} != class_uid * 100 + activity_id",
                e["type_uid"]
            ));
        }
        // metadata (object not vendored): OCSF requires product and version.
        for k in ["product", "version"] {
            if e["metadata"].get(k).is_none() {
                p.push(format!("{path}: metadata.{k} is missing"));
            }
        }
        if e["metadata"]["version"] != load_json(&schemas().join("ocsf/version.json"))["version"] {
            p.push(format!(
                "{path}: metadata.version is not the vendored OCSF version"
            ));
        }
        self.check_object(
            &format!("{path}.compliance"),
            "compliance",
            &e["compliance"],
            &mut p,
        );
        self.check_object(
            &format!("{path}.finding_info"),
            "finding_info",
            &e["finding_info"],
            &mut p,
        );
        self.check_object(
            &format!("{path}.remediation"),
            "remediation",
            &e["remediation"],
            &mut p,
        );
        for (j, r) in e["resources"].as_array().into_iter().flatten().enumerate() {
            self.check_object(
                &format!("{path}.resources[{j}]"),
                "resource_details",
                r,
                &mut p,
            );
        }
        for (j, r) in e["evidences"].as_array().into_iter().flatten().enumerate() {
            self.check_object(&format!("{path}.evidences[{j}]"), "evidences", r, &mut p);
        }
        p
    }
}

#[test]
fn ocsf_events_follow_the_compliance_finding_class() {
    let text = demo("ocsf");
    let events: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(events.len(), demo_count());
    let ocsf = Ocsf::load();
    let problems: Vec<String> = events
        .iter()
        .enumerate()
        .flat_map(|(i, e)| ocsf.validate(i, e))
        .collect();
    assert!(
        problems.is_empty(),
        "OCSF problems:\n{}",
        problems.join("\n")
    );
    // The validator catches what it should.
    let mut bad = events[0].clone();
    bad["type_uid"] = 200399.into();
    bad["compliance"]["status_id"] = 7.into();
    bad.as_object_mut().unwrap().remove("finding_info");
    let found = ocsf.validate(0, &bad);
    assert_eq!(found.len(), 3, "{found:#?}");
    insta::assert_snapshot!("demo-ocsf", text);
}

#[test]
fn html_is_self_contained() {
    let html = demo("html");
    for needle in ["http://", "https://", "src=", "url(", "@import", "<link"] {
        assert!(
            !html.contains(needle),
            "the HTML report contains {needle:?}"
        );
    }
    assert_eq!(html.matches("<tr class=\"finding\"").count(), demo_count());
    insta::assert_snapshot!("demo-html", html);
}

#[test]
fn html_renders_in_headless_chromium() {
    let Some(chromium) = tool("chromium") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, demo("html")).unwrap();
    let url = format!("file://{}", page.display());
    let profile = dir.path().join("profile");
    let base = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
    ];
    let run = |extra: &[String]| {
        let out = Process::new(&chromium)
            .args(base)
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(&url)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "chromium: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let dom = String::from_utf8(run(&["--dump-dom".into()]).stdout).unwrap();
    let n = demo_count();
    assert_eq!(
        dom.matches("class=\"finding\"").count(),
        n,
        "one row per finding"
    );
    // The inline script ran: it marks the body and counts the shown rows.
    assert!(
        dom.contains("data-js=\"ready\""),
        "the inline script did not run"
    );
    assert!(dom.contains(&format!("<span id=\"shown-count\">{n}</span>")));
    for chart in ["chart-controls", "chart-providers"] {
        assert!(dom.contains(&format!("id=\"{chart}\"")), "{chart} missing");
    }
    assert!(
        dom.matches("<rect class=\"seg").count() >= 6,
        "charts have no bars"
    );
    assert!(dom.contains("class=\"matrix\""), "control matrix missing");

    let shot = dir.path().join("report.png");
    run(&[
        format!("--screenshot={}", shot.display()),
        "--window-size=1280,1600".into(),
    ]);
    let decoder = png::Decoder::new(std::fs::File::open(&shot).expect("screenshot written"));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = bytes.chunks(channels).collect();
    let non_white = pixels
        .iter()
        .filter(|p| p.iter().take(3).any(|c| *c < 200))
        .count();
    let colors: std::collections::BTreeSet<&[u8]> = pixels.iter().copied().collect();
    let kept = std::env::temp_dir().join("phiscan-report-screenshot.png");
    std::fs::copy(&shot, &kept).unwrap();
    println!(
        "screenshot: {} (copy kept at {})",
        shot.display(),
        kept.display()
    );
    assert!(
        info.width >= 1000 && info.height >= 1000,
        "{}x{}",
        info.width,
        info.height
    );
    assert!(
        non_white * 100 > pixels.len(),
        "the page looks blank: {non_white} dark pixels"
    );
    assert!(
        colors.len() > 20,
        "the page looks blank: {} colours",
        colors.len()
    );
}

#[test]
fn output_dir_writes_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    phiscan()
        .args([
            "scan",
            "--demo",
            "--now",
            NOW,
            "--output-dir",
            out.to_str().unwrap(),
            "--format",
            "json",
            "--format",
            "sarif",
        ])
        .assert()
        .code(1)
        .stdout("");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["report.json", "report.sarif"]);
    let all = dir.path().join("all");
    phiscan()
        .args([
            "scan",
            "--demo",
            "--now",
            NOW,
            "--output-dir",
            all.to_str().unwrap(),
        ])
        .assert()
        .code(1);
    for (name, format) in [
        ("report.txt", "table"),
        ("report.json", "json"),
        ("report.csv", "csv"),
        ("report.sarif", "sarif"),
        ("report.junit.xml", "junit"),
        ("report.html", "html"),
        ("report.ocsf.json", "ocsf"),
        ("report.oscal.json", "oscal"),
    ] {
        let written = std::fs::read_to_string(all.join(name)).unwrap();
        assert_eq!(written, demo(format), "{name}");
    }
    let err = phiscan()
        .args(["scan", "--demo", "--format", "json", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&err.stderr).contains("--output-dir"));
}
