phiscan_core::checks! {
    topic_encrypted::SnsTopicEncrypted,
    topic_policy_not_public::SnsTopicPolicyNotPublic,
}
