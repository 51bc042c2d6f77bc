phiscan_core::checks! {
    nsg_no_public_admin_ports::NsgNoPublicAdminPorts,
    nsg_no_public_db_ports::NsgNoPublicDbPorts,
    nsg_flow_logs::NsgFlowLogs,
    db_tier_bastion_only::NsgDbTierBastionOnly,
}

mod nsg_exposure;
pub(crate) mod nsg_reach;
