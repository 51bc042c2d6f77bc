//! The parts of the providers' answers that phiscan parses itself, apart from the SDKs and
//! their HTTP stacks: pure functions of bytes and text, compiled without any cloud feature so
//! that unit tests and the fuzz targets (`fuzz/fuzz_targets/cloud_responses.rs`) reach them.
//! The SDKs parse the rest (AWS XML and JSON in `aws-sdk-*`, typed GCP responses in the
//! `google-cloud-*` clients); ARM resources are lenient serde models of each collector.

pub mod arm;
pub mod aws;
pub mod gcp;
