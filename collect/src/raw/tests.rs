use serde_json::json;

use super::*;

const ACCOUNT: &str = "123456789012";

fn r(kind: &str, id: &str, name: &str) -> Value {
    json!({"provider": "aws", "account": ACCOUNT, "region": "eu-west-1", "kind": kind,
           "id": id, "name": name})
}

/// Two volumes, an instance in a VPC, a bucket and the region's EBS default.
fn inventory() -> Inventory {
    serde_json::from_value(json!({
        "format": "phiscan-inventory/v1", "scopes": [],
        "aws_ebs_volumes": [
            {"resource": r("AwsEbsVolume", "arn:aws:ec2:eu-west-1:123456789012:volume/vol-1", "plain"),
             "encrypted": false, "state": "available", "size_gib": 8},
            {"resource": r("AwsEbsVolume", "arn:aws:ec2:eu-west-1:123456789012:volume/vol-2", "vol-2"),
             "encrypted": true, "state": "in-use", "size_gib": 8}],
        "aws_ec2_instances": [
            {"resource": r("AwsEc2Instance", "arn:aws:ec2:eu-west-1:123456789012:instance/i-1", "web"),
             "state": "running", "security_groups": []}],
        "aws_vpcs": [
            {"resource": r("AwsVpc", "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1", "vpc-1"),
             "vpc_id": "vpc-1", "is_default": true, "flow_logs": []}],
        "aws_s3_buckets": [
            {"resource": r("AwsS3Bucket", "arn:aws:s3:::phi-data", "phi-data"), "policy": null}],
        "aws_ebs_encryption_defaults": [
            {"resource": r("AwsEbsEncryptionDefault",
                           "arn:aws:ec2:eu-west-1:123456789012:ebs-encryption-by-default",
                           "ebs-encryption-by-default (eu-west-1)"),
             "enabled": false}]
    }))
    .expect("test inventory")
}

fn captured(service: &str, operation: &str, asked: &[&str], body: Value) -> Captured {
    Captured {
        provider: Provider::Aws,
        account: None,
        region: Some("eu-west-1".into()),
        service: service.into(),
        operation: operation.into(),
        request_id: Some("req-1".into()),
        time: DateTime::UNIX_EPOCH,
        asked: asked.iter().map(|s| s.to_string()).collect(),
        body,
    }
}

fn linked(c: Captured) -> Vec<(Vec<String>, Option<String>, Value)> {
    link(&inventory(), Some(ACCOUNT), vec![c])
        .into_iter()
        .map(|r| (r.resource_ids, r.pointer, r.body))
        .collect()
}

fn short(ids: &[String]) -> Vec<&str> {
    ids.iter()
        .map(|i| i.rsplit(['/', ':']).next().unwrap())
        .collect()
}

#[test]
fn a_page_is_split_into_the_items_that_name_each_resource() {
    let body = json!({"DescribeVolumesResponse": {"requestId": "r", "volumeSet": {"item": [
        {"volumeId": "vol-1", "encrypted": "false",
         "attachmentSet": {"item": [{"instanceId": "i-1", "volumeId": "vol-1"}]}},
        {"volumeId": "vol-2", "encrypted": "true"},
        {"volumeId": "vol-9", "encrypted": "true"}]}}});
    let out = linked(captured("EC2", "DescribeVolumes", &[], body));
    assert_eq!(out.len(), 2, "{out:?}");
    assert_eq!(short(&out[0].0), ["vol-1"]);
    assert_eq!(
        out[0].1.as_deref(),
        Some("/DescribeVolumesResponse/volumeSet/item/0")
    );
    assert_eq!(out[0].2["encrypted"], "false");
    assert_eq!(short(&out[1].0), ["vol-2"]);
}

#[test]
fn nested_items_are_found_and_references_do_not_link() {
    // The reservation names no resource: its instance does. The instance's vpcId names the
    // VPC, but the instance's own id decides what the item describes.
    let body = json!({"DescribeInstancesResponse": {"reservationSet": {"item": [
        {"reservationId": "r-1", "ownerId": ACCOUNT, "instancesSet": {"item": [
            {"instanceId": "i-1", "vpcId": "vpc-1", "imageId": "ami-1"}]}}]}}});
    let out = linked(captured("EC2", "DescribeInstances", &[], body));
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(short(&out[0].0), ["i-1"]);
    assert_eq!(
        out[0].1.as_deref(),
        Some("/DescribeInstancesResponse/reservationSet/item/0/instancesSet/item/0")
    );
}

