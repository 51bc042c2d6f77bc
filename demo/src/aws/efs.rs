//! EFS file systems (see the story in `rds.rs`).

use super::{arn_ref, protected, E1, EHR_DOCUMENTS_FS, EHR_KEY, PROD};
use crate::model::aws::EfsFileSystem;
use crate::model::{Inventory, ResourceKind as K};

pub(super) fn add(inv: &mut Inventory) {
    let fs = |id: &str, name: &str, key: Option<&str>| EfsFileSystem {
        resource: protected(arn_ref(
            K::AwsEfsFileSystem,
            PROD,
            E1,
            format!("arn:aws:elasticfilesystem:{E1}:{PROD}:file-system/{id}"),
            name,
        )),
        encrypted: key.is_some(),
        kms_key_id: key.map(Into::into),
        life_cycle_state: Some("available".into()),
    };
    inv.aws_efs_file_systems = vec![
        fs(EHR_DOCUMENTS_FS, "ehr-documents", Some(EHR_KEY)),
        fs("fs-0f9e8d7c6b5a40392", "legacy-scans", None),
    ];
}
