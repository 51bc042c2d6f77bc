phiscan_core::checks! {
    cluster_encrypted::NeptuneClusterEncrypted,
    cluster_tls::NeptuneClusterTls,
}
