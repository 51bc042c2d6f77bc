phiscan_core::checks! {
    encrypted::EfsEncrypted,
}
