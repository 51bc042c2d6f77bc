//! The `[segmentation]` and `[[third_parties]]` settings `phiscan scan --demo` applies when
//! phiscan.toml gives none (docs/config.md says so): the segmentation and partner checks
//! judge the demo estate instead of being NOT_APPLICABLE there. A file's own sections win.
//!
//! The partner is listed on all three clouds; the demo resources that trust, share with or
//! bind it (and a stranger) sit with their services (`aws/iam.rs`, `aws/s3.rs`, ...).

use chrono::NaiveDate;
use phiscan_core::config::{Access, Organization, Segmentation, TagMatch, ThirdParty};
use phiscan_core::network::Cidr;
use phiscan_core::Config;

/// The tag keys and values the demo's resources carry.
pub const CUSTOMER_TAG: &str = "customer";
pub const BASTION_TAG: (&str, &str) = ("role", "bastion");
pub const DATA_TIER_TAG: (&str, &str) = ("tier", "data");
/// Where the demo's administrators come from (the VPN).
pub const ADMIN_CIDR: &str = "10.8.0.0/16";

/// The partner: Acme Backup Co, read-only until 2027-06-30.
pub const PARTNER_NAME: &str = "Acme Backup Co";
pub const PARTNER_AWS_ACCOUNT: &str = "210987654321";
pub const PARTNER_GCP_DOMAIN: &str = "acme-backup.example";
pub const PARTNER_AZURE_TENANT: &str = "7f3e0c52-1b8d-4f6a-9c2e-5d4b3a2f1e0d";
/// The Janus organization's own Google domain (its people and groups).
pub const GCP_ORG_DOMAIN: &str = "janus-hcp.example";
/// HealthTensor's own backup account (`demo/src/aws/mod.rs` BACKUP).
pub const OWN_BACKUP_AWS_ACCOUNT: &str = "444455556666";
/// An account on no list: sharing with or trusting it is a finding.
pub const STRANGER_AWS_ACCOUNT: &str = "999988887777";

pub fn segmentation() -> Segmentation {
    let tag = |(k, v): (&str, &str)| TagMatch {
        key: k.to_string(),
        value: Some(v.to_string()),
    };
    Segmentation {
        customer_tag: Some(CUSTOMER_TAG.to_string()),
        bastion_tag: Some(tag(BASTION_TAG)),
        data_tier_tag: Some(tag(DATA_TIER_TAG)),
        admin_cidrs: Some(vec![Cidr::parse(ADMIN_CIDR).expect("a valid range")]),
    }
}

pub fn third_parties() -> Vec<ThirdParty> {
    vec![
        ThirdParty {
            name: PARTNER_NAME.to_string(),
            aws_accounts: vec![PARTNER_AWS_ACCOUNT.to_string()],
            gcp_members: vec![format!("domain:{PARTNER_GCP_DOMAIN}")],
            azure_tenants: vec![PARTNER_AZURE_TENANT.to_string()],
            access: Access::Read,
            expires: NaiveDate::from_ymd_opt(2027, 6, 30),
        },
        // HealthTensor's own backup account receives the EHR volume's snapshots: the list
        // names every account outside the scanned one that may hold ePHI.
        ThirdParty {
            name: "HealthTensor backup account".to_string(),
            aws_accounts: vec![OWN_BACKUP_AWS_ACCOUNT.to_string()],
            gcp_members: vec![],
            azure_tenants: vec![],
            access: Access::Write,
            expires: None,
        },
    ]
}

pub fn organization() -> Organization {
    Organization {
        gcp_domains: vec![GCP_ORG_DOMAIN.to_string()],
    }
}

/// The default configuration with the demo's segmentation, partner list and organization.
pub fn config() -> Config {
    Config {
        segmentation: Some(segmentation()),
        third_parties: third_parties(),
        organization: organization(),
        ..Config::default()
    }
}

#[cfg(test)]
mod tests {
    /// fixtures/demo-phiscan.toml, the file users pass to re-evaluate a saved demo
    /// inventory, says what the demo applies.
    #[test]
    fn the_fixture_file_matches() {
        let text = include_str!("../../fixtures/demo-phiscan.toml");
        let l = phiscan_core::config_file::parse(text, "demo-phiscan.toml", &[]).unwrap();
        assert_eq!(l.segmentation(), Some(&super::segmentation()));
        assert_eq!(l.third_parties(), super::third_parties().as_slice());
        assert_eq!(l.organization(), &super::organization());
    }
}
