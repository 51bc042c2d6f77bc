use super::*;

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
