//! Rule reachability, shared by the segmentation checks of every cloud (security groups,
//! GCP firewall rules, Azure NSG rules): which watched ports a rule admits given its
//! protocol and port range, and where an address-range source sits relative to the
//! network the protected resource lives in. Group references (AWS security groups, Azure
//! application security groups, GCP tags and service accounts) are the caller's: each cloud
//! names them differently, but all of them end up here for ports and ranges.

use phiscan_core::network::{ports, Cidr};

use crate::common::PortRange;

/// A rule's protocol, as the clouds spell it (`tcp`, `6`, `-1`, `all`, `*`, `Tcp`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Every protocol and port (`-1`, `all`, `*`, `any`).
    All,
    Tcp,
    Udp,
    /// ICMP and anything else without ports: admits no database or admin port.
    Portless,
}

impl Protocol {
    pub fn parse(s: &str) -> Protocol {
        match s.trim().to_ascii_lowercase().as_str() {
            "-1" | "all" | "*" | "any" => Protocol::All,
            "tcp" | "6" => Protocol::Tcp,
            "udp" | "17" => Protocol::Udp,
            _ => Protocol::Portless,
        }
    }
}

/// The ports of `watched` a rule of `protocol` over `range` admits: every watched port for
/// all-traffic rules (whatever range they carry), none for port-less protocols.
pub fn admitted(protocol: Protocol, range: PortRange, watched: &[u16]) -> Vec<u16> {
    match protocol {
        Protocol::All => watched.to_vec(),
        Protocol::Tcp | Protocol::Udp => crate::common::opened(range, watched),
        Protocol::Portless => Vec::new(),
    }
}

/// Where an address-range source sits relative to the protected resource's network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangePlace {
    /// `0.0.0.0/0`, `::/0`: the internet.
    Everything,
    /// Public addresses.
    Public,
    /// Private addresses, but (partly) outside the network: another VPC, an on-premises
    /// range, a peer.
    PrivateOutside,
    /// Private addresses inside one of the network's own ranges.
    PrivateInside,
    /// Not an address range phiscan can read: never assumed harmless.
    Unreadable,
}

impl RangePlace {
    pub fn describe(self) -> &'static str {
        match self {
            RangePlace::Everything => "the whole internet",
            RangePlace::Public => "public addresses",
            RangePlace::PrivateOutside => "private addresses outside the network",
            RangePlace::PrivateInside => "private addresses inside the network",
            RangePlace::Unreadable => "an address range phiscan cannot read",
        }
    }
}

/// Place `source` relative to `network` (the VPC's / VNet's / subnet's own ranges).
pub fn place(source: &str, network: &[Cidr]) -> RangePlace {
    let Ok(c) = Cidr::parse(source) else {
        return RangePlace::Unreadable;
    };
    if c.is_everything() {
        RangePlace::Everything
    } else if !c.is_private() {
        RangePlace::Public
    } else if network.iter().any(|n| n.contains(&c)) {
        RangePlace::PrivateInside
    } else {
        RangePlace::PrivateOutside
    }
}

/// Whether `source` lies wholly inside one of `allowed` (e.g. `segmentation.admin_cidrs`).
pub fn within(source: &str, allowed: &[Cidr]) -> bool {
    Cidr::parse(source).is_ok_and(|c| allowed.iter().any(|a| a.contains(&c)))
}

/// `5432 (PostgreSQL), 22 (SSH)`: ports with what usually listens there, for reasons.
pub fn describe_ports(ports: &[u16]) -> String {
    ports
        .iter()
        .map(|p| match ports::service(*p) {
            Some(s) => format!("{p} ({s})"),
            None => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cidrs(list: &[&str]) -> Vec<Cidr> {
        list.iter().map(|c| Cidr::parse(c).unwrap()).collect()
    }

    #[test]
    fn protocols_as_the_clouds_spell_them() {
        for all in ["-1", "all", "*", "Any"] {
            assert_eq!(Protocol::parse(all), Protocol::All, "{all}");
        }
        assert_eq!(Protocol::parse("Tcp"), Protocol::Tcp);
        assert_eq!(Protocol::parse("6"), Protocol::Tcp);
        assert_eq!(Protocol::parse("17"), Protocol::Udp);
        assert_eq!(Protocol::parse("icmp"), Protocol::Portless);
        assert_eq!(Protocol::parse("58"), Protocol::Portless);
    }

    #[test]
    fn all_traffic_admits_every_watched_port_whatever_its_range() {
        let w = [22, 5432, 26257];
        let narrow = PortRange { from: 80, to: 80 };
        assert_eq!(admitted(Protocol::All, narrow, &w), w.to_vec());
        assert_eq!(admitted(Protocol::Tcp, narrow, &w), Vec::<u16>::new());
        assert_eq!(
            admitted(Protocol::Portless, PortRange::ALL, &w),
            Vec::<u16>::new()
        );
        // A port range that straddles watched ports admits exactly those inside it.
        let r = PortRange {
            from: 5000,
            to: 27000,
        };
        assert_eq!(admitted(Protocol::Udp, r, &w), vec![5432, 26257]);
        assert_eq!(
            admitted(
                Protocol::Tcp,
                PortRange {
                    from: 5432,
                    to: 5432
                },
                &w
            ),
            vec![5432]
        );
    }

    #[test]
    fn ranges_are_placed_relative_to_the_network() {
        let vpc = cidrs(&["10.0.0.0/16", "fd00:1::/48"]);
        assert_eq!(place("0.0.0.0/0", &vpc), RangePlace::Everything);
        assert_eq!(place("::/0", &vpc), RangePlace::Everything);
        assert_eq!(place("203.0.113.7/32", &vpc), RangePlace::Public);
        assert_eq!(place("10.0.3.0/24", &vpc), RangePlace::PrivateInside);
        assert_eq!(place("fd00:1:0:5::/64", &vpc), RangePlace::PrivateInside);
        // Overlapping but wider than the VPC: partly outside.
        assert_eq!(place("10.0.0.0/8", &vpc), RangePlace::PrivateOutside);
        assert_eq!(place("10.1.0.0/16", &vpc), RangePlace::PrivateOutside);
        assert_eq!(place("fd00:2::/48", &vpc), RangePlace::PrivateOutside);
        assert_eq!(place("sg-123", &vpc), RangePlace::Unreadable);
        assert_eq!(place("10.0.3.0/24", &[]), RangePlace::PrivateOutside);
    }

    #[test]
    fn within_admin_ranges() {
        let admin = cidrs(&["10.8.0.0/16"]);
        assert!(within("10.8.4.0/24", &admin));
        assert!(within("10.8.0.0/16", &admin));
        assert!(!within("10.0.0.0/8", &admin));
        assert!(!within("0.0.0.0/0", &admin));
        assert!(!within("junk", &admin));
        assert_eq!(describe_ports(&[5432, 1]), "5432 (PostgreSQL), 1");
    }
}
