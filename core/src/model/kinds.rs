//! The [`kinds!`] macro: one line per resource kind generates everything the rest of the
//! program needs to know about it (see the table in [`crate::model`]).
//!
//! What a line declares: the [`ResourceKind`](super::ResourceKind) variant, the `Inventory`
//! field holding it and its Rust type (grouped under its provider), its [`Granularity`],
//! whether it can carry tags or labels, and, optionally, which resources of the kind a
//! region's list call returns although they belong to another region (see
//! [`Inventory::seen_from_every_region`](super::Inventory::seen_from_every_region)).
//!
//! What it generates: the closed `ResourceKind` enum and one enum per provider (`AwsKind`,
//! `GcpKind`, `AzureKind`, with the same variant names) that each provider's collector
//! matches exhaustively, so a kind declared here and wired nowhere does not compile; the
//! `Inventory` struct; the [`Resource`](super::Resource) impls; `absorb`, `sort` and the
//! other whole-inventory operations.
//!
//! The collectors are not named here: the model must not depend on the SDKs. The
//! "collector of a kind" is the arm of that exhaustive match in the provider's module.

use serde::{Deserialize, Serialize};

/// How a kind is collected and to which part of a scope its resources belong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Granularity {
    /// Each resource lives in one region (or zone, or a provider's own `global` location) and
    /// belongs there. Where the API is regional (AWS), the collector runs once per region in
    /// scope; GCP and Azure list such resources once per project / subscription with
    /// aggregated or subscription-wide calls.
    Regional,
    /// One collection per account through a global API (S3 ListBuckets, CloudTrail
    /// DescribeTrails deduplicated across regions) whose results belong to regions: a
    /// sharded scan keeps the results of its own regions.
    Global,
    /// The account / project / subscription as a whole, not a region: a setting of it (the
    /// IAM root account, the password policy, the S3 account public access block, a GCP
    /// project's audit config, an Azure subscription's activity log) or a resource without
    /// a region (an IAM policy). Collected once per account, by exactly one shard of it.
    AccountWide,
}

