//! The HIPAA Security Rule as HHS **proposed** to revise it: "HIPAA Security Rule To
//! Strengthen the Cybersecurity of Electronic Protected Health Information", notice of
//! proposed rulemaking, 90 FR 898 (January 6, 2025), RIN 0945-AA22. It is a proposal, not
//! law: the rule in force is the one in [`super::hipaa`]. phiscan carries it so an
//! organization can see how ready its estate is for what the proposal would require.
//!
//! The proposal removes "addressable" (every specification becomes required), requires
//! encryption of ePHI at rest and in transit and multi-factor authentication, a technology
//! asset inventory and network map, network segmentation, and restoring critical systems
//! within 72 hours. Its technical safeguards (proposed 164.312) become ten standards.
//!
//! Requirements are listed at the level of the proposed standards, with the paragraph
//! designations of the NPRM's proposed regulatory text. Checks are not re-cited by hand: each
//! current-rule control a check cites maps to the proposed requirements that take it over
//! ([`Nprm2025::from_current`]), so a new check is placed in both catalogues at once.

use serde::{Deserialize, Serialize};

use super::hipaa::{Coverage, Hipaa};
use super::ControlRef;

/// The document, as reports and `phiscan controls` cite it.
pub const CITATION: &str = "HHS Office for Civil Rights, \"HIPAA Security Rule To Strengthen the Cybersecurity of Electronic Protected Health Information\", notice of proposed rulemaking, 90 FR 898 (2025-01-06), RIN 0945-AA22";
/// Said wherever the catalogue is shown.
pub const STATUS: &str = "PROPOSED RULE, NOT IN FORCE: readiness against a proposal that may change before (or if) it becomes final. The Security Rule in force is --framework hipaa.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProposedSafeguard {
    Administrative,
    Technical,
}

macro_rules! proposed {
    ($( $v:ident = $cite:literal, $sg:ident, $name:literal, $summary:literal, $cov:expr; )+) => {
        /// One proposed standard.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Nprm2025 { $( $v, )+ }

        impl Nprm2025 {
            pub const ALL: &'static [Nprm2025] = &[$(Nprm2025::$v),+];
            /// Paragraph of the proposed regulatory text, e.g. `164.312(b)`.
            pub fn citation(self) -> &'static str { match self { $(Nprm2025::$v => $cite,)+ } }
            pub fn name(self) -> &'static str { match self { $(Nprm2025::$v => $name,)+ } }
            /// What the proposal would require, in one sentence (our words, not the text's).
            pub fn summary(self) -> &'static str { match self { $(Nprm2025::$v => $summary,)+ } }
            pub fn safeguard(self) -> ProposedSafeguard { match self { $(Nprm2025::$v => ProposedSafeguard::$sg,)+ } }
            pub fn coverage(self) -> Coverage { match self { $(Nprm2025::$v => $cov,)+ } }
        }
    };
}

use Coverage::{Organizational as Org, Tested};

