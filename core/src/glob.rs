//! Every glob a user writes (waiver resource patterns, `--checks`, `--exclude-checks`,
//! `[checks]`) is built here. Why bounds: globset turns a glob into a regex and panics
//! ("regex compilation shouldn't fail") when that regex is too large (thousands of `*`) or
//! nested too deep (a couple of hundred `{`); no real pattern comes near these limits.

use globset::Glob;

use crate::quote::quote;

/// The longest glob accepted, in characters: an ARN or a resource path fits many times.
pub const MAX_GLOB_CHARS: usize = 1024;
/// The deepest `{a,{b,c}}` nesting accepted.
pub const MAX_GLOB_NESTING: usize = 8;

/// A glob refused before or by globset; the message quotes the pattern escaped and shortened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad glob {}: {why}", quote(.pattern))]
pub struct GlobError {
    pub pattern: String,
    /// What is wrong with it.
    pub why: String,
}

/// `pattern` as a glob, refused when over the bounds or invalid.
pub fn glob(pattern: &str) -> Result<Glob, GlobError> {
    let refuse = |why: String| GlobError {
        pattern: pattern.to_string(),
        why,
    };
    let chars = pattern.chars().count();
    if chars > MAX_GLOB_CHARS {
        return Err(refuse(format!(
            "{chars} characters, at most {MAX_GLOB_CHARS} are accepted"
        )));
    }
    let mut depth = 0usize;
    for c in pattern.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_GLOB_NESTING {
            return Err(refuse(format!(
                "`{{` nested more than {MAX_GLOB_NESTING} deep"
            )));
        }
    }
    Glob::new(pattern).map_err(|e| refuse(e.kind().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_over_the_bounds_are_refused_and_none_within_them_panics() {
        let stars = "*a".repeat(MAX_GLOB_CHARS);
        assert!(glob(&stars)
            .unwrap_err()
            .to_string()
            .contains("at most 1024"));
        let nested = format!("{}{}", "{a,".repeat(200), "}".repeat(200));
        assert!(glob(&nested).unwrap_err().why.contains("nested"));
        // The worst shapes at the bounds compile (globset would panic on a panic-prone one).
        let limit = MAX_GLOB_CHARS / 2;
        let deep = format!(
            "{}{}{}",
            "{*,".repeat(MAX_GLOB_NESTING),
            "*?".repeat((MAX_GLOB_CHARS - 4 * MAX_GLOB_NESTING) / 2),
            "}".repeat(MAX_GLOB_NESTING)
        );
        for p in [
            "*a".repeat(limit),
            "[a-z]?".repeat(MAX_GLOB_CHARS / 6),
            deep,
        ] {
            assert!(p.chars().count() <= MAX_GLOB_CHARS);
            glob(&p).expect("valid").compile_matcher();
        }
        assert!(glob("arn:aws:s3:::phi-*").is_ok());
    }
}
