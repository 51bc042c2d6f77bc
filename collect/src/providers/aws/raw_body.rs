//! AWS response bodies as JSON, for the raw evidence ([`crate::raw`]): JSON protocols as
//! they are, XML protocols (EC2, the query APIs, S3) converted. The SDK's deserialised
//! outputs have no serializable form, so the body the interceptor sees is the closest copy of
//! "the deserialised operation output" there is, and it is byte for byte what AWS said.
//!
//! XML becomes JSON by one rule, so an auditor can read it back: an element is a key; its
//! text a string (XML has no types: `<encrypted>false</encrypted>` is `"encrypted": "false"`);
//! its children an object; a child that repeats, or is named `item` or `member` (EC2's and
//! the query APIs' list entries), an array. Attributes (namespaces) are dropped.

use serde_json::{Map, Value};

/// The body as JSON: parsed, converted from XML, or (anything else that is text) a string.
/// `None` for an empty or binary body.
pub(super) fn to_json(body: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(body).ok()?.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return Some(v);
    }
    if text.starts_with('<') {
        if let Some(v) = xml_to_json(text) {
            return Some(v);
        }
    }
    Some(Value::String(text.to_string()))
}

struct Node {
    name: String,
    text: String,
    children: Vec<(String, Value)>,
}

impl Node {
    fn new(name: &str) -> Node {
        Node {
            name: name.to_string(),
            text: String::new(),
            children: Vec::new(),
        }
    }

    fn into_value(self) -> Value {
        if self.children.is_empty() {
            return Value::String(unescape(self.text.trim()));
        }
        let mut counts: std::collections::HashMap<&str, usize> = Default::default();
        for (n, _) in &self.children {
            *counts.entry(n.as_str()).or_default() += 1;
        }
        let listed: Vec<String> = counts
            .into_iter()
            .filter(|(n, c)| *c > 1 || matches!(*n, "item" | "member"))
            .map(|(n, _)| n.to_string())
            .collect();
        let mut m = Map::new();
        for (n, v) in self.children {
            if listed.contains(&n) {
                let e = m.entry(n).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(a) = e {
                    a.push(v);
                }
            } else {
                m.insert(n, v);
            }
        }
        Value::Object(m)
    }
}

/// `{"<root>": ...}` of an XML document; `None` when it is not well formed.
fn xml_to_json(text: &str) -> Option<Value> {
    use xmlparser::{ElementEnd, Token, Tokenizer};
    let mut stack = vec![Node::new("")];
    for token in Tokenizer::from(text) {
        match token.ok()? {
            Token::ElementStart { local, .. } => stack.push(Node::new(local.as_str())),
            Token::Text { text } => stack.last_mut()?.text.push_str(text.as_str()),
            Token::Cdata { text, .. } => stack
                .last_mut()?
                .text
                .push_str(&text.as_str().replace('&', "&amp;")),
            Token::ElementEnd {
                end: ElementEnd::Close(..) | ElementEnd::Empty,
                ..
            } => {
                let node = stack.pop()?;
                let name = node.name.clone();
                stack.last_mut()?.children.push((name, node.into_value()));
            }
            _ => {}
        }
    }
    let root = stack.pop()?;
    (stack.is_empty() && !root.children.is_empty()).then(|| root.into_value())
}

/// XML's five named entities and character references.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ec2_xml_becomes_json_with_item_lists() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeVolumesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>r-1</requestId>
  <volumeSet>
    <item><volumeId>vol-1</volumeId><encrypted>false</encrypted>
      <tagSet><item><key>Name</key><value>a &amp; b</value></item></tagSet></item>
  </volumeSet>
  <nextToken/>
</DescribeVolumesResponse>"#;
        assert_eq!(
            to_json(xml).unwrap(),
            json!({"DescribeVolumesResponse": {
                "requestId": "r-1",
                "volumeSet": {"item": [{"volumeId": "vol-1", "encrypted": "false",
                    "tagSet": {"item": [{"key": "Name", "value": "a & b"}]}}]},
                "nextToken": ""
            }})
        );
    }

    #[test]
    fn repeated_elements_are_arrays_and_json_stays_json() {
        let xml = b"<R><Buckets><Bucket><Name>a</Name></Bucket><Bucket><Name>b</Name></Bucket></Buckets></R>";
        assert_eq!(
            to_json(xml).unwrap(),
            json!({"R": {"Buckets": {"Bucket": [{"Name": "a"}, {"Name": "b"}]}}})
        );
        assert_eq!(
            to_json(br#"{"KeyId": "k"}"#).unwrap(),
            json!({"KeyId": "k"})
        );
        assert_eq!(to_json(b"  "), None);
        assert_eq!(to_json(b"<broken").unwrap(), json!("<broken"));
        assert_eq!(unescape("&#65;&#x42;&lt;&bogus;"), "AB<&bogus;");
    }
}
