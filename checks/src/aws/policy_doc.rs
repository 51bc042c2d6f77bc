//! IAM policy documents (S3 bucket policies, KMS key policies) as the APIs return them, read
//! the forgiving way IAM itself reads them: `Statement` may be one object or an array;
//! `Action`, `Resource` and the values under `Principal` may be a string or an array;
//! "everyone" is spelled `"*"`, `{"AWS": "*"}` or `{"AWS": ["*", ...]}`.
//!
//! Not a policy evaluator: the checks ask narrow questions ("is there a Deny for everyone on
//! these objects when the transport is not TLS?", "does an Allow name everyone?") and this
//! module answers the parsing half of them, so two checks cannot parse the same grammar two
//! different ways.

use serde_json::{Map, Value};

/// One statement of a policy document.
#[derive(Debug, Clone, Copy)]
pub struct Statement<'a> {
    raw: &'a Value,
}

/// The statements of a policy document: `Statement` as one object or an array of objects.
/// Entries that are not objects are skipped (IAM would refuse such a policy).
pub fn statements(doc: &Value) -> Vec<Statement<'_>> {
    match doc.get("Statement") {
        Some(Value::Array(items)) => items
            .iter()
            .filter(|v| v.is_object())
            .map(|raw| Statement { raw })
            .collect(),
        Some(raw @ Value::Object(_)) => vec![Statement { raw }],
        _ => Vec::new(),
    }
}

/// A string or an array of strings, as IAM accepts for `Action`, `Resource` and principals.
pub fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

impl<'a> Statement<'a> {
    /// The statement as written, for evidence.
    pub fn raw(&self) -> &'a Value {
        self.raw
    }

    pub fn sid(&self) -> Option<&'a str> {
        self.raw.get("Sid").and_then(Value::as_str)
    }

    fn effect_is(&self, effect: &str) -> bool {
        self.raw
            .get("Effect")
            .and_then(Value::as_str)
            .is_some_and(|e| e.eq_ignore_ascii_case(effect))
    }

    pub fn is_allow(&self) -> bool {
        self.effect_is("Allow")
    }

    pub fn is_deny(&self) -> bool {
        self.effect_is("Deny")
    }

    /// `Principal` names everyone: `"*"`, `{"AWS": "*"}` or `{"AWS": [..., "*", ...]}`.
    pub fn principal_is_everyone(&self) -> bool {
        match self.raw.get("Principal") {
            Some(Value::String(s)) => s == "*",
            Some(Value::Object(p)) => strings(p.get("AWS")).contains(&"*"),
            _ => false,
        }
    }

    /// An Allow with `NotPrincipal` grants everyone except the listed principals.
    pub fn has_not_principal(&self) -> bool {
        self.raw.get("NotPrincipal").is_some()
    }

    /// The `Action` patterns; empty when the statement uses `NotAction` instead.
    pub fn actions(&self) -> Vec<&'a str> {
        strings(self.raw.get("Action"))
    }

    /// The `Resource` patterns; empty when the statement uses `NotResource` instead.
    pub fn resources(&self) -> Vec<&'a str> {
        strings(self.raw.get("Resource"))
    }

    /// The `Condition` block; `None` when absent or empty (an empty block restricts nothing).
    pub fn condition(&self) -> Option<&'a Map<String, Value>> {
        self.raw
            .get("Condition")
            .and_then(Value::as_object)
            .filter(|c| !c.is_empty())
    }

    /// `Action` grants every action of every service: a pattern of only `*` (`"*"`) or
    /// `*:*`. `NotAction` is not read: it is not the `*:*` grant this answers for.
    pub fn grants_all_actions(&self) -> bool {
        self.actions().iter().any(|p| {
            let p = p.trim();
            !p.is_empty() && (p.chars().all(|c| c == '*') || p.trim_matches('*') == ":")
        })
    }

    /// `Resource` covers every resource: a pattern of only `*`.
    pub fn covers_all_resources(&self) -> bool {
        self.resources()
            .iter()
            .any(|r| !r.is_empty() && r.chars().all(|c| c == '*'))
    }

    /// Whether some `Action` pattern covers `action` (IAM matches actions case-insensitively).
    pub fn covers_action(&self, action: &str) -> bool {
        self.actions()
            .iter()
            .any(|p| wildcard_match(&p.to_ascii_lowercase(), &action.to_ascii_lowercase()))
    }
}

