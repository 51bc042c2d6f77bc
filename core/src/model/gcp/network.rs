//! GCP VPC networks with their peerings (`networks.list`), read for the segmentation checks
//! (issue 14).

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// A VPC network (global). Networks carry no labels: which customer a network belongs to
/// is read from the labels of the instances on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub resource: ResourceRef,
    /// `selfLink`: instances, firewalls and peerings name the network by it.
    pub self_link: String,
    #[serde(default)]
    pub peerings: Vec<NetworkPeering>,
}

/// One `peerings[]` entry of a network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkPeering {
    pub name: String,
    /// `network`: URL of the peer network (possibly in another project).
    pub network: String,
    /// `ACTIVE` or `INACTIVE`.
    #[serde(default)]
    pub state: Option<String>,
}
