phiscan_core::checks! {
    cluster_encrypted::DocDbClusterEncrypted,
    cluster_tls::DocDbClusterTls,
}
