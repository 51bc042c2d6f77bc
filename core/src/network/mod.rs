//! Network facts every cloud's segmentation checks share: address ranges ([`Cidr`]: parse,
//! contain, overlap, private ranges) and the one table of database and administrative ports
//! ([`ports`]). They live in the core rather than in phiscan-checks because the
//! configuration (`segmentation.admin_cidrs`, the `params.db_ports` defaults) is validated
//! and built from them.

mod cidr;
pub mod ports;

pub use cidr::{Cidr, CidrError};