#[test]
fn an_answer_that_names_nothing_describes_what_its_request_named() {
    let body = json!({"ServerSideEncryptionConfiguration": {"Rule": {
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}}});
    let out = linked(captured(
        "S3",
        "GetBucketEncryption",
        &["phi-data", "encryption"],
        body.clone(),
    ));
    assert_eq!(
        out,
        vec![(vec!["arn:aws:s3:::phi-data".to_string()], None, body)]
    );
    // Naming only the account links nothing.
    let out = linked(captured(
        "S3",
        "GetBucketEncryption",
        &[ACCOUNT],
        json!({"x": 1}),
    ));
    assert!(out.is_empty(), "{out:?}");
}

#[test]
fn an_account_setting_describes_the_account_wide_resource_of_its_region() {
    let body = json!({"GetEbsEncryptionByDefaultResponse": {"ebsEncryptionByDefault": "false"}});
    let out = linked(captured("EC2", "GetEbsEncryptionByDefault", &[], body));
    assert_eq!(out.len(), 1);
    assert_eq!(short(&out[0].0), ["ebs-encryption-by-default"]);
    // Another region's setting is not this region's resource.
    let mut c = captured("EC2", "GetEbsEncryptionByDefault", &[], json!({"a": "b"}));
    c.region = Some("us-east-1".into());
    assert!(link(&inventory(), Some(ACCOUNT), vec![c]).is_empty());
}

#[test]
fn other_accounts_and_one_field_references_are_not_linked() {
    let mut c = captured(
        "EC2",
        "DescribeVolumes",
        &[],
        json!({"volumeSet": {"item": [{"volumeId": "vol-1", "size": "8"}]}}),
    );
    c.account = Some("999999999999".into());
    assert!(link(&inventory(), Some(ACCOUNT), vec![c]).is_empty());
    let out = linked(captured(
        "EC2",
        "DescribeThings",
        &[],
        json!({"things": [{"thing": {"volumeId": "vol-1"}, "other": "x"}]}),
    ));
    assert!(out.is_empty(), "{out:?}");
}

#[test]
fn a_short_name_counts_only_in_a_call_about_its_kind() {
    let recorders = json!({"ConfigurationRecorders": [{"name": "plain", "roleARN": "arn:r"}]});
    let out = linked(captured(
        "Config Service",
        "DescribeConfigurationRecorders",
        &[],
        recorders,
    ));
    assert!(out.is_empty(), "{out:?}");
    let full = json!({"Things": [{"name": "x", "ResourceArn": "arn:aws:ec2:eu-west-1:123456789012:volume/vol-1"}]});
    let out = linked(captured("Other", "ListThings", &[], full));
    assert_eq!(out.len(), 1, "a full id names its resource anywhere");
}

#[test]
fn what_the_call_is_about_beats_a_reference_by_full_id() {
    // `volumeName` names a volume in DescribeVolumes; the full ARN is a reference.
    let body = json!({"item": [{"volumeName": "plain", "kmsKeyArn": "arn:aws:s3:::phi-data"}]});
    let out = linked(captured("EC2", "DescribeVolumes", &[], body));
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(short(&out[0].0), ["vol-1"]);
}

#[test]
fn key_words_and_ranks() {
    assert_eq!(
        words("DBInstanceIdentifier"),
        ["db", "instance", "identifier"]
    );
    assert_eq!(words("volumeSet"), ["volume", "set"]);
    assert_eq!(
        words("AwsS3AccountPublicAccessBlock"),
        ["aws", "s3", "account", "public", "access", "block"]
    );
    let ctx = vec!["db".to_string(), "instances".to_string()];
    assert_eq!(key_rank("DBInstanceArn", &ctx, "awsrdsinstance", true), 2);
    assert_eq!(key_rank("KmsKeyId", &ctx, "awskmskey", true), 1);
    assert_eq!(key_rank("selfLink", &ctx, "gcpcomputedisk", true), 3);
    assert_eq!(key_rank("Description", &ctx, "awsrdsinstance", false), 0);
}

#[test]
fn nothing_is_kept_while_capture_is_off() {
    let store = Store::default();
    set_capture(false);
    store.push(captured("EC2", "DescribeVolumes", &[], json!({"a": 1})));
    assert!(store.is_empty());
    set_capture(true);
    store.push(captured("EC2", "DescribeVolumes", &[], json!({"a": 1})));
    set_capture(false);
    assert_eq!(store.take().len(), 1);
}

#[test]
fn request_names_are_decoded() {
    assert_eq!(
        url_names(
            "https://h/storage/v1/b/my%20bucket/iam?alt=json&pageToken=t",
            &["pageToken"]
        ),
        ["storage", "v1", "b", "my bucket", "iam", "json"]
    );
    assert_eq!(
        body_names(b"Action=DescribeVolumes&VolumeId.1=vol-1"),
        ["DescribeVolumes", "vol-1"]
    );
    assert_eq!(body_names(br#"{"KeyId": "k-1", "n": 1}"#), ["k-1"]);
}
