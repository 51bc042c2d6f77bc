phiscan_core::checks! {
    flow_logs::VpcFlowLogs,
    nacl_no_public_admin_ports::NaclNoPublicAdminPorts,
    single_customer::VpcSingleCustomer,
    no_cross_customer_path::VpcNoCrossCustomerPath,
}

pub(crate) mod paths;
