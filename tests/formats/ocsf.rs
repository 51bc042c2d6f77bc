//! A small validator of OCSF Compliance Finding events over the vendored OCSF sources
//! (tests/schemas/ocsf): OCSF publishes no JSON Schema, so the class is resolved from its
//! source definitions here.

use serde_json::Value;

use super::{load_json, schemas};

/// The OCSF class definition resolved from the vendored sources: attributes of
/// compliance_finding, finding and base_event (later ones do not override earlier ones).
pub struct Ocsf {
    dict: Value,
    class: serde_json::Map<String, Value>,
    objects: std::collections::BTreeMap<String, Value>,
}

impl Ocsf {
    pub fn load() -> Ocsf {
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

    pub fn validate(&self, i: usize, e: &Value) -> Vec<String> {
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
