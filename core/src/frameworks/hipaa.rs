//! The HIPAA Security Rule (45 CFR Part 164, Subpart C) as a typed catalogue.
//!
//! Every standard and implementation specification of 164.308, 164.310, 164.312, 164.314 and
//! 164.316 is one variant of [`Hipaa`], with its citation, official name (Appendix A to
//! Subpart C), Required/Addressable status and parent standard. A test compares this table
//! with the vendored `hipaa-security-rule.csv` so names and citations cannot drift.
//!
//! Each control also says how phiscan covers it ([`Coverage`]): *tested* by checks (a test
//! fails unless at least one registered check cites it, and fails if a check cites a control
//! that is not marked tested), *inherited* from the cloud provider, or *organizational*
//! (attested by people and paper), with a one-line reason.

use serde::Serialize;

use super::ControlRef;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpecKind {
    Standard,
    Implementation,
}

/// Appendix A's R / A column; `None` for a standard met through its specifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Requirement {
    Required,
    Addressable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safeguard {
    Administrative,
    Physical,
    Technical,
    Organizational,
    Documentation,
}

/// How phiscan covers a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "reason", rename_all = "lowercase")]
pub enum Coverage {
    /// Verified by the checks that cite it.
    Tested,
    /// Met by the cloud provider (its physical safeguards, media handling), with the reason.
    Inherited(&'static str),
    /// Met by people and paper (policies, training, contracts), with the reason.
    Organizational(&'static str),
}

impl Coverage {
    pub fn label(self) -> &'static str {
        match self {
            Coverage::Tested => "tested",
            Coverage::Inherited(_) => "inherited",
            Coverage::Organizational(_) => "organizational",
        }
    }
    pub fn reason(self) -> Option<&'static str> {
        match self {
            Coverage::Tested => None,
            Coverage::Inherited(r) | Coverage::Organizational(r) => Some(r),
        }
    }
}

