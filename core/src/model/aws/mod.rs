//! AWS resources, shaped after the EC2 / S3 / RDS / ELBv2 / KMS / CloudTrail / IAM /
//! CloudWatch Logs / ACM API responses, keeping exactly the fields checks read. Names follow
//! the API where they can.
//!
//! One file per service, re-exported here: `model::aws::EbsVolume`.

mod acm;
mod backup;
mod cloudtrail;
mod detection;
mod dynamodb;
mod ebs;
mod ec2;
mod edges;
mod efs;
mod elbv2;
mod iam;
mod kms;
mod logs;
mod rds;
mod s3;
mod vpc;
// Data stores (issue 17).
mod elasticache;
mod messaging;
mod opensearch;
mod redshift;
mod secretsmanager;

pub use acm::AcmCertificate;
pub use backup::{BackupRecoveryPoint, BackupVault};
pub use cloudtrail::{CloudTrail, S3DataEvents};
pub use detection::{ConfigRecorder, ConfigRecorderRegion, GuardDutyDetector, GuardDutyRegion};
pub use dynamodb::DynamoDbTable;
pub use ebs::{EbsEncryptionDefault, EbsSnapshot, EbsVolume};
pub use ec2::{Ec2Instance, SecurityGroup, SgRule};
pub use edges::{
    ApiGatewayDomainName, CacheBehaviorPolicy, ClassicListener, CloudFrontDistribution,
    ElbClassicLoadBalancer,
};
pub use efs::EfsFileSystem;
pub use elbv2::{Elbv2Listener, Elbv2TargetGroup, ListenerAction};
pub use iam::{
    IamAccessKey, IamPasswordPolicy, IamPolicy, IamRole, IamRootAccount, IamUser, PasswordPolicy,
};
pub use kms::KmsKey;
pub use logs::LogGroup;
pub use rds::{RdsCluster, RdsClusterSnapshot, RdsInstance, RdsParameterGroup, RdsSnapshot};
pub use s3::{PublicAccessBlock, S3AccountPublicAccessBlock, S3Bucket, S3DefaultEncryption};
pub use vpc::{
    FlowLog, NaclEntry, NetworkAcl, PeerVpc, Subnet, TgwRoute, TgwRouteTable,
    TransitGatewayAttachment, Vpc, VpcPeering,
};
// Data stores (issue 17).
pub use elasticache::{ElastiCacheReplicationGroup, ElastiCacheServerlessCache};
pub use messaging::{KinesisStream, SnsTopic, SqsQueue};
pub use opensearch::OpenSearchDomain;
pub use redshift::RedshiftCluster;
pub use secretsmanager::Secret;
