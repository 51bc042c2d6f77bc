use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::ProjectAuditConfig;

declare_check! {
    /// ## What it checks
    /// Every project's IAM policy turns on Data Access audit logs for all services: an
    /// `auditConfigs` entry for `allServices` with the log types `ADMIN_READ`, `DATA_READ`
    /// and `DATA_WRITE`, none of them with `exemptedMembers`. A missing type FAILs, and so
    /// does an exempted member (an exempted service account's reads of ePHI leave no
    /// record). Per-service entries (`storage.googleapis.com`, ...) do not make up for
    /// `allServices`: they are evidence only.
    ///
    /// phiscan reads the project's own policy (`projects.getIamPolicy`). Audit configs set on
    /// a folder or the organization also apply to the project but are not in that policy:
    /// if yours live there, waive this check per project with that reason.
    ///
    /// ## Why it matters
    /// Admin Activity logs are always on, but reads and writes of data (a Cloud SQL export,
    /// an object download, a KMS decrypt) are only recorded when Data Access logs are
    /// enabled. Without them nobody can say who read which ePHI (audit controls, 45 CFR
    /// 164.312(b); information system activity review, 164.308(a)(1)(ii)(D); log-in
    /// monitoring, 164.308(a)(5)(ii)(C)).
    ///
    /// ## Evidence
    /// `all_services_log_types`, `missing_log_types`, `exempted_members` (per log type),
    /// and `services` (every service with an audit config).
    ///
    /// ## Remediation
    /// In the console: IAM & Admin > Audit Logs, select "Default configuration" and check
    /// Admin Read, Data Read and Data Write, with no exempted principals. Or add to the
    /// policy (`gcloud projects get-iam-policy <p> > policy.yaml`, edit,
    /// `gcloud projects set-iam-policy <p> policy.yaml`): `auditConfigs: [{service:
    /// allServices, auditLogConfigs: [{logType: ADMIN_READ}, {logType: DATA_READ},
    /// {logType: DATA_WRITE}]}]`. Mind the log volume and its cost.
    pub struct ProjectDataAccessAuditLogs {
        id: "gcp-project-data-access-audit-logs",
        title: "Projects record Data Access audit logs for all services",
        severity: High,
        provider: Gcp,
        kinds: [GcpProjectAuditConfig],
        controls: [AuditControls, InformationSystemActivityReview, LoginMonitoring],
    }
}

const REQUIRED: [&str; 3] = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"];

impl Check for ProjectDataAccessAuditLogs {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<ProjectAuditConfig>()
            .iter()
            .map(|p| {
                let all: Vec<_> = p
                    .audit_configs
                    .iter()
                    .filter(|c| c.service == "allServices")
                    .flat_map(|c| c.log_configs.iter())
                    .collect();
                let mut types: Vec<&str> = all.iter().map(|l| l.log_type.as_str()).collect();
                types.sort_unstable();
                types.dedup();
                let missing: Vec<&str> = REQUIRED
                    .iter()
                    .copied()
                    .filter(|t| !types.contains(t))
                    .collect();
                let exempted: std::collections::BTreeMap<&str, Vec<&String>> = all
                    .iter()
                    .filter(|l| !l.exempted_members.is_empty())
                    .fold(Default::default(), |mut m, l| {
                        m.entry(l.log_type.as_str())
                            .or_default()
                            .extend(l.exempted_members.iter());
                        m
                    });
                let services: Vec<&str> = p.audit_configs.iter().map(|c| c.service.as_str()).collect();
                let mut problems = Vec::new();
                if types.is_empty() {
                    problems.push("the project's policy has no audit config for allServices".to_string());
                } else if !missing.is_empty() {
                    problems.push(format!("allServices lacks {}", missing.join(", ")));
                }
                if !exempted.is_empty() {
                    let list = exempted
                        .iter()
                        .map(|(t, m)| format!("{t}: {}", m.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")))
                        .collect::<Vec<_>>()
                        .join("; ");
                    problems.push(format!("members are exempted ({list})"));
                }
                let builder = if problems.is_empty() {
                    ctx.pass(&p.resource).reason(
                        "Data Access audit logs (ADMIN_READ, DATA_READ, DATA_WRITE) are on for all services, with no exempted members.",
                    )
                } else {
                    ctx.fail(&p.resource).reason(format!(
                        "Data Access audit logs are not fully on: {}.",
                        problems.join("; ")
                    ))
                };
                builder
                    .evidence("all_services_log_types", &types)
                    .evidence("missing_log_types", &missing)
                    .evidence("exempted_members", &exempted)
                    .evidence("services", &services)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::project_audit_config;
    use crate::testing::run;
    use phiscan_core::model::gcp::{AuditConfig, AuditLogConfig};
    use phiscan_core::{Inventory, Status};

    fn config(service: &str, types: &[(&str, &[&str])]) -> AuditConfig {
        AuditConfig {
            service: service.into(),
            log_configs: types
                .iter()
                .map(|(t, ex)| AuditLogConfig {
                    log_type: t.to_string(),
                    exempted_members: ex.iter().map(|m| m.to_string()).collect(),
                })
                .collect(),
        }
    }

    fn with(id: &str, configs: Vec<AuditConfig>) -> ProjectAuditConfig {
        ProjectAuditConfig {
            audit_configs: configs,
            ..project_audit_config(id)
        }
    }

    #[test]
    fn all_services_need_every_data_access_type_without_exemptions() {
        let full: &[(&str, &[&str])] =
            &[("ADMIN_READ", &[]), ("DATA_READ", &[]), ("DATA_WRITE", &[])];
        let mut inv = Inventory::new();
        inv.gcp_project_audit_configs = vec![
            with("complete", vec![config("allServices", full)]),
            with("none", vec![]),
            with("storage-only", vec![config("storage.googleapis.com", full)]),
            with(
                "no-write",
                vec![config(
                    "allServices",
                    &[("ADMIN_READ", &[]), ("DATA_READ", &[])],
                )],
            ),
            with(
                "exempted",
                vec![config(
                    "allServices",
                    &[
                        ("ADMIN_READ", &[]),
                        (
                            "DATA_READ",
                            &["serviceAccount:etl@proj-1.iam.gserviceaccount.com"],
                        ),
                        ("DATA_WRITE", &[]),
                    ],
                )],
            ),
        ];
        let f = run(&ProjectDataAccessAuditLogs, &inv);
        assert_eq!(f.status_of("complete"), Status::Pass);
        assert_eq!(f.status_of("none"), Status::Fail);
        assert!(f
            .of("none")
            .reason
            .contains("no audit config for allServices"));
        assert_eq!(f.status_of("storage-only"), Status::Fail);
        assert_eq!(
            f.evidence_of("storage-only", "services")[0],
            "storage.googleapis.com"
        );
        assert_eq!(f.status_of("no-write"), Status::Fail);
        assert_eq!(
            f.evidence_of("no-write", "missing_log_types")[0],
            "DATA_WRITE"
        );
        assert_eq!(f.status_of("exempted"), Status::Fail);
        assert!(f.of("exempted").reason.contains("etl@proj-1"));
    }
}
