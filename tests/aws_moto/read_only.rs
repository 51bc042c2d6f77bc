//! The scan only reads, and the README's IAM policy grants only reads.

use super::*;

/// Operations the collectors call that moto 5.2.5 does not implement (answered with a bare
/// HTTP 404): the collectors record them as collection errors.
const MOTO_UNIMPLEMENTED: [&str; 1] = ["ListRecoveryPointsByBackupVault"];

/// `Search` reads too: EC2's SearchTransitGatewayRoutes lists a route table's routes (IAM
/// access level List).
pub(super) fn is_read_only(op: &str) -> bool {
    ["Describe", "List", "Get", "Head", "Search"]
        .iter()
        .any(|p| op.starts_with(p))
}

#[test]
fn scan_is_read_only() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("scenario");
    moto.api("/moto-api/recorder/start-recording", "");
    let (report, code, stderr) = scan(&moto, &["--collect-all"]);
    let expected_code = if truth["errors"].as_array().is_some_and(|e| !e.is_empty()) {
        3
    } else {
        1
    };
    assert_eq!(code, expected_code, "{stderr}");
    moto.api("/moto-api/recorder/stop-recording", "");

    // What phiscan says it called ...
    let calls = report["scan"]["api_calls"].as_array().unwrap();
    let ops: Vec<&str> = calls
        .iter()
        .map(|c| c["operation"].as_str().unwrap())
        .collect();
    let writes: Vec<&&str> = ops.iter().filter(|op| !is_read_only(op)).collect();
    assert!(writes.is_empty(), "non-read operations logged: {writes:?}");
    for kind_op in [
        "GetCallerIdentity",
        "DescribeVolumes",
        "DescribeSnapshotAttribute",
        "GetBucketPolicy",
        "GetPublicAccessBlock",
        "DescribeDBInstances",
        "DescribeSSLPolicies",
        "GetKeyPolicy",
        "GetTrailStatus",
        "DescribeFlowLogs",
        "DescribeRouteTables",
        // Issue 4 part B.
        "ListPolicies",
        "GetPolicyVersion",
        "GetAccountAuthorizationDetails",
        "GetAccountSummary",
        "GetAccountPasswordPolicy",
        "DescribeLogGroups",
        "ListCertificates",
        "DescribeCertificate",
        "DescribeNetworkAcls",
        // Data protection and backup.
        "DescribeDBClusters",
        "DescribeDBParameterGroups",
        "DescribeDBClusterParameterGroups",
        "DescribeDBParameters",
        "DescribeDBSnapshots",
        "DescribeDBSnapshotAttributes",
        "ListBackupVaults",
        "ListRecoveryPointsByBackupVault",
        "ListAliases",
        "DescribeKey",
        "DescribeFileSystems",
        "ListTables",
        "DescribeTable",
        "DescribeContinuousBackups",
        // Edges, identity, detection and backups (issue 17).
        "DescribeDBClusterSnapshots",
        "ListUsers",
        "GetLoginProfile",
        "ListMFADevices",
        "ListAccessKeys",
        "GetAccessKeyLastUsed",
        "GetEventSelectors",
        "ListDetectors",
        "GetDetector",
        "DescribeConfigurationRecorders",
        "DescribeConfigurationRecorderStatus",
        "ListDistributions",
        "GetDomainNames",
        "DescribeLoadBalancerPolicies",
        // Data stores (issue 17, first half).
        "DescribeReplicationGroups",
        "DescribeServerlessCaches",
        "DescribeClusters",
        "DescribeClusterParameters",
        "DescribeLoggingStatus",
        "ListDomainNames",
        "DescribeDomains",
        "ListQueues",
        "GetQueueAttributes",
        "ListTopics",
        "GetTopicAttributes",
        "ListStreams",
        "DescribeStreamSummary",
        "ListSecrets",
        "ListQueueTags",
        "ListTagsForResource",
        "ListTagsForStream",
        "ListTags",
        // Segmentation and third parties (issue 14).
        "DescribeTargetGroups",
        "DescribeVpcPeeringConnections",
        "DescribeTransitGatewayAttachments",
        "DescribeTransitGatewayRouteTables",
        "GetTransitGatewayRouteTableAssociations",
        "GetTransitGatewayRouteTablePropagations",
        "SearchTransitGatewayRoutes",
    ] {
        assert!(ops.contains(&kind_op), "{kind_op} not logged: {ops:?}");
    }

    // ... the README's read-only policy allows each of them ...
    let allowed = readme_policy_actions();
    let missing: std::collections::BTreeSet<String> = calls
        .iter()
        .map(|c| {
            iam_action(
                c["service"].as_str().unwrap(),
                c["operation"].as_str().unwrap(),
            )
        })
        .filter(|a| !allowed.contains(a))
        .collect();
    assert!(
        missing.is_empty(),
        "README's IAM policy lacks actions the scan calls: {missing:?}"
    );

    // ... and what moto received: every request a read, as many as logged.
    let received = assert_moto_received_only_reads(&moto);
    // moto's recorder only records requests it routes to a service: an operation moto does
    // not implement gets a bare HTTP 404 page and is not recorded. Those must be exactly the
    // known gaps.
    let unrouted: BTreeSet<&str> = calls
        .iter()
        .filter(|c| c["error_code"] == "HTTP404")
        .map(|c| c["operation"].as_str().unwrap())
        .collect();
    assert!(
        unrouted.iter().all(|op| MOTO_UNIMPLEMENTED.contains(op)),
        "{unrouted:?}"
    );
    let routed = calls
        .iter()
        .filter(|c| c["error_code"] != "HTTP404")
        .count();
    assert_eq!(
        received, routed,
        "every request moto received is in scan.api_calls"
    );
}

