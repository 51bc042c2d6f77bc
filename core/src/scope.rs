//! Scope by data classification: only resources tagged (AWS, Azure) or labelled (GCP) with
//! one of the selected classifications are reported. Policy applies [`ScopeFilter`] in one
//! place ([`crate::policy::Policy::apply`], through [`ScopeFilter::apply`]): checks see the
//! whole inventory, findings on out-of-scope inventory resources are dropped, and untagged
//! resources are reported there when asked.
//!
//! Decisions (docs/config.md):
//! - the tag key and the values compare case-insensitively (`Data-Classification: PROTECTED`
//!   matches `data-classification=protected`; GCP labels are lowercase anyway);
//! - kinds that cannot carry tags or labels ([`crate::model::ResourceKind::taggable`], declared with the
//!   kind: account settings such as the IAM root account, the password policy, the EBS
//!   encryption default, a GCP project's audit config, an Azure activity log export, and
//!   unlabelled GCP network resources such as firewall rules) cannot be classified and
//!   protect every resource they govern, so they are always in scope;
//! - a resource with the key but another value is out of scope;
//! - a resource without the key is handled by [`Untagged`].

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::check::{CheckMeta, Finding, FindingBuilder, FindingError, Severity, Status};
use crate::frameworks::hipaa::Hipaa;
use crate::model::{Inventory, Provider, ResourceKind, ResourceRef};

/// Default tag / label key of the data classification.
pub const DEFAULT_KEY: &str = "data-classification";
/// The classifications of the seed policies, the default vocabulary.
pub const DEFAULT_VALUES: [&str; 4] = ["Protected", "Confidential", "Internal", "Public"];

/// What to do with resources that have no classification tag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Untagged {
    /// Evaluate them like in-scope resources (unclassified data may be ePHI).
    #[default]
    Include,
    /// Leave them out of the scan.
    Exclude,
    /// Leave them out of the checks and report each as a FAIL of
    /// `phiscan-untagged-resource`.
    Report,
}

impl Untagged {
    pub fn parse(s: &str) -> Result<Untagged, String> {
        match s.to_ascii_lowercase().as_str() {
            "include" => Ok(Untagged::Include),
            "exclude" => Ok(Untagged::Exclude),
            "report" => Ok(Untagged::Report),
            _ => Err(format!(
                "{s} is not one of include, exclude, report",
                s = crate::quote::quote(s)
            )),
        }
    }
}

/// The data-classification scope of a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeFilter {
    /// Tag / label key.
    pub key: String,
    /// The classifications in scope, as given.
    pub values: Vec<String>,
    pub untagged: Untagged,
}

/// Where one resource falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    In,
    Out,
    Untagged,
}

impl ScopeFilter {
    pub fn place(&self, r: &ResourceRef) -> Placement {
        if !r.kind.taggable() {
            return Placement::In;
        }
        match r
            .tags
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&self.key))
        {
            None => Placement::Untagged,
            Some((_, v)) if self.values.iter().any(|s| s.eq_ignore_ascii_case(v.trim())) => {
                Placement::In
            }
            Some(_) => Placement::Out,
        }
    }

    /// Whether the checks evaluate this resource.
    pub fn evaluates(&self, r: &ResourceRef) -> bool {
        match self.place(r) {
            Placement::In => true,
            Placement::Out => false,
            Placement::Untagged => self.untagged == Untagged::Include,
        }
    }

    /// `key=value[,value]` for reports and logs.
    pub fn describe(&self) -> String {
        format!("{}={}", self.key, self.values.join(","))
    }
}

/// Id of the finding reported for each untagged resource with `untagged = "report"`.
pub const UNTAGGED_CHECK_ID: &str = "phiscan-untagged-resource";

const UNTAGGED_DOC: &str = "\
## What it checks
With a data-classification scope and `untagged = \"report\"`, every resource without the
classification tag or label fails.

## Why it matters
A resource nobody classified may hold ePHI; the risk analysis of 45 CFR 164.308(a)(1)(ii)(A)
needs to know where ePHI lives.

