phiscan_core::checks! {
    disk_encrypted::DiskEncrypted,
    disk_network_access::DiskNetworkAccessRestricted,
    vm_no_public_ip::VmNoPublicIp,
    vm_encryption_at_host::VmEncryptionAtHost,
}