/// IAM wildcard matching: `*` matches any run of characters, `?` exactly one. Case-sensitive
/// (resource ARNs are); lowercase both sides for actions.
pub fn wildcard_match(pattern: &str, value: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let v: Vec<char> = value.chars().collect();
    let (mut pi, mut vi) = (0, 0);
    // Position of the last `*` in the pattern and the value index it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while vi < v.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == v[vi]) {
            pi += 1;
            vi += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, vi));
            pi += 1;
        } else if let Some((sp, sv)) = star {
            pi = sp + 1;
            vi = sv + 1;
            star = Some((sp, sv + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Whether `pattern` matches every string that starts with `prefix` (e.g. does a Resource
/// cover every object `arn:aws:s3:::bucket/...`). True exactly when the pattern ends in `*`
/// and what precedes that `*` matches some initial part of `prefix`: the `*` then absorbs
/// the rest, whatever it is.
pub fn covers_prefix(pattern: &str, prefix: &str) -> bool {
    let Some(head) = pattern.strip_suffix('*') else {
        return false;
    };
    let head = head.trim_end_matches('*');
    prefix
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(prefix.len()))
        .any(|k| wildcard_match(head, &prefix[..k]))
}

/// The Allow statements of a resource policy that grant everyone: a wildcard principal
/// (`"*"`, `{"AWS": "*"}`, `{"AWS": [.., "*", ..]}`) or `NotPrincipal`. Split into those
/// without a condition (anyone, anywhere) and those with one (often `aws:SourceOwner`,
/// `aws:SourceArn`, `kms:CallerAccount`, which pin the caller), each as evidence:
/// `{"sid", "actions"}` and `{"sid", "actions", "condition"}`. The one reading of "public"
/// the resource-policy checks share (KMS keys, SQS queues, SNS topics, OpenSearch domains).
pub fn everyone_allowed(doc: &Value) -> (Vec<Value>, Vec<Value>) {
    let (mut open, mut conditioned) = (Vec::new(), Vec::new());
    for st in statements(doc) {
        if !st.is_allow() || !(st.principal_is_everyone() || st.has_not_principal()) {
            continue;
        }
        match st.condition() {
            None => open.push(serde_json::json!({"sid": st.sid(), "actions": st.actions()})),
            Some(c) => conditioned.push(
                serde_json::json!({"sid": st.sid(), "actions": st.actions(), "condition": c}),
            ),
        }
    }
    (open, conditioned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statement_as_object_or_array() {
        let one = json!({"Statement": {"Effect": "Allow", "Action": "kms:*"}});
        let many = json!({"Statement": [{"Effect": "Deny"}, "junk", {"Effect": "Allow"}]});
        assert_eq!(statements(&one).len(), 1);
        assert_eq!(statements(&many).len(), 2);
        assert!(statements(&many)[0].is_deny() && statements(&many)[1].is_allow());
        assert!(statements(&json!({"Version": "2012-10-17"})).is_empty());
    }

    #[test]
    fn principals_that_mean_everyone() {
        for p in [
            json!("*"),
            json!({"AWS": "*"}),
            json!({"AWS": ["arn:aws:iam::1:root", "*"]}),
        ] {
            let doc = json!({"Statement": {"Effect": "Allow", "Principal": p}});
            assert!(statements(&doc)[0].principal_is_everyone(), "{p}");
        }
        for p in [
            json!({"AWS": "arn:aws:iam::111122223333:root"}),
            json!({"Service": "*"}),
        ] {
            let doc = json!({"Statement": {"Effect": "Allow", "Principal": p}});
            assert!(!statements(&doc)[0].principal_is_everyone(), "{p}");
        }
    }

    #[test]
    fn actions_match_case_insensitively_with_wildcards() {
        let doc = json!({"Statement": {"Action": ["S3:Get*", "s3:PutObject"]}});
        let st = statements(&doc)[0];
        assert!(st.covers_action("s3:GetObject"));
        assert!(st.covers_action("s3:PutObject"));
        assert!(!st.covers_action("s3:DeleteObject"));
        let not_action = json!({"Statement": {"NotAction": "s3:*"}});
        assert!(!statements(&not_action)[0].covers_action("s3:GetObject"));
    }

    #[test]
    fn full_admin_grants() {
        let st = |a: serde_json::Value, r: serde_json::Value| json!({"Statement": {"Effect": "Allow", "Action": a, "Resource": r}});
        for (a, r) in [
            (json!("*"), json!("*")),
            (
                json!(["s3:GetObject", "*:*"]),
                json!(["arn:aws:s3:::x", "*"]),
            ),
            (json!("**"), json!("*")),
        ] {
            let doc = st(a.clone(), r.clone());
            let s = statements(&doc)[0];
            assert!(
                s.grants_all_actions() && s.covers_all_resources(),
                "{a} {r}"
            );
        }
        let doc = st(json!("s3:*"), json!("arn:aws:s3:::x*"));
        let s = statements(&doc)[0];
        assert!(!s.grants_all_actions() && !s.covers_all_resources());
        let doc = json!({"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}});
        assert!(!statements(&doc)[0].grants_all_actions());
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y"));
        assert!(wildcard_match("a?c*", "abcdef"));
        assert!(!wildcard_match("a?c", "ac"));
        assert!(!wildcard_match("arn:aws:s3:::b/*", "arn:aws:s3:::bb/x"));
        assert!(wildcard_match("*a*b", "xxaxxb"));
        assert!(!wildcard_match("*a*b", "xxaxxbx"));
    }

    #[test]
    fn prefix_coverage() {
        let objects = "arn:aws:s3:::phi/";
        assert!(covers_prefix("arn:aws:s3:::phi/*", objects));
        assert!(covers_prefix("arn:aws:s3:::ph*", objects));
        assert!(covers_prefix("*", objects));
        assert!(covers_prefix("arn:aws:s3:::*/*", objects));
        assert!(!covers_prefix("arn:aws:s3:::phi/public/*", objects));
        assert!(!covers_prefix("arn:aws:s3:::phi", objects));
        assert!(!covers_prefix("arn:aws:s3:::phi/*.csv", objects));
        assert!(!covers_prefix("arn:aws:s3:::other/*", objects));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        /// The definition of IAM matching, by exhaustive recursion: the oracle the linear
        /// matcher is held to.
        fn reference(p: &[char], v: &[char]) -> bool {
            match p.split_first() {
                None => v.is_empty(),
                Some(('*', rest)) => (0..=v.len()).any(|k| reference(rest, &v[k..])),
                Some((c, rest)) => v
                    .split_first()
                    .is_some_and(|(d, vr)| (*c == '?' || c == d) && reference(rest, vr)),
            }
        }

        proptest! {
            #[test]
            fn matching_agrees_with_the_definition(p in "[ab*?]{0,8}", v in "[ab]{0,8}") {
                let (pc, vc): (Vec<char>, Vec<char>) = (p.chars().collect(), v.chars().collect());
                prop_assert_eq!(wildcard_match(&p, &v), reference(&pc, &vc));
            }

            #[test]
            fn a_literal_pattern_matches_only_itself(p in "[a-z:/]{0,12}", v in "[a-z:/]{0,12}") {
                prop_assert!(wildcard_match(&p, &p));
                prop_assert_eq!(wildcard_match(&p, &v), p == v);
            }

            #[test]
            fn prefix_coverage_holds_for_every_extension(
                p in "[ab/*?]{0,8}", prefix in "[ab/]{0,6}", tail in "[ab/]{0,6}"
            ) {
                if covers_prefix(&p, &prefix) {
                    let extended = format!("{prefix}{tail}");
                    prop_assert!(wildcard_match(&p, &extended), "{} covers {} but not {}", p, prefix, extended);
                }
            }
        }
    }
}
