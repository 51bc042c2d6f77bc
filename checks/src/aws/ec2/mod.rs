phiscan_core::checks! {
    sg_no_public_admin_ports::SgNoPublicAdminPorts,
    sg_no_public_db_ports::SgNoPublicDbPorts,
    instance_imdsv2::Ec2InstanceImdsv2,
    instance_no_public_ip::Ec2InstanceNoPublicIp,
}

pub(crate) mod sg_exposure;