/// Declare every resource kind; see the module documentation. Lines are grouped by
/// provider: `Provider => ProviderKindEnum { Kind => field: Type, Granularity, tags: bool; }`,
/// optionally followed by `, seen_from_every_region: |resource: &Type| -> bool` before the `;`.
macro_rules! kinds {
    ($(
        $provider:ident => $penum:ident {
            $(
                $(#[$doc:meta])*
                $kind:ident => $field:ident : $ty:ty, $gran:ident, tags: $tags:literal
                    $(, seen_from_every_region: $everywhere:expr)? ;
            )+
        }
    )+) => {
        /// Every kind of resource phiscan knows. Checks declare the kinds they read; the planner
        /// turns selected checks into the kinds to collect.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum ResourceKind {
            $( $( $(#[$doc])* $kind, )+ )+
        }

        $(
            /// The kinds of one provider: its collector matches on this enum without a
            /// wildcard arm, so every declared kind has a collector.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[allow(clippy::enum_variant_names)] // the same names as in ResourceKind
            pub enum $penum {
                $( $kind, )+
            }

            impl $penum {
                pub const ALL: &'static [$penum] = &[$($penum::$kind),+];
            }

            impl From<$penum> for ResourceKind {
                fn from(k: $penum) -> ResourceKind {
                    match k { $($penum::$kind => ResourceKind::$kind,)+ }
                }
            }

            impl TryFrom<ResourceKind> for $penum {
                type Error = ResourceKind;
                /// The provider's kind, or the kind back when it belongs to another provider.
                fn try_from(k: ResourceKind) -> Result<$penum, ResourceKind> {
                    match k {
                        $(ResourceKind::$kind => Ok($penum::$kind),)+
                        #[allow(unreachable_patterns)]
                        other => Err(other),
                    }
                }
            }
        )+

        impl ResourceKind {
            pub const ALL: &'static [ResourceKind] = &[$($(ResourceKind::$kind),+),+];

            pub fn provider(self) -> Provider {
                match self { $($(ResourceKind::$kind => Provider::$provider,)+)+ }
            }

            pub fn as_str(self) -> &'static str {
                match self { $($(ResourceKind::$kind => stringify!($kind),)+)+ }
            }

            /// How this kind is collected and where its resources belong.
            pub fn granularity(self) -> Granularity {
                match self { $($(ResourceKind::$kind => Granularity::$gran,)+)+ }
            }

            /// Whether resources of this kind can carry tags (AWS, Azure) or labels (GCP). A
            /// kind that cannot is always inside a data-classification scope.
            pub fn taggable(self) -> bool {
                match self { $($(ResourceKind::$kind => $tags,)+)+ }
            }

            /// How many resources of this kind the inventory holds.
            pub fn count_in(self, inv: &Inventory) -> usize {
                match self { $($(ResourceKind::$kind => inv.$field.len(),)+)+ }
            }
        }

        /// What the collectors observed: the resources of every kind, the scopes that were
        /// scanned, and for each (scope, region, kind) that could not be collected, why.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Inventory {
            /// Format version of the saved inventory; see [`INVENTORY_FORMAT`].
            pub format: String,
            /// When collection started (reports and evidence bundles take the scan's start
            /// from here, never from the wall clock, so they are reproducible).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub collection_started_at: Option<chrono::DateTime<chrono::Utc>>,
            /// When collection finished; the default clock for re-evaluating this inventory.
            pub collected_at: Option<chrono::DateTime<chrono::Utc>>,
            /// Accounts / projects / subscriptions scanned, with the regions in scope.
            pub scopes: Vec<Scope>,
            /// Collections that failed: the checks that read these kinds there report ERROR.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub errors: Vec<CollectionError>,
            /// Every API call the collectors made, in the order they started.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub api_calls: Vec<ApiCall>,
            $($(
                #[serde(default, skip_serializing_if = "Vec::is_empty")]
                pub $field: Vec<$ty>,
            )+)+
            /// Raw API responses the collectors kept as evidence; written (redacted) to the
            /// evidence bundle's `raw/` beside the resource records they describe.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub raw_responses: Vec<RawResponse>,
        }

        /// The top level of a saved inventory, each member still its text (`load.rs`).
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(super) struct TopLevel<'a> {
            #[serde(borrow, default)]
            format: load::Part<'a>,
            #[serde(borrow, default)]
            collection_started_at: load::Part<'a>,
            #[serde(borrow, default)]
            collected_at: load::Part<'a>,
            #[serde(borrow, default)]
            scopes: load::Part<'a>,
            #[serde(borrow, default)]
            errors: load::Part<'a>,
            #[serde(borrow, default)]
            api_calls: load::Part<'a>,
            $($(
                #[serde(borrow, default)]
                $field: load::Part<'a>,
            )+)+
            #[serde(borrow, default)]
            raw_responses: load::Part<'a>,
        }

        impl Inventory {
            /// Every part parsed in parallel; `None` when one does not parse or a required
            /// one (`format`, `scopes`) is absent, as the derived parse would refuse.
            fn from_parts(p: TopLevel<'_>) -> Option<Inventory> {
                if !p.format.is_present() || !p.scopes.is_present() {
                    return None;
                }
                let mut inv = Inventory {
                    format: p.format.parse_or_default()?,
                    collection_started_at: p.collection_started_at.parse_or_default()?,
                    collected_at: p.collected_at.parse_or_default()?,
                    ..Inventory::default()
                };
                let failed = std::sync::atomic::AtomicBool::new(false);
                rayon::scope(|s| {
                    let fill = load::Fill::new(s, &failed);
                    fill.list(p.scopes, &mut inv.scopes);
                    fill.list(p.errors, &mut inv.errors);
                    fill.list(p.api_calls, &mut inv.api_calls);
                    $($( fill.list(p.$field, &mut inv.$field); )+)+
                    fill.list(p.raw_responses, &mut inv.raw_responses);
                });
                (!failed.into_inner()).then_some(inv)
            }
        }

        $($(
            impl Resource for $ty {
                const KIND: ResourceKind = ResourceKind::$kind;
                fn resource(&self) -> &ResourceRef { &self.resource }
                fn all(inv: &Inventory) -> &[Self] { &inv.$field }
            }
        )+)+

        impl Inventory {
            /// Add another collection's resources, scopes, errors, API calls and raw
            /// responses (one inventory per account of an organization, scanned apart). The
            /// collection window widens to cover both.
            pub fn absorb(&mut self, other: Inventory) {
                $($( self.$field.extend(other.$field); )+)+
                self.scopes.extend(other.scopes);
                self.errors.extend(other.errors);
                self.api_calls.extend(other.api_calls);
                self.raw_responses.extend(other.raw_responses);
                self.collection_started_at = match (self.collection_started_at, other.collection_started_at) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                self.collected_at = match (self.collected_at, other.collected_at) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }

            /// Deterministic order whatever order the collection tasks finished in: every
            /// list by (account, region, id), the errors by (provider, account, region, kind,
            /// reason) without duplicates.
            pub fn sort(&mut self) {
                fn by_place<T: Resource>(v: &mut [T]) {
                    v.sort_by(|a, b| {
                        let (a, b) = (a.resource(), b.resource());
                        (&a.account, &a.region, &a.id).cmp(&(&b.account, &b.region, &b.id))
                    });
                }
                $($( by_place(&mut self.$field); )+)+
                self.errors.sort_by(|a, b| {
                    (a.provider, &a.account, &a.region, a.kind, &a.resource, &a.operation, &a.reason)
                        .cmp(&(b.provider, &b.account, &b.region, b.kind, &b.resource, &b.operation, &b.reason))
                });
                self.errors.dedup();
            }

            /// The references of one kind's resources, in inventory order.
            pub fn refs_of(&self, kind: ResourceKind) -> Vec<&ResourceRef> {
                match kind {
                    $($(ResourceKind::$kind => self.$field.iter().map(|r| &r.resource).collect(),)+)+
                }
            }

            /// Every resource reference of the inventory, in declaration order.
            pub fn resource_refs(&self) -> Vec<&ResourceRef> {
                let mut out = Vec::new();
                $($( out.extend(self.$field.iter().map(|r| &r.resource)); )+)+
                out
            }

            /// The resources that every region's list call of their account returns, whatever
            /// region they belong to (a multi-region CloudTrail trail): a sharded scan sees
            /// them in every shard of the account.
            pub fn seen_from_every_region(&self) -> Vec<&ResourceRef> {
                #[allow(unused_mut)] // no kind may declare a predicate
                let mut out = Vec::new();
                $($($(
                    out.extend(
                        self.$field.iter().filter(|r| ($everywhere)(*r)).map(|r| &r.resource),
                    );
                )?)+)+
                out
            }

            /// Keep the resources of every kind for which `keep` says yes (sharding).
            pub fn retain_resources(&mut self, mut keep: impl FnMut(&ResourceRef) -> bool) {
                $($( self.$field.retain(|r| keep(&r.resource)); )+)+
            }

            /// Every resource record with its reference, as JSON (the evidence bundle's `raw/`).
            pub fn records(&self) -> Vec<(&ResourceRef, serde_json::Value)> {
                let mut out = Vec::new();
                $($(
                    for r in &self.$field {
                        // Plain data with string keys: serialization cannot fail.
                        let v = serde_json::to_value(r).expect("inventory record serializes");
                        out.push((&r.resource, v));
                    }
                )+)+
                out
            }

            /// Kind stamped on each `ResourceRef` must match the list it sits in, or a hand-edited
            /// inventory could make a check read a disk as a bucket.
            fn check_kinds(&self) -> Result<(), String> {
                $($(
                    for (i, r) in self.$field.iter().enumerate() {
                        if r.resource.kind != ResourceKind::$kind {
                            return Err(format!(
                                "{}[{}] ({}) has kind {} but sits in the {} list",
                                stringify!($field), i, r.resource.id, r.resource.kind.as_str(),
                                stringify!($kind)
                            ));
                        }
                    }
                )+)+
                Ok(())
            }
        }
    };
}