/// Every request moto's recorder holds is a read (by its Action, X-Amz-Target, or REST
/// method); returns how many there were.
pub(super) fn assert_moto_received_only_reads(moto: &Moto) -> usize {
    let recording = std::fs::read_to_string(moto.dir.path().join("recording.jsonl")).unwrap();
    let mut received = 0;
    for line in recording.lines().filter(|l| !l.trim().is_empty()) {
        let req: Value = serde_json::from_str(line).unwrap();
        received += 1;
        let method = req["method"].as_str().unwrap();
        let headers = req["headers"].as_object().unwrap();
        let target = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("x-amz-target"))
            .and_then(|(_, v)| v.as_str());
        let body = match (req["body"].as_str(), req["body_encoded"].as_bool()) {
            (Some(b), Some(true)) => String::from_utf8(base64_decode(b)).unwrap_or_default(),
            (Some(b), _) => b.to_string(),
            _ => String::new(),
        };
        let action = body
            .split('&')
            .find_map(|kv| kv.strip_prefix("Action="))
            .map(str::to_string);
        let op = match (target, action) {
            (Some(t), _) => t.rsplit('.').next().unwrap().to_string(),
            (None, Some(a)) => a,
            // REST (S3, S3 Control, OpenSearch): the method says whether it reads, except
            // for the REST reads that POST their input.
            (None, None) => {
                let url = req["url"].as_str().unwrap_or_default();
                assert!(
                    matches!(method, "GET" | "HEAD") || is_post_read(url),
                    "{method} {url} sent to moto",
                );
                continue;
            }
        };
        assert!(is_read_only(&op), "{op} sent to moto");
    }
    received
}

/// REST operations that read with a POST: OpenSearch DescribeDomains sends its list of
/// names as a body (`POST /2021-01-01/opensearch/domain-info`).
fn is_post_read(url: &str) -> bool {
    url.split('?')
        .next()
        .is_some_and(|path| path.ends_with("/2021-01-01/opensearch/domain-info"))
}