proposed! {
    TechnologyAssetInventory = "164.308(a)(1)", Administrative, "Technology asset inventory",
        "A written inventory and network map of every technology asset that may affect ePHI, reviewed at least every 12 months.",
        Org("a written inventory and network map kept by the organization; a phiscan inventory (--save-inventory) lists the cloud part of it");
    RiskAnalysis = "164.308(a)(2)", Administrative, "Risk analysis",
        "A written risk analysis built on the asset inventory, reviewed at least every 12 months.",
        Org("a documented assessment by the organization; phiscan findings are an input to it");
    InformationSystemActivityReview = "164.308(a)(7)", Administrative, "Information system activity review",
        "Regularly review records of activity in information systems: audit logs, access reports, security incident tracking.",
        Tested;
    InformationAccessManagement = "164.308(a)(10)", Administrative, "Information access management",
        "Authorize access to ePHI and systems on the minimum necessary, and review it.",
        Tested;
    ContingencyPlan = "164.308(a)(13)", Administrative, "Contingency plan",
        "Backup, disaster recovery and emergency operation plans, including restoring critical systems and data within 72 hours.",
        Tested;
    AccessControl = "164.312(a)", Technical, "Access control",
        "Technical controls that allow access only to users and technology assets granted it, including network segmentation.",
        Tested;
    EncryptionDecryption = "164.312(b)", Technical, "Encryption and decryption",
        "Encrypt all ePHI at rest and in transit, with narrow exceptions.",
        Tested;
    ConfigurationManagement = "164.312(c)", Technical, "Configuration management",
        "A secure, consistent baseline configuration of systems: anti-malware, unused software and ports removed or disabled.",
        Org("the baseline and the change process are the organization's; phiscan checks the specific settings that the other requirements name");
    AuditTrailSystemLogs = "164.312(d)", Technical, "Audit trail and system log controls",
        "Record and retain activity in systems that contain ePHI, and monitor the records for suspicious activity.",
        Tested;
    Authentication = "164.312(e)", Technical, "Authentication",
        "Verify identities, with multi-factor authentication for access to systems that hold ePHI, with limited exceptions.",
        Tested;
    Integrity = "164.312(f)", Technical, "Integrity",
        "Protect ePHI from improper alteration or destruction, and verify it has not been altered.",
        Tested;
    TransmissionSecurity = "164.312(g)", Technical, "Transmission security",
        "Guard ePHI transmitted over networks against unauthorized access and alteration.",
        Tested;
    VulnerabilityManagement = "164.312(h)", Technical, "Vulnerability management",
        "Vulnerability scanning at least every six months and penetration testing at least every 12 months; patch in defined time frames.",
        Org("host vulnerability scans and penetration tests are outside what cloud control-plane APIs show");
    DataBackupRecovery = "164.312(i)", Technical, "Data backup and recovery",
        "Back up ePHI so that it can be restored, protect the backups, and test that restores work.",
        Tested;
    InformationSystemsBackupRecovery = "164.312(j)", Technical, "Information systems backup and recovery",
        "Back up and be able to restore the information systems themselves, not only their data.",
        Tested;
}

impl Nprm2025 {
    pub const FRAMEWORK: &'static str = "hipaa-nprm-2025";

    pub fn control_ref(self) -> ControlRef {
        ControlRef {
            framework: Self::FRAMEWORK,
            id: self.citation(),
            name: self.name(),
        }
    }

    /// The proposed requirements that take over a control of the rule in force. Empty for the
    /// controls phiscan does not test (physical, organizational, documentation).
    pub fn from_current(control: Hipaa) -> &'static [Nprm2025] {
        use Nprm2025 as N;
        match control {
            Hipaa::InformationSystemActivityReview => &[N::InformationSystemActivityReview],
            Hipaa::AccessAuthorization => &[N::InformationAccessManagement],
            Hipaa::LoginMonitoring => &[N::AuditTrailSystemLogs],
            Hipaa::DataBackupPlan => &[N::DataBackupRecovery, N::ContingencyPlan],
            Hipaa::DisasterRecoveryPlan => {
                &[N::InformationSystemsBackupRecovery, N::ContingencyPlan]
            }
            Hipaa::AccessControl => &[N::AccessControl],
            Hipaa::EncryptionDecryption => &[N::EncryptionDecryption],
            Hipaa::AuditControls => &[N::AuditTrailSystemLogs],
            Hipaa::Integrity | Hipaa::IntegrityAuthentication => &[N::Integrity],
            // Password rules are part of how identities are verified.
            Hipaa::PersonEntityAuthentication | Hipaa::PasswordManagement => &[N::Authentication],
            Hipaa::TransmissionSecurity | Hipaa::TransmissionIntegrityControls => {
                &[N::TransmissionSecurity]
            }
            // The proposal moves encryption in transit under the one encryption standard.
            Hipaa::TransmissionEncryption => &[N::EncryptionDecryption, N::TransmissionSecurity],
            _ => &[],
        }
    }

    /// The proposed requirements a check's current-rule controls map to, deduplicated, in
    /// catalogue order.
    pub fn for_controls(controls: &[Hipaa]) -> Vec<Nprm2025> {
        let mut out: Vec<Nprm2025> = controls
            .iter()
            .flat_map(|c| Self::from_current(*c).iter().copied())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// The control catalogues phiscan can report against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Framework {
    /// The Security Rule in force (45 CFR Part 164 Subpart C).
    #[default]
    #[serde(rename = "hipaa")]
    Hipaa,
    /// The 2025 proposed revision, for readiness.
    #[serde(rename = "hipaa-nprm-2025")]
    HipaaNprm2025,
}

