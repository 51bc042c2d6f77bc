phiscan_core::checks! {
    sg_no_public_admin_ports::SgNoPublicAdminPorts,
    sg_no_public_db_ports::SgNoPublicDbPorts,
    instance_imdsv2::Ec2InstanceImdsv2,
    instance_no_public_ip::Ec2InstanceNoPublicIp,
    // Segmentation and the bastion (issue 14).
    db_tier_bastion_only::DbTierBastionOnly,
    bastion_restricted::BastionRestricted,
}

pub(crate) mod sg_exposure;
