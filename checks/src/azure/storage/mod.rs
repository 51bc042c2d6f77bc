phiscan_core::checks! {
    secure_transfer::StorageSecureTransfer,
    min_tls12::StorageMinTls12,
    no_public_blob_access::StorageNoPublicBlobAccess,
    default_network_deny::StorageDefaultNetworkDeny,
    cmk_or_double_encryption::StorageStrongEncryptionWhereDemanded,
    no_shared_key_access::StorageNoSharedKeyAccess,
    blob_soft_delete::StorageBlobSoftDelete,
    container_soft_delete::StorageContainerSoftDelete,
    blob_versioning::StorageBlobVersioning,
}
