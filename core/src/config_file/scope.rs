//! The scan's data-classification scope, from the command line over `[scope]` of the file.

use super::ScopeSection;
use crate::scope::{ScopeFilter, Untagged, DEFAULT_KEY};

/// The scan's data-classification scope: `--scope KEY=VALUE[,VALUE]` (`cli`) over the file's
/// `scope.classifications`, `--scope-untagged` over `scope.untagged`. `None`: no scope.
pub fn scope_filter(
    file: Option<&ScopeSection>,
    cli: Option<&str>,
    cli_untagged: Option<Untagged>,
) -> Result<Option<ScopeFilter>, String> {
    let empty = ScopeSection::default();
    let section = file.unwrap_or(&empty);
    let vocabulary = section.vocabulary();
    let untagged = cli_untagged.unwrap_or(section.untagged);
    let file_key = section
        .key
        .clone()
        .unwrap_or_else(|| DEFAULT_KEY.to_string());
    let (key, values) = match cli {
        Some(arg) => {
            let (k, v) = arg.split_once('=').ok_or_else(|| {
                format!(
                    "--scope {arg}: expected KEY=VALUE[,VALUE], e.g. {DEFAULT_KEY}=protected",
                    arg = crate::quote::quote(arg)
                )
            })?;
            let values: Vec<String> = v
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if k.trim().is_empty() || values.is_empty() {
                return Err(format!(
                    "--scope {arg}: expected KEY=VALUE[,VALUE]",
                    arg = crate::quote::quote(arg)
                ));
            }
            for val in &values {
                if !vocabulary.iter().any(|c| c.eq_ignore_ascii_case(val)) {
                    return Err(format!(
                        "--scope: {val} is not a data classification (one of {}; set scope.values in phiscan.toml for others)",
                        vocabulary.join(", "),
                        val = crate::quote::quote(val)
                    ));
                }
            }
            (k.trim().to_string(), values)
        }
        None if section.classifications.is_empty() => {
            if cli_untagged.is_some() {
                return Err("--scope-untagged needs a scope: --scope KEY=VALUE or scope.classifications in phiscan.toml".into());
            }
            return Ok(None);
        }
        None => (
            file_key,
            section
                .classifications
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
        ),
    };
    Ok(Some(ScopeFilter {
        key,
        values,
        untagged,
    }))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    fn section(toml: &str) -> ScopeSection {
        #[derive(Deserialize)]
        struct F {
            scope: ScopeSection,
        }
        toml::from_str::<F>(toml).unwrap().scope
    }

    #[test]
    fn the_command_line_scope_overrides_the_file_and_is_validated() {
        let s = section(
            "[scope]\nkey = \"dc\"\nclassifications = [\"internal\"]\nuntagged = \"exclude\"\n",
        );
        let from_file = scope_filter(Some(&s), None, None).unwrap().unwrap();
        assert_eq!(from_file.describe(), "dc=internal");
        assert_eq!(from_file.untagged, Untagged::Exclude);
        let cli = scope_filter(
            Some(&s),
            Some("class=Protected, public"),
            Some(Untagged::Report),
        )
        .unwrap()
        .unwrap();
        assert_eq!(cli.describe(), "class=Protected,public");
        assert_eq!(cli.untagged, Untagged::Report);
        assert_eq!(scope_filter(None, None, None), Ok(None));
        for bad in ["protected", "=protected", "dc=", "dc=secret"] {
            assert!(scope_filter(None, Some(bad), None).is_err(), "{bad}");
        }
        assert!(scope_filter(None, None, Some(Untagged::Report)).is_err());
        // A custom vocabulary replaces the default one.
        let custom = section("[scope]\nvalues = [\"phi\", \"open\"]\n");
        assert!(scope_filter(Some(&custom), Some("data-classification=protected"), None).is_err());
        assert!(scope_filter(Some(&custom), Some("data-classification=PHI"), None).is_ok());
    }
}
