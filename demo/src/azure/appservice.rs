//! App Service: the patient portal, hardened, and the partner intake API, deployed by FTP
//! since 2019.

use super::{arm_ref, EAST};
use crate::model::azure::WebApp;
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    inv.azure_web_apps = vec![
        web_app(
            "app-qolty-patient-portal",
            "rg-ephi-prod",
            true,
            "1.2",
            "Disabled",
        ),
        web_app(
            "app-qolty-partner-intake",
            "rg-qolty-legacy",
            false,
            "1.0",
            "AllAllowed",
        ),
    ];
}

fn web_app(name: &str, rg: &str, https_only: bool, tls: &str, ftps: &str) -> WebApp {
    WebApp {
        resource: arm_ref(
            ResourceKind::AzureWebApp,
            EAST,
            rg,
            "Microsoft.Web/sites",
            name,
        ),
        kind: Some("app,linux".into()),
        https_only: Some(https_only),
        min_tls_version: Some(tls.into()),
        scm_min_tls_version: Some(tls.into()),
        ftps_state: Some(ftps.into()),
    }
}
