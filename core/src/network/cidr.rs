//! IPv4 and IPv6 address ranges as security groups, firewalls, NSGs and route tables spell
//! them (`10.0.0.0/16`, `2001:db8::/32`, a bare address for one host).
//!
//! Why a range keeps only its network address: clouds accept host bits (`10.0.1.7/16`) and
//! mean the network; two spellings of one range compare equal.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An address range: a network address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CidrError(String);

/// RFC 1918 private ranges, RFC 6598 shared address space (carrier-grade NAT, which AWS
/// VPCs may use) and IPv6 unique local addresses (RFC 4193).
const PRIVATE: [&str; 5] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "fc00::/7",
];

impl Cidr {
    /// Parse `a.b.c.d/n`, `v6::/n` or a bare address (one host: /32 or /128).
    pub fn parse(s: &str) -> Result<Cidr, CidrError> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| {
            CidrError(format!(
                "{} is not an IPv4 or IPv6 address range (e.g. 10.8.0.0/16 or 2001:db8::/32)",
                crate::quote::quote(s)
            ))
        })?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max && !p.starts_with('+') => n,
                _ => {
                    return Err(CidrError(format!(
                        "{}: the prefix length must be a number from 0 to {max}",
                        crate::quote::quote(s)
                    )))
                }
            },
        };
        Ok(Cidr {
            network: mask(addr, prefix),
            prefix,
        })
    }

    pub fn network(&self) -> IpAddr {
        self.network
    }

    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    pub fn is_ipv4(&self) -> bool {
        self.network.is_ipv4()
    }

    /// `0.0.0.0/0` or `::/0`: every address of its family (the internet).
    pub fn is_everything(&self) -> bool {
        self.prefix == 0
    }

    /// Whether `ip` is in this range (never across IPv4 and IPv6).
    pub fn contains_ip(&self, ip: IpAddr) -> bool {
        ip.is_ipv4() == self.is_ipv4() && mask(ip, self.prefix) == self.network
    }

    /// Whether every address of `other` is in this range.
    pub fn contains(&self, other: &Cidr) -> bool {
        other.prefix >= self.prefix && self.contains_ip(other.network)
    }

    /// Whether the two ranges share an address.
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }

    /// Whether the whole range is private address space (see [`PRIVATE`]): a range that
    /// reaches past it (`0.0.0.0/0`, `10.0.0.0/7`) is not.
    pub fn is_private(&self) -> bool {
        PRIVATE
            .iter()
            .any(|p| Cidr::parse(p).map(|p| p.contains(self)).unwrap_or(false))
    }
}

/// `addr` with the bits past `prefix` cleared.
fn mask(addr: IpAddr, prefix: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => {
            let bits = u32::from(a);
            let m = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4((bits & m).into())
        }
        IpAddr::V6(a) => {
            let bits = u128::from(a);
            let m = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6((bits & m).into())
        }
    }
}

impl FromStr for Cidr {
    type Err = CidrError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Cidr::parse(s)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl Serialize for Cidr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cidr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Cidr::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Cidr {
        Cidr::parse(s).unwrap()
    }

    #[test]
    fn parses_both_families_and_masks_host_bits() {
        assert_eq!(c("10.0.1.7/16").to_string(), "10.0.0.0/16");
        assert_eq!(c("203.0.113.7").to_string(), "203.0.113.7/32");
        assert_eq!(c("2001:db8::1/32").to_string(), "2001:db8::/32");
        assert_eq!(c("::1").prefix(), 128);
        for bad in [
            "10.0.0.0/33",
            "::/129",
            "10.0.0/8",
            "10.0.0.0/-1",
            "any",
            "",
            "10.0.0.0/+8",
        ] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn containment_and_overlap() {
        assert!(c("10.0.0.0/16").contains(&c("10.0.3.0/24")));
        assert!(!c("10.0.3.0/24").contains(&c("10.0.0.0/16")));
        assert!(c("10.0.3.0/24").overlaps(&c("10.0.0.0/16")));
        assert!(!c("10.0.0.0/16").overlaps(&c("10.1.0.0/16")));
        // Adjacent ranges share no address.
        assert!(!c("10.0.0.0/25").overlaps(&c("10.0.0.128/25")));
        assert!(c("2001:db8::/32").contains(&c("2001:db8:1::/48")));
        // Never across families, even for the everything ranges.
        assert!(!c("0.0.0.0/0").overlaps(&c("::/0")));
        assert!(!c("::/0").contains_ip("10.0.0.1".parse().unwrap()));
    }

    #[test]
    fn prefix_zero_is_everything_and_not_private() {
        assert!(c("0.0.0.0/0").is_everything() && c("::/0").is_everything());
        assert!(!c("0.0.0.0/0").is_private() && !c("::/0").is_private());
        assert!(c("0.0.0.0/0").contains(&c("10.0.0.0/8")));
    }

    #[test]
    fn private_ranges() {
        for p in [
            "10.8.0.0/16",
            "172.31.0.0/16",
            "192.168.1.0/24",
            "100.64.0.0/10",
            "fd00:1::/64",
        ] {
            assert!(c(p).is_private(), "{p}");
        }
        for p in [
            "10.0.0.0/7",
            "172.32.0.0/16",
            "203.0.113.0/24",
            "2001:db8::/32",
            "8.8.8.8",
        ] {
            assert!(!c(p).is_private(), "{p}");
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn v4_containment_matches_the_address_arithmetic(a: u32, b: u32, pa in 0u8..=32, pb in 0u8..=32) {
                let x = Cidr::parse(&format!("{}/{pa}", std::net::Ipv4Addr::from(a))).unwrap();
                let y = Cidr::parse(&format!("{}/{pb}", std::net::Ipv4Addr::from(b))).unwrap();
                let span = |c: &Cidr| {
                    let IpAddr::V4(n) = c.network() else { unreachable!() };
                    let lo = u64::from(u32::from(n));
                    (lo, lo + (1u64 << (32 - u32::from(c.prefix()))) - 1)
                };
                let ((xl, xh), (yl, yh)) = (span(&x), span(&y));
                prop_assert_eq!(x.contains(&y), xl <= yl && yh <= xh);
                prop_assert_eq!(x.overlaps(&y), xl <= yh && yl <= xh);
                prop_assert_eq!(Cidr::parse(&x.to_string()).unwrap(), x);
            }

            #[test]
            fn v6_a_range_contains_its_subranges(a: u128, p in 0u8..=128, extra in 0u8..=128) {
                let x = Cidr::parse(&format!("{}/{p}", std::net::Ipv6Addr::from(a))).unwrap();
                let q = p.saturating_add(extra).min(128);
                let y = Cidr::parse(&format!("{}/{q}", std::net::Ipv6Addr::from(a))).unwrap();
                prop_assert!(x.contains(&y) && x.overlaps(&y) && y.overlaps(&x));
                prop_assert_eq!(y.contains(&x), p == q);
            }
        }
    }
}
