//! Attested assets judged by the cloud checks' decisions (`phiscan_core::attested`): disks
//! and hosts as `aws-ebs-volume-encrypted` / `azure-disk-encrypted` (encrypted or not, and
//! with what), firewall rules as the security-group and NSG exposure checks (the internet
//! sources of `common`, the watched ports of `params.admin_ports` / `params.db_ports`),
//! backups as `gcp-sql-instance-recent-backup` ([`backup_age`]).

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use phiscan_core::attested::{
    rule, AttestedEntry, AttestedFile, AttestedFinding, AttestedRule, AttestedValues,
};
use phiscan_core::config::Params;
use phiscan_core::Status;
use serde_json::json;

use crate::common::{backup_age, is_internet_source, opened, PortRange};
use crate::reach::describe_ports;

/// Every verdict on the file's entries, in file order, each rule in [`RULES`] order.
///
/// [`RULES`]: phiscan_core::attested::RULES
pub fn evaluate(file: &AttestedFile, params: &Params, now: DateTime<Utc>) -> Vec<AttestedFinding> {
    let mut out = Vec::new();
    for e in &file.entries {
        match &e.values {
            AttestedValues::Encryption {
                encrypted,
                encryption,
            } => {
                let reason = match (encrypted, encryption) {
                    (true, Some(with)) => format!("Attested encrypted at rest with {with}."),
                    (true, None) => "Attested encrypted at rest.".to_string(),
                    (false, _) => {
                        "Attested not encrypted: its data is stored in plaintext.".to_string()
                    }
                };
                let evidence = [
                    ("encrypted", json!(encrypted)),
                    ("encryption", json!(encryption)),
                ];
                out.push(finding(
                    "attested-disk-encrypted",
                    e,
                    *encrypted,
                    evidence,
                    reason,
                ));
            }
            AttestedValues::Firewall { ports, sources } => {
                let internet: Vec<&str> = sources
                    .iter()
                    .map(String::as_str)
                    .filter(|s| is_internet_source(s))
                    .collect();
                for (id, watched, what) in [
                    (
                        "attested-no-public-admin-ports",
                        &params.admin_ports,
                        "administrative",
                    ),
                    ("attested-no-public-db-ports", &params.db_ports, "database"),
                ] {
                    let mut open: Vec<u16> = ports
                        .iter()
                        .flat_map(|&(from, to)| opened(PortRange { from, to }, watched))
                        .collect();
                    open.sort_unstable();
                    open.dedup();
                    let exposed = !internet.is_empty() && !open.is_empty();
                    let reason = if exposed {
                        format!(
                            "Attested open to the internet ({}) on {what} port(s) {}.",
                            internet.join(", "),
                            describe_ports(&open)
                        )
                    } else if internet.is_empty() {
                        "Attested to admit no internet-wide source (0.0.0.0/0, ::/0).".to_string()
                    } else {
                        format!("Attested to open no {what} port to the internet.")
                    };
                    let evidence = [
                        (
                            "ports",
                            json!(ports
                                .iter()
                                .map(|(a, b)| if a == b {
                                    a.to_string()
                                } else {
                                    format!("{a}-{b}")
                                })
                                .collect::<Vec<_>>()),
                        ),
                        ("sources", json!(sources)),
                        (
                            "watched_ports_opened",
                            json!(if internet.is_empty() {
                                Vec::new()
                            } else {
                                open
                            }),
                        ),
                    ];
                    out.push(finding(id, e, !exposed, evidence, reason));
                }
            }
            AttestedValues::Backup { last_backup } => {
                let max = params.max_backup_age_hours;
                let (hours, fresh) = backup_age(*last_backup, now, max);
                let reason = if fresh {
                    format!("The attested newest backup is from {} ({hours} h before the scan clock; at most {max} h allowed).", last_backup.to_rfc3339())
                } else {
                    format!("The attested newest backup is from {} ({hours} h before the scan clock), older than the allowed {max} h.", last_backup.to_rfc3339())
                };
                let evidence = [
                    ("last_backup", json!(last_backup)),
                    ("last_backup_age_hours", json!(hours)),
                    ("max_backup_age_hours", json!(max)),
                ];
                out.push(finding(
                    "attested-recent-backup",
                    e,
                    fresh,
                    evidence,
                    reason,
                ));
            }
        }
    }
    out
}

