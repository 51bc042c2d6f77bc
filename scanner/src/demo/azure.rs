use chrono::{DateTime, Utc};

use crate::model::Inventory;

pub(super) fn add(_inv: &mut Inventory, _now: DateTime<Utc>) {}