## Evidence
The tag key looked for and the tags the resource has.

## Remediation
Tag (AWS, Azure) or label (GCP) the resource with its data classification.
";

macro_rules! untagged_meta {
    ($name:ident, $provider:ident) => {
        static $name: CheckMeta = CheckMeta {
            id: UNTAGGED_CHECK_ID,
            title: "Resources carry a data-classification tag",
            severity: Severity::Medium,
            provider: Provider::$provider,
            kinds: &[],
            controls: &[Hipaa::RiskAnalysis],
            doc: UNTAGGED_DOC,
        };
    };
}
untagged_meta!(UNTAGGED_AWS, Aws);
untagged_meta!(UNTAGGED_GCP, Gcp);
untagged_meta!(UNTAGGED_AZURE, Azure);

/// The metadata the untagged-resource findings are reported under, so they join reports
/// (catalogue, controls, formats) like a check's. `provider` is the scan's first provider:
/// it only labels the check in catalogue-like outputs; findings carry their own.
pub fn untagged_meta(provider: Provider) -> &'static CheckMeta {
    match provider {
        Provider::Aws => &UNTAGGED_AWS,
        Provider::Gcp => &UNTAGGED_GCP,
        Provider::Azure => &UNTAGGED_AZURE,
    }
}

impl ScopeFilter {
    /// The scope stage of policy: drop the findings on inventory resources the checks do
    /// not evaluate, and with `untagged = "report"` return one FAIL of
    /// [`UNTAGGED_CHECK_ID`] per untagged resource of the inventory (`None` otherwise).
    ///
    /// Checks saw the whole inventory, so a cross-resource verdict stays true: removing an
    /// untagged CloudTrail trail before evaluation would make "no trail covers us-east-1" a
    /// false FAIL. Findings on resources that are not inventory records (a region's trail
    /// coverage, failed collections) are account-level and always in scope.
    pub fn apply(
        &self,
        findings: &mut Vec<Finding>,
        inventory: &Inventory,
    ) -> Option<Result<Vec<Finding>, FindingError>> {
        let refs = inventory.resource_refs();
        // A half-read resource without the tag may be untagged only because its tags could
        // not be read: its ERROR findings stay, and it is not called untagged.
        let unread = |r: &ResourceRef| {
            self.place(r) == Placement::Untagged && inventory.errors.iter().any(|e| e.is_about(r))
        };
        let out_of_scope: HashSet<(ResourceKind, &str)> = refs
            .iter()
            .filter(|r| !self.evaluates(r) && !unread(r))
            .map(|r| (r.kind, r.id.as_str()))
            .collect();
        findings.retain(|f| !out_of_scope.contains(&(f.resource.kind, f.resource.id.as_str())));
        (self.untagged == Untagged::Report).then(|| {
            refs.into_iter()
                .filter(|r| self.place(r) == Placement::Untagged && !unread(r))
                .map(|r| {
                    FindingBuilder::new(UNTAGGED_CHECK_ID, Status::Fail, r.clone())
                        .evidence("tag_key", &self.key)
                        .evidence("tags", &r.tags)
                        .reason(format!(
                            "The resource has no {} tag, so nobody can say whether it holds ePHI",
                            self.key
                        ))
                        .build()
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ResourceKind;

    fn r(kind: ResourceKind, tags: &[(&str, &str)]) -> ResourceRef {
        let mut r = ResourceRef::new(kind, "1", "us-east-1", "id", "n");
        for (k, v) in tags {
            r = r.with_tag(*k, *v);
        }
        r
    }

    #[test]
    fn placement_is_case_insensitive_and_account_settings_stay_in() {
        let f = ScopeFilter {
            key: "data-classification".into(),
            values: vec!["protected".into()],
            untagged: Untagged::Exclude,
        };
        let vol = ResourceKind::AwsEbsVolume;
        assert_eq!(
            f.place(&r(vol, &[("Data-Classification", " PROTECTED")])),
            Placement::In
        );
        assert_eq!(
            f.place(&r(vol, &[("data-classification", "public")])),
            Placement::Out
        );
        assert_eq!(f.place(&r(vol, &[("owner", "x")])), Placement::Untagged);
        assert!(!f.evaluates(&r(vol, &[])));
        assert_eq!(
            f.place(&r(ResourceKind::AwsEbsEncryptionDefault, &[])),
            Placement::In
        );
        let inc = ScopeFilter {
            untagged: Untagged::Include,
            ..f
        };
        assert!(inc.evaluates(&r(vol, &[])));
        assert!(!inc.evaluates(&r(vol, &[("data-classification", "internal")])));
        assert_eq!(Untagged::parse("Report"), Ok(Untagged::Report));
        assert!(Untagged::parse("drop").is_err());
    }

    /// Every kind declared without tags, including any added later, is in scope with any
    /// tags and any untagged policy: nothing could ever classify it.
    #[test]
    fn every_kind_that_cannot_carry_tags_is_always_in_scope() {
        let untaggable: Vec<ResourceKind> = ResourceKind::ALL
            .iter()
            .copied()
            .filter(|k| !k.taggable())
            .collect();
        for must in [
            ResourceKind::AwsIamRootAccount,
            ResourceKind::AwsIamPasswordPolicy,
            ResourceKind::GcpProjectAuditConfig,
            ResourceKind::AzureActivityLog,
        ] {
            assert!(untaggable.contains(&must), "{must:?} is declared taggable");
        }
        for untagged in [Untagged::Include, Untagged::Exclude, Untagged::Report] {
            let f = ScopeFilter {
                key: "data-classification".into(),
                values: vec!["protected".into()],
                untagged,
            };
            for &kind in &untaggable {
                for tags in [&[][..], &[("data-classification", "public")][..]] {
                    let res = r(kind, tags);
                    assert_eq!(
                        f.place(&res),
                        Placement::In,
                        "{kind:?} {untagged:?} {tags:?}"
                    );
                    assert!(f.evaluates(&res), "{kind:?} {untagged:?}");
                }
            }
        }
    }

    /// The contrast: a taggable kind without its tag is not silently in scope.
    #[test]
    fn every_taggable_kind_without_its_tag_is_untagged() {
        let f = ScopeFilter {
            key: "data-classification".into(),
            values: vec!["protected".into()],
            untagged: Untagged::Exclude,
        };
        for &kind in ResourceKind::ALL.iter().filter(|k| k.taggable()) {
            assert_eq!(f.place(&r(kind, &[])), Placement::Untagged, "{kind:?}");
        }
    }

    #[test]
    fn half_read_resource_without_the_tag_keeps_its_error() {
        use crate::engine::tests::vol;
        use crate::model::CollectionError;
        let mut inv = Inventory::new();
        inv.aws_ebs_volumes = vec![vol("us-east-1", "a", true), vol("us-east-1", "c", true)];
        let a = inv.aws_ebs_volumes[0].resource.clone();
        inv.errors.push(CollectionError::of_resource(
            &a,
            "ec2:GetTags",
            "AccessDenied",
        ));
        let finding = |r: &ResourceRef, status| {
            FindingBuilder::new("t", status, r.clone())
                .evidence("e", 1)
                .reason("r")
                .build()
                .unwrap()
        };
        let c = inv.aws_ebs_volumes[1].resource.clone();
        let f = ScopeFilter {
            key: DEFAULT_KEY.into(),
            values: vec!["protected".into()],
            untagged: Untagged::Report,
        };
        let mut found = vec![finding(&a, Status::Error), finding(&c, Status::Pass)];
        let untagged = f.apply(&mut found, &inv).unwrap().unwrap();
        // Its tags are unknown: neither dropped nor called untagged.
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].resource.id, "a");
        assert_eq!(untagged.len(), 1);
        assert_eq!(untagged[0].resource.id, "c");
    }
}
