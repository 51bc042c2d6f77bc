//! `Microsoft.Web`: App Service web apps and their site configuration.
//!
//! The list gives `httpsOnly`; the TLS minimum and the FTP state are read from each app's
//! `config/web`, since list items carry a `siteConfig` whose fields ARM leaves unset. An app
//! whose configuration cannot be read is an error for that app alone: it stays, its site
//! config `None`, and the engine reports ERROR for it.

use futures::future::join_all;
use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::{fail, fail_on, versions};
use crate::model::azure::WebApp;
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct SiteProperties {
    https_only: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct SiteConfig {
    min_tls_version: Option<String>,
    scm_min_tls_version: Option<String>,
    ftps_state: Option<String>,
}

/// WebApps_List, then WebApps_GetConfiguration per app.
pub async fn web_apps(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureWebApp;
    let op = Op::new("Microsoft.Web", "WebApps_List", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Web/sites");
    let sites = match arm
        .list::<Item<SiteProperties>>(&path, versions::WEB, &[], &op)
        .await
    {
        Ok(s) => s,
        Err(e) => {
            inv.errors.push(fail(sub, None, kind, &e));
            return inv;
        }
    };
    let configs = join_all(sites.iter().map(|s| {
        let region = s.location();
        let op = Op::new("Microsoft.Web", "WebApps_GetConfiguration", sub).in_region(&region);
        async move {
            let path = format!("{}/config/web", s.id);
            arm.get::<Item<SiteConfig>>(&path, versions::WEB, &op).await
        }
    }))
    .await;
    for (s, config) in sites.iter().zip(configs) {
        let resource = s.resource(kind, sub);
        let config = match config {
            Ok(c) => c.properties,
            Err(e) => {
                inv.errors
                    .push(fail_on(&resource, "WebApps_GetConfiguration", &e));
                SiteConfig::default()
            }
        };
        inv.azure_web_apps.push(WebApp {
            resource,
            kind: s.kind.clone(),
            https_only: s.properties.https_only,
            min_tls_version: config.min_tls_version,
            scm_min_tls_version: config.scm_min_tls_version,
            ftps_state: config.ftps_state,
        });
    }
    inv
}
