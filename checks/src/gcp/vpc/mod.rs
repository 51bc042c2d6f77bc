phiscan_core::checks! {
    single_customer::VpcSingleCustomer,
    no_cross_customer_peering::VpcNoCrossCustomerPeering,
}

pub(crate) mod topology;