/// The `Action` list of the read-only IAM policy in README.md (the ```json block after the
/// `phiscan-aws-read-only-policy` marker).
pub(super) fn readme_policy_actions() -> std::collections::BTreeSet<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let (_, after) = readme
        .split_once("<!-- phiscan-aws-read-only-policy -->")
        .expect("README has the AWS policy marker");
    let body = after
        .split_once("```json\n")
        .and_then(|(_, b)| b.split_once("```"))
        .expect("a ```json block follows the marker")
        .0;
    let policy: Value = serde_json::from_str(body).expect("the README policy is JSON");
    let statements = policy["Statement"].as_array().expect("Statement array");
    let mut actions = std::collections::BTreeSet::new();
    for st in statements {
        assert_eq!(st["Effect"], "Allow", "{st}");
        assert_eq!(st["Resource"], "*", "{st}");
        for a in st["Action"].as_array().expect("Action array") {
            actions.insert(a.as_str().unwrap().to_string());
        }
    }
    actions
}

/// The IAM action that authorizes `operation` of the SDK's `service`: the operation name
/// with the service's IAM prefix, except where IAM names the permission differently.
pub(super) fn iam_action(service: &str, operation: &str) -> String {
    let prefix = match service {
        "STS" => "sts",
        "EC2" => "ec2",
        "S3" | "S3 Control" => "s3",
        "RDS" => "rds",
        "KMS" => "kms",
        "Elastic Load Balancing v2" => "elasticloadbalancing",
        "CloudTrail" => "cloudtrail",
        "Backup" => "backup",
        "EFS" => "elasticfilesystem",
        "DynamoDB" => "dynamodb",
        "IAM" => "iam",
        "CloudWatch Logs" => "logs",
        "ACM" => "acm",
        // Edges, identity, detection (issue 17).
        "CloudFront" => "cloudfront",
        "API Gateway" => "apigateway",
        "Elastic Load Balancing" => "elasticloadbalancing",
        "GuardDuty" => "guardduty",
        "Config Service" => "config",
        "ElastiCache" => "elasticache",
        "Redshift" => "redshift",
        "OpenSearch" => "es",
        "SQS" => "sqs",
        "SNS" => "sns",
        "Kinesis" => "kinesis",
        "Secrets Manager" => "secretsmanager",
        other => panic!("service {other:?}: add its IAM prefix here and its actions to README"),
    };
    let action = match (service, operation) {
        ("S3", "ListBuckets") => "ListAllMyBuckets",
        ("S3", "GetBucketEncryption") => "GetEncryptionConfiguration",
        ("S3", "GetPublicAccessBlock") => "GetBucketPublicAccessBlock",
        ("S3", "HeadBucket") => "ListBucket",
        ("S3 Control", "GetPublicAccessBlock") => "GetAccountPublicAccessBlock",
        // API Gateway authorizes by HTTP verb on the resource path: reading
        // /domainnames is `apigateway:GET`.
        ("API Gateway", _) if operation.starts_with("Get") => return "apigateway:GET".into(),
        _ => operation,
    };
    format!("{prefix}:{action}")
}

/// The README's policy parses, grants only reads and names no action twice; no moto needed.
#[test]
fn readme_policy_is_read_only() {
    let actions = readme_policy_actions();
    assert!(actions.len() > 40, "{actions:?}");
    for a in &actions {
        let (prefix, op) = a.split_once(':').expect("service:Action");
        assert!(!prefix.is_empty() && !op.contains('*'), "{a}: no wildcards");
        // API Gateway names its permissions by HTTP verb; GET reads.
        assert!(
            is_read_only(op) || a == "apigateway:GET",
            "{a} is not a read"
        );
    }
    assert_eq!(
        iam_action("S3 Control", "GetPublicAccessBlock"),
        "s3:GetAccountPublicAccessBlock"
    );
    assert!(
        actions.contains("ec2:DescribeRegions"),
        "the region listing of a scan without --regions"
    );
}

/// Just enough base64 for moto's recorder (standard alphabet, padded).
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, c)| n | (u32::from(val(*c)) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}
