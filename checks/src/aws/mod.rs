//! AWS checks, one file each under `aws/<service>/`. This list is the AWS registry.

pub mod ebs;
pub mod ec2;

use phiscan_scanner::Check;

pub static CHECKS: &[&dyn Check] = &[
    &ebs::volume_encrypted::EbsVolumeEncrypted,
    &ec2::sg_no_public_admin_ports::SgNoPublicAdminPorts,
    &ec2::sg_no_public_db_ports::SgNoPublicDbPorts,
];