macro_rules! catalogue {
    ($( $(#[$doc:meta])* $v:ident = $cite:literal, $kind:ident, $name:literal, $req:expr, $sg:ident, $parent:expr, $cov:expr; )+) => {
        /// One standard or implementation specification of the Security Rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Hipaa { $( $(#[$doc])* $v, )+ }

        impl Hipaa {
            /// Every control, in the order of the regulation.
            pub const ALL: &'static [Hipaa] = &[$(Hipaa::$v),+];

            pub fn citation(self) -> &'static str { match self { $(Hipaa::$v => $cite,)+ } }
            pub fn name(self) -> &'static str { match self { $(Hipaa::$v => $name,)+ } }
            pub fn spec_kind(self) -> SpecKind { match self { $(Hipaa::$v => SpecKind::$kind,)+ } }
            pub fn requirement(self) -> Option<Requirement> { match self { $(Hipaa::$v => $req,)+ } }
            pub fn safeguard(self) -> Safeguard { match self { $(Hipaa::$v => Safeguard::$sg,)+ } }
            /// The standard an implementation specification belongs to.
            pub fn parent(self) -> Option<Hipaa> { match self { $(Hipaa::$v => $parent,)+ } }
            pub fn coverage(self) -> Coverage { match self { $(Hipaa::$v => $cov,)+ } }
        }
    };
}

use Coverage::{Inherited as Inh, Organizational as Org, Tested};
use Requirement::{Addressable as A, Required as R};

const PHYSICAL: &str =
    "the cloud provider's data centers: physical safeguards are inherited under its BAA and attested in its SOC 2 / HITRUST reports";
const MEDIA: &str =
    "storage media are owned and sanitized by the cloud provider (NIST 800-88), attested in its SOC 2 / HITRUST reports";

catalogue! {
    SecurityManagementProcess = "164.308(a)(1)", Standard, "Security management process", None, Administrative, None,
        Org("met through its implementation specifications: risk analysis and management are organizational, activity review is tested");
    RiskAnalysis = "164.308(a)(1)(ii)(A)", Implementation, "Risk analysis", Some(R), Administrative, Some(Hipaa::SecurityManagementProcess),
        Org("a documented assessment by the organization; phiscan findings are an input to it");
    RiskManagement = "164.308(a)(1)(ii)(B)", Implementation, "Risk management", Some(R), Administrative, Some(Hipaa::SecurityManagementProcess),
        Org("choosing and tracking security measures is an organizational process");
    SanctionPolicy = "164.308(a)(1)(ii)(C)", Implementation, "Sanction policy", Some(R), Administrative, Some(Hipaa::SecurityManagementProcess),
        Org("workforce sanctions are a human-resources policy");
    InformationSystemActivityReview = "164.308(a)(1)(ii)(D)", Implementation, "Information system activity review", Some(R), Administrative, Some(Hipaa::SecurityManagementProcess),
        Tested;
    AssignedSecurityResponsibility = "164.308(a)(2)", Standard, "Assigned security responsibility", Some(R), Administrative, None,
        Org("naming a security official is an organizational act");
    WorkforceSecurity = "164.308(a)(3)", Standard, "Workforce security", None, Administrative, None,
        Org("met through its implementation specifications, all organizational");
    AuthorizationSupervision = "164.308(a)(3)(ii)(A)", Implementation, "Authorization and/or supervision", Some(A), Administrative, Some(Hipaa::WorkforceSecurity),
        Org("supervision of workforce members is an organizational procedure");
    WorkforceClearance = "164.308(a)(3)(ii)(B)", Implementation, "Workforce clearance procedure", Some(A), Administrative, Some(Hipaa::WorkforceSecurity),
        Org("background checks and clearance are organizational procedures");
    TerminationProcedures = "164.308(a)(3)(ii)(C)", Implementation, "Termination procedures", Some(A), Administrative, Some(Hipaa::WorkforceSecurity),
        Org("off-boarding is an organizational procedure");
    InformationAccessManagement = "164.308(a)(4)", Standard, "Information access management", None, Administrative, None,
        Org("met through its implementation specifications; access authorization is tested");
    IsolatingClearinghouse = "164.308(a)(4)(ii)(A)", Implementation, "Isolating health care clearinghouse functions", Some(R), Administrative, Some(Hipaa::InformationAccessManagement),
        Org("applies to clearinghouses inside larger organizations: an organizational arrangement");
    AccessAuthorization = "164.308(a)(4)(ii)(B)", Implementation, "Access authorization", Some(A), Administrative, Some(Hipaa::InformationAccessManagement),
        Tested;
    AccessEstablishmentModification = "164.308(a)(4)(ii)(C)", Implementation, "Access establishment and modification", Some(A), Administrative, Some(Hipaa::InformationAccessManagement),
        Org("granting and reviewing a person's access is an organizational procedure");
    SecurityAwarenessTraining = "164.308(a)(5)", Standard, "Security awareness and training", None, Administrative, None,
        Org("met through its implementation specifications; log-in monitoring is tested");
    SecurityReminders = "164.308(a)(5)(ii)(A)", Implementation, "Security reminders", Some(A), Administrative, Some(Hipaa::SecurityAwarenessTraining),
        Org("training and reminders are delivered to people");
    MaliciousSoftwareProtection = "164.308(a)(5)(ii)(B)", Implementation, "Protection from malicious software", Some(A), Administrative, Some(Hipaa::SecurityAwarenessTraining),
        Org("anti-malware procedures and workforce training are organizational");
    LoginMonitoring = "164.308(a)(5)(ii)(C)", Implementation, "Log-in monitoring", Some(A), Administrative, Some(Hipaa::SecurityAwarenessTraining),
        Tested;
    PasswordManagement = "164.308(a)(5)(ii)(D)", Implementation, "Password management", Some(A), Administrative, Some(Hipaa::SecurityAwarenessTraining),
        Tested;
    SecurityIncidentProcedures = "164.308(a)(6)", Standard, "Security incident procedures", None, Administrative, None,
        Org("met through its implementation specification, organizational");
    ResponseReporting = "164.308(a)(6)(ii)", Implementation, "Response and reporting", Some(R), Administrative, Some(Hipaa::SecurityIncidentProcedures),
        Org("incident response is carried out by people under a written procedure");
    ContingencyPlan = "164.308(a)(7)", Standard, "Contingency plan", None, Administrative, None,
        Org("met through its implementation specifications; the data backup plan is tested");
    DataBackupPlan = "164.308(a)(7)(ii)(A)", Implementation, "Data backup plan", Some(R), Administrative, Some(Hipaa::ContingencyPlan),
        Tested;
    DisasterRecoveryPlan = "164.308(a)(7)(ii)(B)", Implementation, "Disaster recovery plan", Some(R), Administrative, Some(Hipaa::ContingencyPlan),
        Tested;
    EmergencyModeOperationPlan = "164.308(a)(7)(ii)(C)", Implementation, "Emergency mode operation plan", Some(R), Administrative, Some(Hipaa::ContingencyPlan),
        Org("a written plan for operating in emergency mode");
    TestingRevisionProcedures = "164.308(a)(7)(ii)(D)", Implementation, "Testing and revision procedures", Some(A), Administrative, Some(Hipaa::ContingencyPlan),
        Org("restore tests and plan revisions are performed and recorded by people");
    CriticalityAnalysis = "164.308(a)(7)(ii)(E)", Implementation, "Applications and data criticality analysis", Some(A), Administrative, Some(Hipaa::ContingencyPlan),
        Org("a documented analysis by the organization");
    Evaluation = "164.308(a)(8)", Standard, "Evaluation", Some(R), Administrative, None,
        Org("the periodic technical and nontechnical evaluation is the organization's; a phiscan run is evidence for it");
    BusinessAssociateContracts = "164.308(b)(1)", Standard, "Business associate contracts and other arrangements", None, Administrative, None,
        Org("business associate agreements are contracts");
    WrittenContract = "164.308(b)(3)", Implementation, "Written contract or other arrangement", Some(R), Administrative, Some(Hipaa::BusinessAssociateContracts),
        Org("business associate agreements are contracts");
    FacilityAccessControls = "164.310(a)(1)", Standard, "Facility access controls", None, Physical, None,
        Inh(PHYSICAL);
    ContingencyOperations = "164.310(a)(2)(i)", Implementation, "Contingency operations", Some(A), Physical, Some(Hipaa::FacilityAccessControls),
        Inh(PHYSICAL);
    FacilitySecurityPlan = "164.310(a)(2)(ii)", Implementation, "Facility security plan", Some(A), Physical, Some(Hipaa::FacilityAccessControls),
        Inh(PHYSICAL);
    AccessControlValidation = "164.310(a)(2)(iii)", Implementation, "Access control and validation procedures", Some(A), Physical, Some(Hipaa::FacilityAccessControls),
        Inh(PHYSICAL);
    MaintenanceRecords = "164.310(a)(2)(iv)", Implementation, "Maintenance records", Some(A), Physical, Some(Hipaa::FacilityAccessControls),
        Inh(PHYSICAL);
    WorkstationUse = "164.310(b)", Standard, "Workstation use", Some(R), Physical, None,
        Org("the workforce's own workstations are governed by the organization's policy, not by the cloud estate");
    WorkstationSecurity = "164.310(c)", Standard, "Workstation security", Some(R), Physical, None,
        Org("physical safeguards of the workforce's own workstations are organizational");
    DeviceMediaControls = "164.310(d)(1)", Standard, "Device and media controls", None, Physical, None,
        Inh(MEDIA);
    Disposal = "164.310(d)(2)(i)", Implementation, "Disposal", Some(R), Physical, Some(Hipaa::DeviceMediaControls),
        Inh(MEDIA);
    MediaReuse = "164.310(d)(2)(ii)", Implementation, "Media re-use", Some(R), Physical, Some(Hipaa::DeviceMediaControls),
        Inh(MEDIA);
    Accountability = "164.310(d)(2)(iii)", Implementation, "Accountability", Some(A), Physical, Some(Hipaa::DeviceMediaControls),
        Inh(MEDIA);
    DataBackupStorage = "164.310(d)(2)(iv)", Implementation, "Data backup and storage", Some(A), Physical, Some(Hipaa::DeviceMediaControls),
        Inh("moving hardware is the cloud provider's; data is replicated before equipment moves, attested in its SOC 2 / HITRUST reports");
    AccessControl = "164.312(a)(1)", Standard, "Access control", None, Technical, None,
        Tested;
    UniqueUserIdentification = "164.312(a)(2)(i)", Implementation, "Unique user identification", Some(R), Technical, Some(Hipaa::AccessControl),
        Org("assigning a unique identity to each person happens in the organization's identity provider");
    EmergencyAccessProcedure = "164.312(a)(2)(ii)", Implementation, "Emergency access procedure", Some(R), Technical, Some(Hipaa::AccessControl),
        Org("break-glass procedures are written and exercised by people");
    AutomaticLogoff = "164.312(a)(2)(iii)", Implementation, "Automatic logoff", Some(A), Technical, Some(Hipaa::AccessControl),
        Org("session timeouts live in the applications and identity provider, not in the cloud resource configuration");
    EncryptionDecryption = "164.312(a)(2)(iv)", Implementation, "Encryption and decryption", Some(A), Technical, Some(Hipaa::AccessControl),
        Tested;
    AuditControls = "164.312(b)", Standard, "Audit controls", Some(R), Technical, None,
        Tested;
    Integrity = "164.312(c)(1)", Standard, "Integrity", None, Technical, None,
        Tested;
    IntegrityAuthentication = "164.312(c)(2)", Implementation, "Mechanism to authenticate electronic protected health information", Some(A), Technical, Some(Hipaa::Integrity),
        Tested;
    PersonEntityAuthentication = "164.312(d)", Standard, "Person or entity authentication", Some(R), Technical, None,
        Tested;
    TransmissionSecurity = "164.312(e)(1)", Standard, "Transmission security", None, Technical, None,
        Tested;
    TransmissionIntegrityControls = "164.312(e)(2)(i)", Implementation, "Integrity controls", Some(A), Technical, Some(Hipaa::TransmissionSecurity),
        Tested;
    TransmissionEncryption = "164.312(e)(2)(ii)", Implementation, "Encryption", Some(A), Technical, Some(Hipaa::TransmissionSecurity),
        Tested;
    BusinessAssociateContractsOrArrangements = "164.314(a)(1)", Standard, "Business associate contracts or other arrangements", None, Organizational, None,
        Org("business associate agreements are contracts");
    BusinessAssociateContractTerms = "164.314(a)(2)(i)", Implementation, "Business associate contracts", Some(R), Organizational, Some(Hipaa::BusinessAssociateContractsOrArrangements),
        Org("the content of business associate contracts is a legal matter");
    OtherArrangements = "164.314(a)(2)(ii)", Implementation, "Other arrangements", Some(R), Organizational, Some(Hipaa::BusinessAssociateContractsOrArrangements),
        Org("memoranda of understanding between government entities are legal instruments");
    SubcontractorContracts = "164.314(a)(2)(iii)", Implementation, "Business associate contracts with subcontractors", Some(R), Organizational, Some(Hipaa::BusinessAssociateContractsOrArrangements),
        Org("subcontractor agreements are contracts");
    GroupHealthPlans = "164.314(b)(1)", Standard, "Requirements for group health plans", None, Organizational, None,
        Org("plan documents of group health plans are legal instruments");
    GroupHealthPlanSpecifications = "164.314(b)(2)", Implementation, "Group health plan implementation specifications", Some(R), Organizational, Some(Hipaa::GroupHealthPlans),
        Org("plan documents of group health plans are legal instruments");
    PoliciesProcedures = "164.316(a)", Standard, "Policies and procedures", Some(R), Documentation, None,
        Org("written policies are the organization's; phiscan policy profiles verify their technical promises");
    Documentation = "164.316(b)(1)", Standard, "Documentation", Some(R), Documentation, None,
        Org("keeping documentation is organizational; evidence bundles are part of it");
    TimeLimit = "164.316(b)(2)(i)", Implementation, "Time limit", Some(R), Documentation, Some(Hipaa::Documentation),
        Org("six-year retention of documentation is an organizational records process");
    Availability = "164.316(b)(2)(ii)", Implementation, "Availability", Some(R), Documentation, Some(Hipaa::Documentation),
        Org("making documentation available to the workforce is organizational");
    Updates = "164.316(b)(2)(iii)", Implementation, "Updates", Some(R), Documentation, Some(Hipaa::Documentation),
        Org("periodic review of documentation is organizational");
}

impl Hipaa {
    pub const FRAMEWORK: &'static str = "hipaa";

    pub fn control_ref(self) -> ControlRef {
        ControlRef {
            framework: Self::FRAMEWORK,
            id: self.citation(),
            name: self.name(),
        }
    }

    /// Look a control up by its citation, e.g. `164.312(a)(2)(iv)`.
    pub fn from_citation(citation: &str) -> Option<Hipaa> {
        let wanted = citation.trim();
        let wanted = wanted.strip_prefix("45 CFR ").unwrap_or(wanted);
        Hipaa::ALL.iter().copied().find(|c| c.citation() == wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Rust table must say exactly what the vendored Appendix A matrix says.
    #[test]
    fn catalogue_matches_the_security_rule_matrix() {
        let csv = include_str!("hipaa-security-rule.csv");
        let mut rows = csv.lines().skip(1).filter(|l| !l.trim().is_empty());
        for control in Hipaa::ALL {
            let line = rows
                .next()
                .unwrap_or_else(|| panic!("CSV ends before {control:?}"));
            let cols: Vec<&str> = line.split(',').collect();
            assert_eq!(cols.len(), 6, "bad CSV line {line}");
            assert_eq!(cols[0], control.citation(), "{control:?}");
            let kind = match control.spec_kind() {
                SpecKind::Standard => "standard",
                SpecKind::Implementation => "implementation",
            };
            assert_eq!(cols[1], kind, "{control:?}");
            assert_eq!(cols[2], control.name(), "{control:?}");
            let req = match control.requirement() {
                Some(Requirement::Required) => "required",
                Some(Requirement::Addressable) => "addressable",
                None => "",
            };
            assert_eq!(cols[3], req, "{control:?}");
            let sg = serde_json::to_value(control.safeguard()).unwrap();
            assert_eq!(cols[4], sg.as_str().unwrap(), "{control:?}");
            assert_eq!(
                cols[5],
                control.parent().map(|p| p.citation()).unwrap_or(""),
                "{control:?}"
            );
        }
        assert_eq!(rows.next(), None, "CSV has controls the catalogue lacks");
    }

    #[test]
    fn non_tested_controls_give_a_reason() {
        for c in Hipaa::ALL {
            if let Some(r) = c.coverage().reason() {
                assert!(r.len() > 20, "{c:?} has a thin reason");
            }
        }
    }

    #[test]
    fn lookup_by_citation() {
        assert_eq!(
            Hipaa::from_citation("45 CFR 164.312(a)(2)(iv)"),
            Some(Hipaa::EncryptionDecryption)
        );
        assert_eq!(Hipaa::from_citation("164.999"), None);
    }
}
