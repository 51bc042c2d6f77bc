//! Disks and their snapshots, matched by resource path and looked up by it: a scan over
//! every snapshot for each disk (or every disk for each snapshot) is quadratic, minutes at a
//! million resources.

use std::collections::HashMap;

use phiscan_core::model::gcp::{ComputeDisk, ComputeSnapshot};

/// `projects/...` of a Compute URL or full resource name, so a snapshot's `sourceDisk`
/// `https://www.googleapis.com/compute/v1/projects/p/zones/z/disks/d` meets the disk's
/// `//compute.googleapis.com/projects/p/zones/z/disks/d`.
pub(super) fn resource_path(url: &str) -> Option<&str> {
    url.find("projects/").map(|i| &url[i..])
}

/// Each disk by its resource path; the first when two share one.
pub(super) fn disks_by_path(disks: &[ComputeDisk]) -> HashMap<&str, &ComputeDisk> {
    let mut out = HashMap::new();
    for d in disks {
        if let Some(p) = resource_path(&d.resource.id) {
            out.entry(p).or_insert(d);
        }
    }
    out
}

/// The newest READY snapshot with a creation time of each source disk, by the disk's
/// resource path; of two equally new, the later listed.
pub(super) fn newest_ready(snapshots: &[ComputeSnapshot]) -> HashMap<&str, &ComputeSnapshot> {
    let mut out: HashMap<&str, &ComputeSnapshot> = HashMap::new();
    let ready = snapshots
        .iter()
        .filter(|s| s.status.as_deref() == Some("READY") && s.created_at.is_some());
    for s in ready {
        let Some(p) = s.source_disk.as_deref().and_then(resource_path) else {
            continue;
        };
        out.entry(p)
            .and_modify(|cur| {
                if s.created_at >= cur.created_at {
                    *cur = s;
                }
            })
            .or_insert(s);
    }
    out
}