impl Framework {
    pub const ALL: &'static [Framework] = &[Framework::Hipaa, Framework::HipaaNprm2025];

    /// The rule in force only (serialization skips the field then).
    pub fn is_current(&self) -> bool {
        *self == Framework::Hipaa
    }

    pub fn id(self) -> &'static str {
        match self {
            Framework::Hipaa => Hipaa::FRAMEWORK,
            Framework::HipaaNprm2025 => Nprm2025::FRAMEWORK,
        }
    }

    pub fn parse(s: &str) -> Result<Framework, String> {
        Framework::ALL
            .iter()
            .copied()
            .find(|f| f.id() == s)
            .ok_or_else(|| {
                format!(
                    "unknown framework {s:?}; known: {}",
                    Framework::ALL
                        .iter()
                        .map(|f| f.id())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every control of the rule in force that checks test keeps a home in the proposal, so
    /// no check falls out of the readiness view.
    #[test]
    fn every_tested_current_control_maps_to_the_proposal() {
        for c in Hipaa::ALL {
            if c.coverage() == Coverage::Tested {
                assert!(!Nprm2025::from_current(*c).is_empty(), "{c:?} maps nowhere");
            } else {
                assert!(
                    Nprm2025::from_current(*c).is_empty(),
                    "{c:?} is not tested but maps into the proposal"
                );
            }
        }
    }

    /// A proposed requirement is `tested` exactly when some tested current control maps to it.
    #[test]
    fn tested_requirements_are_reached_by_the_mapping() {
        for n in Nprm2025::ALL {
            let reached = Hipaa::ALL
                .iter()
                .any(|c| Nprm2025::from_current(*c).contains(n));
            assert_eq!(
                reached,
                n.coverage() == Coverage::Tested,
                "{n:?}: coverage {:?} but reached by the mapping: {reached}",
                n.coverage()
            );
        }
    }

    #[test]
    fn citations_are_unique_and_in_order() {
        let cites: Vec<&str> = Nprm2025::ALL.iter().map(|n| n.citation()).collect();
        let mut sorted = cites.clone();
        sorted.sort_by_key(|c| {
            // 164.308(a)(13) after (a)(2): compare the numbers inside the parentheses.
            let parts: Vec<String> = c
                .split(['(', ')'])
                .filter(|p| !p.is_empty())
                .map(|p| format!("{p:>4}"))
                .collect();
            parts.join("")
        });
        assert_eq!(cites, sorted, "catalogue out of regulation order");
        sorted.dedup();
        assert_eq!(sorted.len(), cites.len(), "duplicate citation");
    }

    #[test]
    fn framework_ids_parse_and_unknown_ones_are_named() {
        assert_eq!(
            Framework::parse("hipaa-nprm-2025"),
            Ok(Framework::HipaaNprm2025)
        );
        assert_eq!(Framework::parse("hipaa"), Ok(Framework::Hipaa));
        let e = Framework::parse("hipaa-2026").unwrap_err();
        assert!(
            e.contains("hipaa-2026") && e.contains("hipaa-nprm-2025"),
            "{e}"
        );
    }
}
