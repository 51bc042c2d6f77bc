//! GCP checks, one file each under `gcp/<service>/`. The services below, in registry order, are
//! the GCP registry; each service's `mod.rs` lists its checks.

phiscan_core::services! {
    compute,
    sql,
    storage,
    kms,
    lb,
    logging,
    spanner,
    firestore,
    pubsub,
    bigquery,
    redis,
    iam,
    vpc,
}

mod shared;
