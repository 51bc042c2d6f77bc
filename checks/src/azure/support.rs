//! Rules several Azure checks share: how services spell a TLS minimum, and when a
//! customer-managed key is demanded.

use phiscan_core::check::Ctx;
use phiscan_core::ResourceRef;

/// The minor version of a TLS minimum as Azure services spell it (`1.2`, `TLS1_2`,
/// `TLSv1_2`, Cosmos DB's `Tls12`; Cosmos DB's bare `Tls` is TLS 1.0): `Some(2)` for TLS 1.2,
/// `None` for a value that is not a TLS 1.x version (`None`, a typo, a future spelling).
pub(crate) fn tls_minor(raw: &str) -> Option<u8> {
    let v = raw.trim().to_ascii_lowercase();
    let v = v.strip_prefix("tls").unwrap_or(&v);
    let v = v.strip_prefix('v').unwrap_or(v).replace('_', ".");
    match v.as_str() {
        "" | "1" | "1.0" | "10" => Some(0),
        "1.1" | "11" => Some(1),
        "1.2" | "12" => Some(2),
        "1.3" | "13" => Some(3),
        _ => None,
    }
}

/// The verdict on a TLS minimum `value` of setting `name`: TLS 1.2 or newer passes; an older
/// version, an unrecognised value and an unreported one (`missing` says what that means for
/// this service) fail. Returns (passes, reason).
pub(crate) fn tls12_verdict(name: &str, value: Option<&str>, missing: &str) -> (bool, String) {
    match value.map(|v| (v, tls_minor(v))) {
        Some((v, Some(m))) if m >= 2 => (true, format!("{name} is {v}: TLS 1.2 or newer.")),
        Some((v, Some(_))) => (
            false,
            format!("{name} is {v}: clients may connect with deprecated TLS (1.0/1.1)."),
        ),
        Some((v, None)) => (
            false,
            format!("{name} {v:?} is not one phiscan recognises as TLS 1.2 or newer."),
        ),
        None => (false, format!("ARM did not report {name}: {missing}")),
    }
}

/// The verdict on a boolean setting ARM may omit: it passes when it is `want`. `reasons`
/// say why for each case: (it is `want`, it is not, it was not reported).
pub(crate) fn flag_verdict(
    value: Option<bool>,
    want: bool,
    reasons: [&'static str; 3],
) -> (bool, &'static str) {
    match value {
        Some(v) if v == want => (true, reasons[0]),
        Some(_) => (false, reasons[1]),
        None => (false, reasons[2]),
    }
}

/// The value of `r`'s `data-classification` tag (name compared case-insensitively).
pub(crate) fn data_classification(r: &ResourceRef) -> Option<&str> {
    r.tags
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("data-classification"))
        .map(|(_, v)| v.as_str())
}

/// What demands a customer-managed key for `r`: `params.require_customer_managed_keys`, and
/// a `data-classification = protected` tag (the rule of `azure-disk-encrypted` and
/// `azure-storage-cmk-or-double-encryption`). Empty: nothing demands one.
pub(crate) fn cmk_required_by(ctx: &Ctx, r: &ResourceRef) -> Vec<&'static str> {
    let mut by = Vec::new();
    if ctx.config.params.require_customer_managed_keys {
        by.push("params.require_customer_managed_keys");
    }
    if data_classification(r).is_some_and(|c| c.trim().eq_ignore_ascii_case("protected")) {
        by.push("data-classification=protected");
    }
    by
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_spellings_of_every_service() {
        for (raw, want) in [
            ("1.2", Some(2)),
            ("TLS1_2", Some(2)),
            ("TLSv1_3", Some(3)),
            ("Tls12", Some(2)),
            ("Tls11", Some(1)),
            ("Tls", Some(0)),
            ("1.0", Some(0)),
            ("None", None),
            ("1.5", None),
        ] {
            assert_eq!(tls_minor(raw), want, "{raw}");
        }
        assert!(tls12_verdict("minTlsVersion", Some("1.3"), "").0);
        assert!(!tls12_verdict("minTlsVersion", Some("1.1"), "").0);
        assert!(!tls12_verdict("minTlsVersion", Some("None"), "").0);
        let (ok, why) = tls12_verdict("minTlsVersion", None, "old apps accept TLS 1.0.");
        assert!(!ok && why.ends_with("old apps accept TLS 1.0."), "{why}");
    }

    #[test]
    fn flags_pass_only_when_reported_as_wanted() {
        let r = ["want", "other", "silent"];
        assert_eq!(flag_verdict(Some(false), false, r), (true, "want"));
        assert_eq!(flag_verdict(Some(true), false, r), (false, "other"));
        assert_eq!(flag_verdict(None, false, r), (false, "silent"));
        assert_eq!(flag_verdict(Some(true), true, r), (true, "want"));
    }
}
