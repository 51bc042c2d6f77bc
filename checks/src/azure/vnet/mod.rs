phiscan_core::checks! {
    single_customer::VnetSingleCustomer,
    no_cross_customer_peering::VnetNoCrossCustomerPeering,
}

pub(crate) mod topology;
