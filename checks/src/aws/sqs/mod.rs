phiscan_core::checks! {
    queue_encrypted::SqsQueueEncrypted,
    queue_policy_not_public::SqsQueuePolicyNotPublic,
}
