phiscan_core::checks! {
    stream_encrypted::KinesisStreamEncrypted,
}
