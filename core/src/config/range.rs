//! The accepted range of every numeric check parameter, checked while `phiscan.toml` or a
//! profile is read (so `config check` refuses what a scan could not use). Why ranges at all:
//! checks do date arithmetic with these numbers (`Duration::hours(max_backup_age_hours)`),
//! which panics far outside any real policy; the bounds are the widest values a cloud or a
//! policy could mean (ten years of backups, IAM's own limits for passwords). docs/config.md
//! lists the same table; a test compares them.

use serde::{Deserialize, Deserializer};

macro_rules! ranges {
    ($($name:ident: $lo:literal ..= $hi:literal;)*) => {
        /// (key, lowest, highest) of every ranged parameter, as docs/config.md lists them.
        pub const RANGES: &[(&str, i64, i64)] = &[$((stringify!($name), $lo, $hi)),*];
        $(
            /// serde `deserialize_with` for the parameter of the same name.
            pub(crate) fn $name<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
            where
                D: Deserializer<'de>,
                T: Deserialize<'de> + Into<i64> + Copy,
            {
                in_range(d, stringify!($name), $lo, $hi)
            }
        )*
    };
}

ranges! {
    min_backup_retention_days: 0 ..= 3650;
    max_backup_age_hours: 1 ..= 87600;
    max_key_rotation_days: 1 ..= 3650;
    min_log_retention_days: 1 ..= 3653;
    cert_expiry_days: 0 ..= 3650;
    min_password_length: 1 ..= 128;
    password_reuse_prevention: 0 ..= 24;
    max_password_age_days: 0 ..= 1095;
    max_sa_key_age_days: 1 ..= 3650;
    max_access_key_age_days: 1 ..= 3650;
    max_unused_credential_days: 1 ..= 3650;
    min_cosmos_backup_retention_hours: 1 ..= 720;
    max_subscription_owners: 1 ..= 1000;
}

fn in_range<'de, D, T>(d: D, key: &str, lo: i64, hi: i64) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Into<i64> + Copy,
{
    let v = T::deserialize(d)?;
    let n: i64 = v.into();
    if (lo..=hi).contains(&n) {
        Ok(Some(v))
    } else {
        Err(serde::de::Error::custom(format!(
            "{key} = {n} is out of range: it must be between {lo} and {hi}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::RANGES;

    #[test]
    fn docs_list_every_range() {
        let docs = include_str!("../../../docs/config.md");
        for (key, lo, hi) in RANGES {
            let row = docs
                .lines()
                .find(|l| l.starts_with(&format!("| `{key}` |")))
                .unwrap_or_else(|| panic!("docs/config.md has no row for {key}"));
            assert!(
                row.contains(&format!("{lo} to {hi}")),
                "docs/config.md row of {key} does not say `{lo} to {hi}`: {row}"
            );
        }
    }
}
