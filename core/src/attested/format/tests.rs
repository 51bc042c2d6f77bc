use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

const HEAD: &str = "format = \"phiscan-attested/v1\"\n";

fn problems(text: &str) -> Vec<String> {
    AttestedFile::parse(text, "a.toml", today())
        .unwrap_err()
        .problems
}

#[test]
fn the_demo_file_loads_every_kind() {
    let f = AttestedFile::parse(
        include_str!("../../../../fixtures/attested/demo.toml"),
        "demo",
        today(),
    )
    .unwrap();
    let kinds: Vec<AttestedKind> = f.entries.iter().map(|e| e.kind).collect();
    for k in [
        AttestedKind::Host,
        AttestedKind::Disk,
        AttestedKind::FirewallRule,
        AttestedKind::Backup,
    ] {
        assert!(kinds.contains(&k), "{k:?}");
    }
    let ssh = f.entries.iter().find(|e| e.id == "sl-legacy-ssh").unwrap();
    assert_eq!(
        ssh.values,
        AttestedValues::Firewall {
            ports: vec![(22, 22)],
            sources: vec!["0.0.0.0/0".into()]
        }
    );
    assert_eq!(ssh.attestation.attested_on.to_string(), "2026-05-22");
}

#[test]
fn unknown_fields_are_refused_with_their_line() {
    let e = AttestedFile::parse(
        &format!("{HEAD}[[disk]]\nplatform = \"rackspace\"\nid = \"d\"\nencryptd = true\n"),
        "a.toml",
        today(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("a.toml: ") && e.contains("line 5"), "{e}");
    assert!(e.contains("encryptd"), "{e}");
    let e = problems("format = \"phiscan-attested/v1\"\n[[server]]\nid = \"x\"\n").join(";");
    assert!(e.contains("server") && e.contains("line 2"), "{e}");
}

#[test]
fn missing_attester_date_and_document_are_each_named_at_the_entry() {
    let p = problems(&format!(
        "{HEAD}\n[[host]]\nplatform = \"rackspace\"\nid = \"h\"\nencrypted = true\nencryption = \"LUKS2\"\n"
    ));
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(
        p.iter().all(|x| x.starts_with("line 3: [[host]] ")),
        "{p:?}"
    );
    for field in ["attester", "attested_on", "document"] {
        assert!(
            p.iter()
                .any(|x| x.contains(&format!("`{field}` is missing"))),
            "{p:?}"
        );
    }
}

const WHO: &str = "attester = \"a\"\ndocument = \"d\"\n";

#[test]
fn a_date_after_today_is_refused_where_it_is_written() {
    let p = problems(&format!(
        "{HEAD}[[disk]]\nplatform = \"p\"\nid = \"d\"\nencrypted = false\n{WHO}attested_on = 2026-06-02\n"
    ));
    assert_eq!(
        p,
        ["line 8: [[disk]] attested_on = 2026-06-02 is in the future (today is 2026-06-01)"]
    );
    // Today itself is fine.
    AttestedFile::parse(
        &format!("{HEAD}[[disk]]\nplatform = \"p\"\nid = \"d\"\nencrypted = false\n{WHO}attested_on = 2026-06-01\n"),
        "a.toml",
        today(),
    )
    .unwrap();
    let p = problems(&format!(
        "{HEAD}[[backup]]\nplatform = \"p\"\nid = \"b\"\n{WHO}attested_on = 2026-05-01\nlast_backup = 2026-07-01T00:00:00Z\n"
    ));
    assert!(
        p[0].starts_with("line 8: ") && p[0].contains("in the future"),
        "{p:?}"
    );
}

#[test]
fn bad_ports_and_address_ranges_are_refused_one_by_one() {
    let p = problems(&format!(
        "{HEAD}[[firewall_rule]]\nplatform = \"p\"\nid = \"f\"\n{WHO}attested_on = 2026-05-01\nports = [22, 70000, \"90-80\", \"443\"]\nsources = [\"10.0.0.0/8\", \"10.0.0.0/33\", \"everyone\"]\n"
    ));
    assert_eq!(p.len(), 4, "{p:?}");
    assert!(
        p.iter()
            .all(|x| x.starts_with("line 8: ") || x.starts_with("line 9: ")),
        "{p:?}"
    );
    assert!(p.iter().any(|x| x.contains("\"everyone\"")), "{p:?}");
}

#[test]
fn fields_of_another_kind_and_wrong_values_are_refused() {
    let p = problems(&format!(
        "{HEAD}[[backup]]\nplatform = \"p\"\nid = \"b\"\n{WHO}attested_on = 2026-05-01\nlast_backup = 2026-05-01\nencrypted = true\n"
    ));
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p
        .iter()
        .any(|x| x.contains("`encrypted` does not apply to a backup")));
    assert!(p.iter().any(|x| x.contains("not a time with its offset")));
    let p = problems(&format!(
        "{HEAD}[[disk]]\nplatform = \"p\"\nid = \"d\"\nencrypted = true\n{WHO}attested_on = 2026-05-01T00:00:00Z\n"
    ));
    assert_eq!(p.len(), 2, "{p:?}");
    let p = problems("format = \"phiscan-attested/v2\"\n");
    assert!(p[0].starts_with("line 1: unsupported format"), "{p:?}");
}

#[test]
fn garbage_never_panics() {
    for text in [
        "",
        "[[disk]]",
        "format = 1",
        "[[disk]]\nports = [[1]]",
        "\u{0}",
        "[[host]]\nattested_on = 0000-00-00",
    ] {
        assert!(AttestedFile::parse(text, "a", today()).is_err(), "{text:?}");
    }
}
