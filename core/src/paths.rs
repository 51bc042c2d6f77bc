//! Output destinations that can never be written, told before a scan instead of after it:
//! a path longer than the operating system takes, or whose directory does not exist.

use std::path::{Component, Path};

/// Linux's NAME_MAX: the longest file name (one path component), in bytes. macOS and
/// Windows file systems take 255 too.
pub const MAX_NAME_BYTES: usize = 255;
/// Linux's PATH_MAX (4096) less its terminating NUL.
pub const MAX_PATH_BYTES: usize = 4095;

/// Whether a path is short enough to be created: every component and the whole.
pub fn check_length(path: &Path) -> Result<(), String> {
    let total = path.as_os_str().len();
    if total > MAX_PATH_BYTES {
        return Err(format!(
            "the path is {total} bytes long; the system takes at most {MAX_PATH_BYTES}"
        ));
    }
    for c in path.components() {
        if let Component::Normal(name) = c {
            if name.len() > MAX_NAME_BYTES {
                return Err(format!(
                    "a name in the path ({}) is {} bytes long; a file name takes at most {MAX_NAME_BYTES}",
                    crate::quote::quote(&name.to_string_lossy()),
                    name.len()
                ));
            }
        }
    }
    Ok(())
}

/// Whether a file can be created at `path`: short enough, not a directory, and its parent
/// directory exists (phiscan creates no directory for a single file).
pub fn check_file_destination(path: &Path) -> Result<(), String> {
    check_length(path)?;
    if path.is_dir() {
        return Err("is a directory; give a file name".into());
    }
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) if !dir.is_dir() => Err(format!(
            "the directory {} does not exist",
            crate::quote::quote(&dir.display().to_string())
        )),
        _ => Ok(()),
    }
}

/// Whether a directory can be created at `path` (or is one): short enough, and the nearest
/// existing ancestor is a directory.
pub fn check_dir_destination(path: &Path) -> Result<(), String> {
    check_length(path)?;
    match path.ancestors().find(|a| a.exists()) {
        Some(a) if !a.is_dir() => Err(format!(
            "{} exists and is not a directory",
            crate::quote::quote(&a.display().to_string())
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert!(check_length(Path::new("reports/scan.json")).is_ok());
        let long_name = format!("out/{}.json", "a".repeat(300));
        let e = check_length(Path::new(&long_name)).unwrap_err();
        assert!(e.contains("is 305 bytes long"), "{e}");
        let deep = "d/".repeat(2100);
        assert!(check_length(Path::new(&deep))
            .unwrap_err()
            .contains("4200 bytes"));
    }

    #[test]
    fn destinations() {
        let tmp = std::env::temp_dir();
        assert!(check_file_destination(&tmp.join("phiscan-report.json")).is_ok());
        assert!(check_file_destination(Path::new("report.json")).is_ok());
        let e = check_file_destination(&tmp.join("no-such-dir-phiscan/r.json")).unwrap_err();
        assert!(e.contains("does not exist"), "{e}");
        assert!(check_file_destination(&tmp)
            .unwrap_err()
            .contains("is a directory"));
        assert!(check_dir_destination(&tmp.join("a/b/c")).is_ok());
        let file = tmp.join(format!("phiscan-paths-{}", std::process::id()));
        std::fs::write(&file, b"x").unwrap();
        let e = check_dir_destination(&file.join("sub")).unwrap_err();
        assert!(e.contains("is not a directory"), "{e}");
        std::fs::remove_file(&file).unwrap();
    }
}
