phiscan_core::checks! {
    encrypted_at_rest::OpenSearchEncryptedAtRest,
    node_to_node_encryption::OpenSearchNodeToNodeEncryption,
    https_tls12::OpenSearchHttpsTls12,
    not_public::OpenSearchNotPublic,
}
