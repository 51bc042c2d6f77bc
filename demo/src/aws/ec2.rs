//! EC2: instances and their security groups (the checks in `checks/src/aws/ec2/`).

use super::{
    ec2_ref, protected, strings, ALB_SG, APP_SG, BASTION, BASTION_SG, DB_SG, E1, EHR_APP,
    LEGACY_SG, LEGACY_WORKER, PRIVATE_A, PROD_VPC, PUBLIC_A, PUBLIC_B,
};
use super::{DR_BASTION_SG, DR_VPC, EHR_CUSTOMER, LEGACY_CUSTOMER, W2};
use crate::config::{ADMIN_CIDR, BASTION_TAG, CUSTOMER_TAG};
use crate::model::aws::{Ec2Instance, SecurityGroup, SgRule};
use crate::model::{Inventory, ResourceKind as K};

const OFFICE: &str = "203.0.113.0/24";
const WORLD: [&str; 2] = ["0.0.0.0/0", "::/0"];

pub(super) fn add(inv: &mut Inventory) {
    security_groups(inv);
    instances(inv);
}

/// A running instance in the production VPC with IMDSv2 required and no public IP.
fn instance(id: &str, name: &str, subnet: &str, sg: &str) -> Ec2Instance {
    Ec2Instance {
        resource: ec2_ref(K::AwsEc2Instance, E1, "instance", id, name),
        state: "running".into(),
        imds_http_tokens: Some("required".into()),
        imds_http_endpoint: Some("enabled".into()),
        public_ip: None,
        subnet_id: Some(subnet.into()),
        vpc_id: Some(PROD_VPC.into()),
        security_groups: strings(&[sg]),
    }
}

fn instances(inv: &mut Inventory) {
    let mut ehr_app = instance(EHR_APP, "ehr-app-1", PRIVATE_A, APP_SG);
    ehr_app.resource = protected(ehr_app.resource).with_tag(CUSTOMER_TAG, EHR_CUSTOMER);
    // Internet-facing by design: the policies' single entry point for administrators.
    let mut bastion = instance(BASTION, "bastion", PUBLIC_A, BASTION_SG);
    bastion.resource = bastion.resource.with_tag(BASTION_TAG.0, BASTION_TAG.1);
    bastion.public_ip = Some("198.51.100.20".into());
    let mut worker = instance(
        LEGACY_WORKER,
        "legacy-reporting-worker",
        PUBLIC_B,
        LEGACY_SG,
    );
    worker.public_ip = Some("198.51.100.47".into());
    worker.resource = worker.resource.with_tag(CUSTOMER_TAG, LEGACY_CUSTOMER);
    worker.imds_http_tokens = Some("optional".into());
    let mut old_etl = instance("i-0d99e00f11a22b33c", "old-etl-worker", PUBLIC_A, LEGACY_SG);
    old_etl.state = "terminated".into();
    old_etl.imds_http_tokens = Some("optional".into());
    inv.aws_ec2_instances = vec![bastion, ehr_app, worker, old_etl];
}

fn tcp(port: i32, cidrs: &[&str], groups: &[&str]) -> SgRule {
    let (v6, v4): (Vec<&str>, Vec<&str>) = cidrs.iter().partition(|c| c.contains(':'));
    SgRule {
        protocol: "tcp".into(),
        from_port: Some(port),
        to_port: Some(port),
        ipv4_ranges: strings(&v4),
        ipv6_ranges: strings(&v6),
        source_groups: strings(groups),
        prefix_lists: vec![],
    }
}

fn sg(id: &str, name: &str, ingress: Vec<SgRule>, attached_to: &[&str]) -> SecurityGroup {
    SecurityGroup {
        resource: ec2_ref(K::AwsEc2SecurityGroup, E1, "security-group", id, name),
        group_id: id.into(),
        vpc_id: Some(PROD_VPC.into()),
        ingress,
        attached_to: strings(attached_to),
    }
}
fn security_groups(inv: &mut Inventory) {
    let admins = [APP_SG, BASTION_SG];
    inv.aws_ec2_security_groups = vec![
        sg(
            BASTION_SG,
            "bastion-sg",
            vec![tcp(22, &[OFFICE], &[])],
            &[BASTION],
        ),
        // The DR bastion's group, ready for a failover: SSH from the VPN only (the PASS of
        // aws-ec2-bastion-restricted; the prod bastion's office range is its FAIL).
        {
            let mut g = sg(
                DR_BASTION_SG,
                "dr-bastion-sg",
                vec![tcp(22, &[ADMIN_CIDR], &[])],
                &[],
            );
            g.resource = ec2_ref(
                K::AwsEc2SecurityGroup,
                W2,
                "security-group",
                DR_BASTION_SG,
                "dr-bastion-sg",
            )
            .with_tag(BASTION_TAG.0, BASTION_TAG.1);
            g.vpc_id = Some(DR_VPC.into());
            g
        },
        sg(
            ALB_SG,
            "ehr-portal-alb-sg",
            vec![tcp(443, &WORLD, &[]), tcp(80, &WORLD, &[])],
            &["ehr-portal-alb"],
        ),
        sg(
            APP_SG,
            "ehr-app-sg",
            vec![tcp(8443, &[], &[ALB_SG]), tcp(22, &[], &[BASTION_SG])],
            &[EHR_APP],
        ),
        sg(
            DB_SG,
            "ehr-db-sg",
            vec![tcp(5432, &[], &admins)],
            &["ehr-db-prod"],
        ),
        sg(
            LEGACY_SG,
            "legacy-reporting-sg",
            vec![tcp(22, &WORLD[..1], &[]), tcp(3306, &WORLD[..1], &[])],
            &["legacy-reporting-db", LEGACY_WORKER],
        ),
    ];
    // The EHR customer's tiers carry its tag: the database admits its app tier by that.
    for g in &mut inv.aws_ec2_security_groups {
        if g.group_id == APP_SG || g.group_id == DB_SG {
            g.resource = g.resource.clone().with_tag(CUSTOMER_TAG, EHR_CUSTOMER);
        }
    }
}
