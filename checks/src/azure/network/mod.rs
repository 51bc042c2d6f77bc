phiscan_core::checks! {
    nsg_no_public_admin_ports::NsgNoPublicAdminPorts,
    nsg_no_public_db_ports::NsgNoPublicDbPorts,
    nsg_flow_logs::NsgFlowLogs,
}

mod nsg_exposure;
