//! Helpers shared by checks of several providers: internet-facing address ranges and port
//! ranges, as security groups, GCP firewalls and Azure NSGs spell them.

/// NOT_APPLICABLE for `resource` because a `[segmentation]` setting the check needs is not
/// set: the reason and `missing_setting` name it (issue 14: never a silent PASS).
pub fn missing_setting(
    ctx: &phiscan_core::Ctx,
    resource: &phiscan_core::ResourceRef,
    missing: phiscan_core::config::Missing,
) -> Result<phiscan_core::Finding, phiscan_core::FindingError> {
    ctx.not_applicable(resource)
        .evidence("missing_setting", format!("segmentation.{}", missing.0))
        .reason(missing.to_string())
        .build()
}

/// Whether a source range admits the whole internet: `0.0.0.0/0`, `::/0`, and Azure's `*`,
/// `Internet` and `Any` service tags.
pub fn is_internet_source(source: &str) -> bool {
    matches!(
        source.trim().to_ascii_lowercase().as_str(),
        "0.0.0.0/0" | "::/0" | "0::/0" | "0.0.0.0" | "*" | "internet" | "any"
    )
}

/// An inclusive range of ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortRange {
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange {
        from: 0,
        to: u16::MAX,
    };

    /// Parse `22`, `8000-8080` or `*` (all). `None` for anything else.
    #[allow(dead_code)] // for the Azure NSG checks still to come
    pub fn parse(spec: &str) -> Option<PortRange> {
        let spec = spec.trim();
        if spec == "*" {
            return Some(PortRange::ALL);
        }
        match spec.split_once('-') {
            Some((a, b)) => {
                let (from, to) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                (from <= to).then_some(PortRange { from, to })
            }
            None => spec.parse().ok().map(|p| PortRange { from: p, to: p }),
        }
    }

    /// From AWS-style optional bounds; missing or negative bounds (all traffic) mean all ports.
    pub fn from_bounds(from: Option<i32>, to: Option<i32>) -> PortRange {
        match (from, to) {
            (Some(f), Some(t)) if f >= 0 && t >= 0 => PortRange {
                from: f.min(i32::from(u16::MAX)) as u16,
                to: t.min(i32::from(u16::MAX)) as u16,
            },
            _ => PortRange::ALL,
        }
    }

    pub fn contains(self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }

    #[allow(dead_code)] // for the Azure NSG checks still to come
    pub fn is_all(self) -> bool {
        self.from == 0 && self.to == u16::MAX
    }
}

/// The ports of `watched` that `range` opens.
pub fn opened(range: PortRange, watched: &[u16]) -> Vec<u16> {
    watched
        .iter()
        .copied()
        .filter(|p| range.contains(*p))
        .collect()
}

/// A backup's age in whole hours before the scan clock (0 for a time after it, clock skew) and
/// whether it is within `max_hours`: the decision of every recent-backup check, observed
/// (`gcp-sql-instance-recent-backup`) or attested (`attested-recent-backup`).
pub fn backup_age(
    last: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    max_hours: i64,
) -> (i64, bool) {
    let hours = (now - last).num_hours().max(0);
    (hours, hours <= max_hours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internet_sources() {
        for s in ["0.0.0.0/0", "::/0", "*", "Internet", "Any"] {
            assert!(is_internet_source(s), "{s}");
        }
        for s in [
            "10.0.0.0/8",
            "0.0.0.0/1",
            "VirtualNetwork",
            "203.0.113.7/32",
        ] {
            assert!(!is_internet_source(s), "{s}");
        }
    }

    #[test]
    fn port_ranges() {
        assert_eq!(PortRange::parse("22"), Some(PortRange { from: 22, to: 22 }));
        assert!(PortRange::parse("*").unwrap().is_all());
        assert_eq!(
            PortRange::parse("1000-2000"),
            Some(PortRange {
                from: 1000,
                to: 2000
            })
        );
        assert_eq!(PortRange::parse("2000-1000"), None);
        assert_eq!(PortRange::parse("ssh"), None);
        assert!(PortRange::from_bounds(None, None).is_all());
        assert!(PortRange::from_bounds(Some(-1), Some(-1)).is_all());
        assert_eq!(
            opened(PortRange::parse("20-23").unwrap(), &[22, 3389]),
            vec![22]
        );
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn a_range_parses_exactly_when_ordered(a: u16, b: u16) {
                let parsed = PortRange::parse(&format!("{a}-{b}"));
                prop_assert_eq!(parsed, (a <= b).then_some(PortRange { from: a, to: b }));
                prop_assert_eq!(PortRange::parse(&format!(" {a} ")), Some(PortRange { from: a, to: a }));
            }

            #[test]
            fn a_range_holds_exactly_the_ports_between_its_bounds(a: u16, b: u16, p: u16) {
                let r = PortRange { from: a.min(b), to: a.max(b) };
                prop_assert_eq!(r.contains(p), a.min(b) <= p && p <= a.max(b));
                let watched = [p, a, b, 22, 3389, 0, u16::MAX];
                let open = opened(r, &watched);
                let expected: Vec<u16> = watched.iter().copied().filter(|q| r.contains(*q)).collect();
                prop_assert_eq!(open, expected);
            }

            #[test]
            fn bounds_never_panic_and_negative_or_missing_means_all(f in any::<Option<i32>>(), t in any::<Option<i32>>()) {
                let r = PortRange::from_bounds(f, t);
                match (f, t) {
                    (Some(f), Some(t)) if f >= 0 && t >= 0 => {
                        prop_assert_eq!(i32::from(r.from), f.min(65535));
                        prop_assert_eq!(i32::from(r.to), t.min(65535));
                    }
                    _ => prop_assert!(r.is_all()),
                }
            }

            #[test]
            fn only_the_zero_prefix_is_the_internet(a: u8, b: u8, c: u8, d: u8, len in 1u8..=32) {
                let cidr = format!("{a}.{b}.{c}.{d}/{len}");
                let internet = is_internet_source(&cidr);
                prop_assert!(!internet, "{} counted as the internet", cidr);
                let v6 = format!("{:x}::/{}", u16::from(a) << 8 | u16::from(b), len);
                let internet = is_internet_source(&v6);
                prop_assert!(!internet, "{} counted as the internet", v6);
            }
        }
    }
}
