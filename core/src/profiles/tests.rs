use super::*;
use crate::check::Status;

#[test]
fn parameters_out_of_range_are_refused_with_line_and_key() {
    let text = format!(
        "format = {PROFILE_FORMAT:?}\nname = \"n\"\ntitle = \"t\"\norganization = \"o\"\ndocument = \"d\"\nversion = \"v\"\nproviders = [\"aws\"]\n[[promise]]\nid = \"p\"\nsection = \"s\"\nquote = \"q\"\nchecks = [{{ id = \"c\", params = {{ cert_expiry_days = 9223372036854775807 }} }}]\n"
    );
    let e = Profile::parse(&text, "p.toml").unwrap_err().to_string();
    assert!(e.starts_with("p.toml: ") && e.contains("line 12"), "{e}");
    assert!(
        e.contains("cert_expiry_days = 9223372036854775807 is out of range"),
        "{e}"
    );
}

fn with_attested(attested: &str) -> Profile {
    let text = format!(
        "format = {PROFILE_FORMAT:?}\nname = \"n\"\ntitle = \"t\"\norganization = \"o\"\ndocument = \"d\"\nversion = \"v\"\nproviders = [\"aws\"]\n[[promise]]\nid = \"p\"\nsection = \"s\"\nquote = \"q\"\nchecks = [{{ id = \"c\" }}]\nattested = {attested}\n"
    );
    Profile::parse(&text, "p.toml").unwrap()
}

#[test]
fn attested_coverage_names_known_rules_and_some_platform() {
    let ok =
        with_attested("{ platforms = [\"rackspace\"], rules = [\"attested-disk-encrypted\"] }");
    assert_eq!(
        ok.promises[0].attested.as_ref().unwrap().platforms,
        ["rackspace"]
    );
    let bad = with_attested("{ platforms = [], rules = [\"attested-disks\"] }");
    let problems = bad.promises[0]
        .attested
        .as_ref()
        .unwrap()
        .problems("promise \"p\"");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[1].contains("unknown attested rule \"attested-disks\""));
}

/// A promise holding on its observed findings holds "(attested)" only when every platform
/// holds by attestation; a failed attestation breaks it; none leaves it listed unverified.
#[test]
fn platforms_combine_with_the_observed_verdict() {
    use crate::attested::{rule, Attestation, AttestedFinding, AttestedKind};
    let profile = with_attested(
        "{ platforms = [\"rackspace\", \"ibm-softlayer\"], rules = [\"attested-disk-encrypted\"] }",
    );
    let pass = crate::check::FindingBuilder::new(
        "c",
        Status::Pass,
        crate::model::ResourceRef::new(
            crate::model::ResourceKind::AwsEbsVolume,
            "1",
            "r",
            "v",
            "v",
        ),
    )
    .evidence("encrypted", true)
    .reason("ok")
    .build()
    .unwrap();
    let on = |platform: &str, status| AttestedFinding {
        rule: rule("attested-disk-encrypted").unwrap(),
        status,
        kind: AttestedKind::Disk,
        platform: platform.into(),
        resource_id: "d".into(),
        resource_name: "d".into(),
        evidence: Default::default(),
        reason: "r".into(),
        attestation: Attestation {
            attester: "a".into(),
            attested_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            document: "doc".into(),
        },
    };
    let verdict = |attested: &[AttestedFinding]| {
        evaluate_with(&profile, std::slice::from_ref(&pass), attested)[0].clone()
    };
    let none = verdict(&[]);
    assert_eq!(none.verdict, PromiseVerdict::Holds);
    assert!(none
        .platforms
        .iter()
        .all(|p| p.verdict == PlatformVerdict::NotVerified));
    let one = verdict(&[on("rackspace", Status::Pass)]);
    assert_eq!(one.verdict, PromiseVerdict::Holds);
    assert_eq!(one.platforms[1].verdict, PlatformVerdict::NotVerified);
    let both = verdict(&[
        on("rackspace", Status::Pass),
        on("ibm-softlayer", Status::Pass),
    ]);
    assert_eq!(both.verdict, PromiseVerdict::HoldsAttested);
    let failed = verdict(&[
        on("rackspace", Status::Pass),
        on("ibm-softlayer", Status::Fail),
    ]);
    assert_eq!(failed.verdict, PromiseVerdict::Broken);
    assert_eq!(failed.platforms[1].verdict, PlatformVerdict::BrokenAttested);
    // Another platform's attestation does not count.
    let elsewhere = verdict(&[on("on-premises", Status::Pass)]);
    assert!(elsewhere
        .platforms
        .iter()
        .all(|p| p.verdict == PlatformVerdict::NotVerified));
}
