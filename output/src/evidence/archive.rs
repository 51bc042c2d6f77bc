//! A bundle on disk: a directory, or a `.tar.gz` / `.tgz` archive.
//!
//! Archives are deterministic: entries in path order, mode 0644, uid/gid 0, no user or
//! group names, mtime = the scan clock, gzip header without a timestamp or file name. The
//! same files give the same bytes.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Component, Path};

use phiscan_core::quote::quote;

use super::{Files, ReadError};

/// The most bytes a `.tar.gz` bundle may decompress to. Why: gzip compresses runs of one byte
/// about a thousand to one, so a 1.5 MB file could otherwise grow to gigabytes in memory; a
/// real bundle (reports and the inventory of an estate) stays well below this.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

pub fn is_archive(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    name.ends_with(".tar.gz") || name.ends_with(".tgz")
}

/// Write `files` to a new directory (it must not exist, or be empty).
pub fn write_dir(dir: &Path, files: &Files) -> std::io::Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)?;
        if entries.next().is_some() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the directory exists and is not empty (an evidence bundle needs a fresh one, so no stale file mixes in)",
            ));
        }
    }
    for (path, data) in files {
        let p = dir.join(path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&p, data)?;
    }
    Ok(())
}

/// The bytes of a deterministic `.tar.gz` of `files`.
pub fn tar_gz(files: &Files, mtime: u64) -> std::io::Result<Vec<u8>> {
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    for (path, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(mtime);
        h.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut h, path, data.as_slice())?;
    }
    let gz = tar.into_inner()?;
    gz.finish()
}

pub fn write_archive(path: &Path, files: &Files, mtime: u64) -> std::io::Result<()> {
    let bytes = tar_gz(files, mtime)?;
    let mut f = std::fs::File::create(path)?;
    f.write_all(&bytes)?;
    f.sync_all()
}

fn safe_relative(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && Path::new(p)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Read every file of a bundle directory or archive.
pub fn read(path: &Path) -> Result<Files, ReadError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| ReadError::new(&shown, e.to_string()))?;
    if meta.is_dir() {
        let mut files = BTreeMap::new();
        read_dir(path, "", &mut files)?;
        Ok(files)
    } else {
        read_archive(path, MAX_UNPACKED_BYTES)
    }
}

fn read_dir(root: &Path, prefix: &str, files: &mut Files) -> Result<(), ReadError> {
    let dir = root.join(prefix);
    let shown = dir.display().to_string();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| ReadError::new(&shown, e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| ReadError::new(&shown, e.to_string()))?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e
            .file_name()
            .into_string()
            .map_err(|n| ReadError::new(&shown, format!("file name {n:?} is not UTF-8")))?;
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let p = root.join(&rel);
        let ft = e
            .file_type()
            .map_err(|err| ReadError::new(&p.display().to_string(), err.to_string()))?;
        if ft.is_dir() {
            read_dir(root, &rel, files)?;
        } else if ft.is_file() {
            let data = std::fs::read(&p)
                .map_err(|err| ReadError::new(&p.display().to_string(), err.to_string()))?;
            files.insert(rel, data);
        } else {
            return Err(ReadError::new(
                &p.display().to_string(),
                "is not a regular file (a bundle holds only files and directories)".into(),
            ));
        }
    }
    Ok(())
}

fn read_archive(path: &Path, cap: u64) -> Result<Files, ReadError> {
    let shown = path.display().to_string();
    let mut raw = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut raw))
        .map_err(|e| ReadError::new(&shown, e.to_string()))?;
    unpack(&raw, &shown, cap)
}

/// The files of a `.tar.gz` bundle held in memory (`shown` names it in errors), unpacked to
/// at most `cap` bytes. Split from the file read so the fuzz target reaches it directly.
pub fn unpack(raw: &[u8], shown: &str, cap: u64) -> Result<Files, ReadError> {
    let corrupt = |what: String| {
        ReadError::new(
            shown,
            // tar's and gzip's messages may repeat bytes of the file.
            format!(
                "not a readable .tar.gz evidence bundle: {}",
                phiscan_core::quote::shorten_to(&what, 500)
            ),
        )
    };
    // Decompress fully first: a damaged gzip stream (CRC, length) fails here, whole.
    // One byte past the cap is read to tell "exactly the cap" from "more".
    let mut tar_bytes = Vec::new();
    flate2::read::GzDecoder::new(raw)
        .take(cap + 1)
        .read_to_end(&mut tar_bytes)
        .map_err(|e| corrupt(format!("gzip: {e}")))?;
    if tar_bytes.len() as u64 > cap {
        return Err(corrupt(format!(
            "it decompresses to more than {} MiB, more than any evidence bundle holds",
            cap / (1024 * 1024)
        )));
    }
    let mut archive = tar::Archive::new(tar_bytes.as_slice());
    let mut files = BTreeMap::new();
    for entry in archive.entries().map_err(|e| corrupt(e.to_string()))? {
        let mut entry = entry.map_err(|e| corrupt(e.to_string()))?;
        let name = entry
            .path()
            .map_err(|e| corrupt(e.to_string()))?
            .to_string_lossy()
            .trim_end_matches('/')
            .to_string();
        match entry.header().entry_type() {
            tar::EntryType::Directory => continue,
            tar::EntryType::Regular | tar::EntryType::Continuous => {}
            other => {
                return Err(corrupt(format!(
                    "entry {} is a {other:?}, not a regular file",
                    quote(&name)
                )))
            }
        }
        if !safe_relative(&name) {
            return Err(corrupt(format!(
                "entry {} escapes the bundle",
                quote(&name)
            )));
        }
        let mut data = Vec::new();
        entry
            .read_to_end(&mut data)
            .map_err(|e| corrupt(format!("entry {}: {e}", quote(&name))))?;
        if files.insert(name.clone(), data).is_some() {
            return Err(corrupt(format!("entry {} appears twice", quote(&name))));
        }
    }
    if files.is_empty() {
        return Err(corrupt("the archive holds no file".into()));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_archive_that_unpacks_past_the_cap_is_refused() {
        let path = std::env::temp_dir().join(format!("phiscan-cap-{}.tar.gz", std::process::id()));
        let files: Files = [("scan.json".to_string(), vec![b' '; 64 * 1024])].into();
        write_archive(&path, &files, 0).unwrap();
        let e = read_archive(&path, 16 * 1024).unwrap_err().to_string();
        assert!(e.contains("decompresses to more than"), "{e}");
        assert_eq!(read_archive(&path, MAX_UNPACKED_BYTES).unwrap(), files);
        std::fs::remove_file(&path).unwrap();
    }
}