fn finding<const N: usize>(
    id: &str,
    e: &AttestedEntry,
    ok: bool,
    evidence: [(&str, serde_json::Value); N],
    reason: String,
) -> AttestedFinding {
    let rule: &'static AttestedRule = rule(id).expect("attested rule ids are in RULES");
    AttestedFinding {
        rule,
        status: if ok { Status::Pass } else { Status::Fail },
        kind: e.kind,
        platform: e.platform.clone(),
        resource_id: e.id.clone(),
        resource_name: e.name.clone(),
        evidence: evidence
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<IndexMap<_, _>>(),
        reason,
        attestation: e.attestation.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn demo() -> AttestedFile {
        AttestedFile::parse(
            include_str!("../../fixtures/attested/demo.toml"),
            "demo",
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        )
        .unwrap()
    }

    fn verdict(fs: &[AttestedFinding], rule: &str, id: &str) -> Status {
        fs.iter()
            .find(|f| f.rule.id == rule && f.resource_id == id)
            .unwrap_or_else(|| panic!("{rule} {id}"))
            .status
    }

    fn now() -> DateTime<Utc> {
        "2026-06-01T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn disks_pass_encrypted_and_fail_plaintext() {
        let fs = evaluate(&demo(), &Params::default(), now());
        assert_eq!(
            verdict(&fs, "attested-disk-encrypted", "rs-qolty-api-01"),
            Status::Pass
        );
        assert_eq!(
            verdict(
                &fs,
                "attested-disk-encrypted",
                "sl-qolty-reporting-02-disk1"
            ),
            Status::Fail
        );
        let f = fs
            .iter()
            .find(|f| f.resource_id == "rs-qolty-api-01")
            .unwrap();
        assert!(f.reason.contains("LUKS2"), "{}", f.reason);
        assert_eq!(
            f.attestation.attester,
            "Dana Whitfield, Qolty infrastructure lead"
        );
    }

    #[test]
    fn firewall_rules_use_the_watched_ports_and_internet_sources() {
        let fs = evaluate(&demo(), &Params::default(), now());
        assert_eq!(
            verdict(&fs, "attested-no-public-admin-ports", "sl-legacy-ssh"),
            Status::Fail
        );
        assert_eq!(
            verdict(&fs, "attested-no-public-db-ports", "sl-legacy-ssh"),
            Status::Pass
        );
        assert_eq!(
            verdict(&fs, "attested-no-public-admin-ports", "rs-edge-https"),
            Status::Pass
        );
        // The same rule from a private range exposes nothing; all ports to the internet
        // expose both.
        let mut file = demo();
        for e in &mut file.entries {
            if let AttestedValues::Firewall { ports, sources } = &mut e.values {
                *sources = vec!["10.0.0.0/8".into()];
                *ports = vec![(0, u16::MAX)];
            }
        }
        let private = evaluate(&file, &Params::default(), now());
        assert_eq!(
            verdict(&private, "attested-no-public-admin-ports", "sl-legacy-ssh"),
            Status::Pass
        );
        for e in &mut file.entries {
            if let AttestedValues::Firewall { sources, .. } = &mut e.values {
                *sources = vec!["::/0".into()];
            }
        }
        let all = evaluate(&file, &Params::default(), now());
        assert_eq!(
            verdict(&all, "attested-no-public-db-ports", "rs-edge-https"),
            Status::Fail
        );
    }

    /// The formats grade an attested FAIL like a FAIL of the checks whose decision it shares.
    #[test]
    fn each_rule_has_the_severity_of_the_checks_it_shares() {
        for r in phiscan_core::attested::RULES {
            for id in r.same_as {
                let check = crate::find(id).unwrap_or_else(|| panic!("{}: no check {id}", r.id));
                assert_eq!(check.meta().severity, r.severity, "{} and {id}", r.id);
            }
        }
    }

    #[test]
    fn backups_age_against_the_scan_clock() {
        let fresh = evaluate(&demo(), &Params::default(), now());
        assert_eq!(
            verdict(&fresh, "attested-recent-backup", "rs-qolty-db-01-nightly"),
            Status::Pass
        );
        let later: DateTime<Utc> = "2026-06-03T12:00:00Z".parse().unwrap();
        let stale = evaluate(&demo(), &Params::default(), later);
        assert_eq!(
            verdict(&stale, "attested-recent-backup", "rs-qolty-db-01-nightly"),
            Status::Fail
        );
    }
}
