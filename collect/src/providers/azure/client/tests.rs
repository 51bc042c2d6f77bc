use azure_core::http::policies::PolicyResult;

use super::*;

#[test]
fn reasons_name_the_code_and_what_to_do() {
    let e = ArmError {
        status: Some(409),
        code: "MissingSubscriptionRegistration".into(),
        message: "The subscription is not registered to use namespace 'Microsoft.DBforMySQL'. See https://aka.ms/rps-not-found for how to register subscriptions.".into(),
        operation: "Servers_List",
    };
    let r = e.reason();
    assert!(
        r.starts_with("MissingSubscriptionRegistration (HTTP 409) on Servers_List"),
        "{r}"
    );
    assert!(
        r.contains("az provider register --namespace Microsoft.DBforMySQL"),
        "{r}"
    );
    let throttled = ArmError {
        status: Some(429),
        code: "TooManyRequests".into(),
        message: "slow down".into(),
        operation: "Vaults_List",
    };
    assert!(throttled
        .reason()
        .contains("still throttling after 3 retries"));
}

#[derive(Debug)]
struct NoAuth;

#[async_trait::async_trait]
impl Policy for NoAuth {
    async fn send(
        &self,
        ctx: &Context,
        req: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        next[0].send(ctx, req, &next[1..]).await
    }
}

fn arm(base: &str, overridden: bool) -> Arm {
    Arm::new(ArmConfig {
        base: Url::parse(base).unwrap(),
        overridden,
        auth: Arc::new(NoAuth),
        max_concurrency: 1,
        max_retry_after: std::time::Duration::from_secs(1),
    })
}

#[test]
fn next_links_stay_on_the_chosen_endpoint() {
    let op = Op::new("Microsoft.Compute", "Disks_List", "s");
    let next = "https://management.azure.com/subscriptions/s/providers/Microsoft.Compute/disks?api-version=2025-01-02&$skiptoken=abc";
    let over = arm("http://127.0.0.1:8080", true);
    assert_eq!(
        over.follow(next, "2025-01-02", &op).unwrap().as_str(),
        "http://127.0.0.1:8080/subscriptions/s/providers/Microsoft.Compute/disks?api-version=2025-01-02&$skiptoken=abc"
    );
    let public = arm("https://management.azure.com", false);
    assert!(public.follow(next, "2025-01-02", &op).is_ok());
    let e = public
        .follow("https://elsewhere.example/x?api-version=1", "1", &op)
        .unwrap_err();
    assert!(e.message.contains("another host"), "{e:?}");
    // A link without api-version gets the pinned one.
    let url = public
        .follow(
            "https://management.azure.com/x?$skiptoken=1",
            "2025-01-02",
            &op,
        )
        .unwrap();
    assert!(url.as_str().ends_with("api-version=2025-01-02"), "{url}");
    assert_eq!(
        public
            .url("/v/items", "2025-02-01", &[("$filter", "type eq 'VM'")])
            .as_str(),
        "https://management.azure.com/v/items?api-version=2025-02-01&$filter=type%20eq%20%27VM%27"
    );
}

#[test]
fn transport_errors_lose_their_query_strings() {
    let s = redact_urls("error sending request for url (http://127.0.0.1:1/subscriptions?api-version=2022-12-01&$skiptoken=abc)");
    assert_eq!(
        s,
        "error sending request for url (http://127.0.0.1:1/subscriptions)"
    );
}
