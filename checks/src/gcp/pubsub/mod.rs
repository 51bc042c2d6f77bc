phiscan_core::checks! {
    topic_cmek::PubsubTopicCmek,
    topic_not_public::PubsubTopicNotPublic,
    push_https::PubsubPushHttps,
}
