//! EC2: volumes, encryption by default, snapshots, security groups, instances, subnets,
//! VPCs, network ACLs, the paths between VPCs (peerings, transit gateway attachments). One
//! function per kind; each lists with the SDK paginator and reports a failed
//! call as a collection error for its kind in the region.
//!
//! One module per service area: [`ebs`] (volumes, encryption by default, snapshots),
//! [`instances`], [`security_groups`], [`vpc`] (VPCs, subnets, network ACLs), [`paths`]
//! (VPC peerings, transit gateway attachments and their route tables).

use aws_sdk_ec2::types::Tag;

use crate::model::Tags;

pub(crate) fn tags(t: &[Tag]) -> Tags {
    super::tags_of(t, Tag::key, Tag::value)
}

/// Collect every page of an EC2 list call, holding one permit for the whole listing.
/// With a kind and an action, a failed listing is recorded as that kind's error in the
/// region and the result is `None`.
macro_rules! pages {
    ($aws:expr, $shared:expr, $req:expr, $field:ident) => {{
        let _permit = $aws.permit("EC2", &$shared.region).await;
        let pages: Result<Vec<_>, _> = $req.into_paginator().send().collect().await;
        pages.map(|p| {
            p.into_iter()
                .flat_map(|o| o.$field.unwrap_or_default())
                .collect::<Vec<_>>()
        })
    }};
    ($aws:expr, $shared:expr, $req:expr, $field:ident, $kind:expr, $action:literal) => {
        match pages!($aws, $shared, $req, $field) {
            Ok(v) => Some(v),
            Err(e) => {
                $aws.error(
                    Some(&$shared.region),
                    $kind,
                    $crate::providers::aws::reason(&e, $action),
                );
                None
            }
        }
    };
}

mod ebs;
mod instances;
mod paths;
mod security_groups;
mod vpc;

pub(crate) use ebs::{encryption_default, snapshots, volumes};
pub(crate) use instances::instances;
pub(crate) use paths::{peerings, transit_gateway_attachments};
pub(crate) use security_groups::security_groups;
pub(crate) use vpc::{network_acls, subnets, vpcs};
