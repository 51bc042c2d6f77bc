//! Disks and their snapshots, matched by resource path and looked up by it: a scan over
//! every snapshot for each disk (or every disk for each snapshot) is quadratic, minutes at a
//! million resources.

use std::collections::HashMap;

use phiscan_core::model::gcp::{ComputeDisk, ComputeSnapshot};

use crate::index::{first_by, greatest_by};

/// `projects/...` of a Compute URL or full resource name, so a snapshot's `sourceDisk`
/// `https://www.googleapis.com/compute/v1/projects/p/zones/z/disks/d` meets the disk's
/// `//compute.googleapis.com/projects/p/zones/z/disks/d`.
pub(super) fn resource_path(url: &str) -> Option<&str> {
    url.find("projects/").map(|i| &url[i..])
}

/// Each disk by its resource path; the first when two share one.
pub(super) fn disks_by_path(disks: &[ComputeDisk]) -> HashMap<&str, &ComputeDisk> {
    first_by(disks, |d| resource_path(&d.resource.id))
}

/// The newest READY snapshot with a creation time of each source disk, by the disk's
/// resource path; of two equally new, the later listed.
pub(super) fn newest_ready(snapshots: &[ComputeSnapshot]) -> HashMap<&str, &ComputeSnapshot> {
    let newest = greatest_by(snapshots.iter().enumerate(), |(i, s)| {
        let created = s.created_at.filter(|_| s.status.as_deref() == Some("READY"))?;
        Some((s.source_disk.as_deref().and_then(resource_path)?, (created, i)))
    });
    newest
        .into_iter()
        .map(|(path, (_, i))| (path, &snapshots[i]))
        .collect()
}
