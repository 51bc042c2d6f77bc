phiscan_core::checks! {
    disk_cmek::DiskCmek,
    firewall_no_public_admin_ports::FirewallNoPublicAdminPorts,
    firewall_no_public_db_ports::FirewallNoPublicDbPorts,
    snapshot_cmek::SnapshotCmek,
    instance_no_external_ip::InstanceNoExternalIp,
    instance_default_sa_full_scope::InstanceNoDefaultSaFullScope,
    instance_shielded_vm::InstanceShieldedVm,
    subnet_flow_logs::SubnetFlowLogs,
    subnet_private_google_access::SubnetPrivateGoogleAccess,
    disk_recent_snapshot::DiskRecentSnapshot,
    firewall_db_tier_bastion_only::FirewallDbTierBastionOnly,
    firewall_bastion_restricted::FirewallBastionRestricted,
}

mod disk_snapshots;
mod firewall_exposure;
mod firewall_reach;
mod subnet;
