//! Corrections to the ledger (issue 11): read, list, refund, void, chargeback and resolve, on
//! SQLite and (with DG_TEST_DATABASE_URL) PostgreSQL.

use crate::support::*;

struct Api<'a> {
    server: &'a Server,
    auth: String,
}

impl Api<'_> {
    fn post(&self, path: &str, body: &str) -> Resp {
        self.server.post(path, &[("authorization", &self.auth)], body.as_bytes())
    }
    fn get(&self, path: &str) -> Resp {
        self.server.get(path, &[("authorization", &self.auth)])
    }
    fn give(&self, sub: &serde_json::Value) -> serde_json::Value {
        let r = self.post("/v1/contributions", &sub.to_string());
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }
    fn state(&self, id: &str) -> serde_json::Value {
        let r = self.get(&format!("/v1/contributions/{id}"));
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }
}

fn lifecycle(backend: Backend) {
    let server = Server::start(Opts { backend, keys: vec![KEY.into()], ..Opts::default() });
    let api = Api { server: &server, auth: format!("Bearer {KEY}") };
    let run = unique();
    let since = {
        let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
        donation_guard::server::ledger::events::rfc3339(ms - 1)
    };
    let id = |n: &str| format!("lc-{run}-{n}");
    let donor = format!("Lifecycle{run}");

    // Authenticated like POST /v1/contributions.
    assert_eq!(server.get(&format!("/v1/contributions/{}", id("1")), &[]).status, 401);
    assert_eq!(server.post(&format!("/v1/contributions/{}/void", id("1")), &[], b"{}").status, 401);
    assert_eq!(server.get("/v1/contributions", &[]).status, 401);

    // $3,000 accepted; GET shows it, with no donor data.
    let first = contribution(&id("1"), &donor, "3000.00");
    let passport = first["donor"]["passport"]["number"].as_str().unwrap().to_owned();
    assert_eq!(api.give(&first)["decision"], "accept");
    let v = api.state(&id("1"));
    assert_eq!((v["decision"].as_str(), v["state"].as_str()), (Some("accept"), Some("accepted")), "{v}");
    assert_eq!((v["amount"].as_str(), v["counted"].as_str()), (Some("3000.00"), Some("3000.00")));
    assert_eq!(v["recorded"], true);
    assert_eq!(v["ruleset"], "us-federal-2025-2026");
    assert_eq!(v["events"], serde_json::json!([]));
    let text = v.to_string();
    for needle in
        [donor.as_str(), "Margaret", "example.org", passport.as_str(), &passport[passport.len() - 4..], "Linden"]
    {
        assert!(!text.contains(needle), "{needle} in {text}");
    }
    let r = api.get(&format!("/v1/contributions/{}", id("nope")));
    assert_eq!((r.status, r.error_code()), (404, "not_found".into()));

    // Over the limit now; a partial refund makes room.
    assert_eq!(api.give(&contribution(&id("2"), &donor, "1000.00"))["decision"], "reject");
    let refund = format!("/v1/contributions/{}/refund", id("1"));
    let r = api.post(&refund, r#"{"idempotency_key":"r1","amount":"1000.00","reason":"donor asked"}"#);
    assert_eq!(r.status, 200, "{}", r.text());
    let after = r.json();
    assert_eq!((after["counted"].as_str(), after["refunded"].as_str()), (Some("2000.00"), Some("1000.00")), "{after}");
    assert_eq!(after["events"][0]["type"], "refund");
    // A retry replays; the same key with another body is a conflict; the header key works too.
    let again = api.post(&refund, r#"{"idempotency_key":"r1","amount":"1000.00","reason":"donor asked"}"#);
    assert_eq!((again.status, again.header("idempotent-replayed")), (200, Some("true")));
    assert_eq!(again.text(), r.text());
    let r = api.post(&refund, r#"{"idempotency_key":"r1","amount":"999.00"}"#);
    assert_eq!((r.status, r.error_code()), (409, "id_conflict".into()));
    let r =
        server.post(&refund, &[("authorization", &api.auth), ("idempotency-key", "r2")], br#"{"amount":"2000.01"}"#);
    assert_eq!((r.status, r.error_code()), (409, "exceeds_remaining".into()), "{}", r.text());
    assert_eq!(api.state(&id("1"))["counted"], "2000.00");
    assert_eq!(api.give(&contribution(&id("3"), &donor, "1500.00"))["decision"], "accept");
    assert_eq!(api.give(&contribution(&id("4"), &donor, "0.01"))["decision"], "reject");
    // Refunding a rejected one: nothing was recorded.
    let r = api.post(&format!("/v1/contributions/{}/refund", id("2")), r#"{"idempotency_key":"x"}"#);
    assert_eq!((r.status, r.error_code()), (409, "not_recorded".into()));
    let r = api.post(&format!("/v1/contributions/{}/refund", id("nope")), r#"{"idempotency_key":"x"}"#);
    assert_eq!((r.status, r.error_code()), (404, "not_found".into()));
    // A void after a refund is refused; the full refund of the rest is not.
    let r = api.post(&format!("/v1/contributions/{}/void", id("1")), r#"{"idempotency_key":"v1"}"#);
    assert_eq!((r.status, r.error_code()), (409, "invalid_state".into()));
    let r = api.post(&refund, r#"{"idempotency_key":"r3"}"#);
    assert_eq!(r.json()["state"], "refunded", "{}", r.text());
    assert_eq!(r.json()["counted"], "0.00");

    // A declined card: void, and it stops counting.
    let other = format!("Declined{run}");
    assert_eq!(api.give(&contribution(&id("5"), &other, "3500.00"))["decision"], "accept");
    let r = api.post(&format!("/v1/contributions/{}/void", id("5")), r#"{"idempotency_key":"v","reason":"declined"}"#);
    assert_eq!((r.status, r.json()["state"].as_str()), (200, Some("voided")), "{}", r.text());
    assert_eq!(api.give(&contribution(&id("6"), &other, "3500.00"))["decision"], "accept");
    // A partial chargeback, then the rest.
    let cb = format!("/v1/contributions/{}/chargeback", id("6"));
    let r = api.post(&cb, r#"{"idempotency_key":"c1","amount":"500.00"}"#);
    assert_eq!((r.json()["state"].as_str(), r.json()["charged_back"].as_str()), (Some("accepted"), Some("500.00")));
    assert_eq!(api.give(&contribution(&id("7"), &other, "500.00"))["decision"], "accept");
    let r = api.post(&cb, r#"{"idempotency_key":"c2"}"#);
    assert_eq!(r.json()["state"], "charged_back", "{}", r.text());
    let r = api.post(&cb, r#"{"idempotency_key":"c3"}"#);
    assert_eq!((r.status, r.error_code()), (409, "invalid_state".into()));

    // Review items: no employer on $300 (itemization), resolved by a named reviewer.
    let reviews: Vec<String> = (0..3).map(|i| id(&format!("r{i}"))).collect();
    for (i, rid) in reviews.iter().enumerate() {
        let mut s = contribution(rid, &format!("Review{run}x{i}"), "300.00");
        s["donor"].as_object_mut().unwrap().remove("employer");
        assert_eq!(api.give(&s)["decision"], "review");
    }
    let resolve = |rid: &str| format!("/v1/contributions/{rid}/resolve");
    let r = api.post(&resolve(&reviews[0]), r#"{"idempotency_key":"s1","outcome":"accept","reason":"called"}"#);
    assert_eq!((r.status, r.error_code()), (400, "invalid_field".into()));
    assert_eq!(r.json()["error"]["field"], "reviewer");
    let r = api.post(
        &resolve(&reviews[0]),
        r#"{"idempotency_key":"s1","outcome":"reject","reviewer":"staff-7","reason":"no employer given"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(
        (v["state"].as_str(), v["counted"].as_str(), v["refunded"].as_str()),
        (Some("rejected"), Some("0.00"), Some("300.00"))
    );
    assert_eq!(
        (v["events"][0]["reviewer"].as_str(), v["events"][0]["type"].as_str()),
        (Some("staff-7"), Some("resolve_reject"))
    );
    let r = api.post(
        &resolve(&reviews[0]),
        r#"{"idempotency_key":"s2","outcome":"accept","reviewer":"staff-7","reason":"changed my mind"}"#,
    );
    assert_eq!((r.status, r.error_code()), (409, "not_in_review".into()));
    let r = api.post(
        &resolve(&reviews[1]),
        r#"{"idempotency_key":"s1","outcome":"accept","reviewer":"staff-8","reason":"employer confirmed by phone"}"#,
    );
    assert_eq!((r.json()["state"].as_str(), r.json()["counted"].as_str()), (Some("accepted"), Some("300.00")));
    let r = api.post(&resolve(&id("1")), r#"{"idempotency_key":"s1","outcome":"accept","reviewer":"a","reason":"b"}"#);
    assert_eq!((r.status, r.error_code()), (409, "not_in_review".into()));

    // The review queue: one item left; pages of 1 walk everything in order.
    let q = api.get(&format!("/v1/contributions?state=review&since={since}"));
    assert_eq!(q.status, 200, "{}", q.text());
    let items: Vec<String> =
        q.json()["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(items, vec![reviews[2].clone()]);
    assert!(q.json()["next_cursor"].is_null());
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let r = api.get(&format!("/v1/contributions?limit=2&since={since}{cursor}"));
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        seen.extend(v["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()));
        match v["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
        assert!(seen.len() < 100);
    }
    let mut expected: Vec<String> = ["1", "2", "3", "4", "5", "6", "7"].iter().map(|n| id(n)).collect();
    expected.extend(reviews.iter().cloned());
    assert_eq!(seen, expected);
    let rejects = api.get(&format!("/v1/contributions?decision=reject&since={since}")).json();
    let rejects: Vec<&str> = rejects["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(rejects, vec![id("2").as_str(), id("4").as_str()]);
    for bad in ["limit=0", "state=lost", "cursor=xyz", "since=tomorrow", "color=red"] {
        let r = api.get(&format!("/v1/contributions?{bad}"));
        assert_eq!((r.status, r.error_code()), (400, "invalid_field".into()), "{bad}");
    }
    // A correction without JSON is refused like a submission.
    let r = server.post(&refund, &[("authorization", &api.auth), ("content-type", "text/plain")], b"{}");
    assert_eq!(r.status, 415);
}

/// 20 concurrent $100 refunds of a $1,000 contribution: exactly 10 succeed; 10 retries of one
/// key at once give one refund and 9 replays of it.
fn concurrent_refunds(backend: Backend) {
    let server = Server::start(Opts { backend, ..Opts::default() });
    let run = unique();
    let id = format!("cr-{run}");
    let r = server.post(
        "/v1/contributions",
        &[],
        contribution(&id, &format!("Concurrent{run}"), "1000.00").to_string().as_bytes(),
    );
    assert_eq!(r.json()["decision"], "accept", "{}", r.text());
    let path = format!("/v1/contributions/{id}/refund");
    let send = |keys: Vec<String>| -> Vec<Resp> {
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(keys.len()));
        let handles: Vec<_> = keys
            .into_iter()
            .map(|k| {
                let (addr, path, barrier) = (server.addr.clone(), path.clone(), std::sync::Arc::clone(&barrier));
                std::thread::spawn(move || {
                    let body = format!(r#"{{"idempotency_key":"{k}","amount":"100.00"}}"#);
                    barrier.wait();
                    request(&addr, "POST", &path, &[("content-type", "application/json")], Some(body.as_bytes()))
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    };
    let same = send((0..10).map(|_| "one".to_owned()).collect());
    assert!(same.iter().all(|r| r.status == 200));
    assert_eq!(same.iter().filter(|r| r.header("idempotent-replayed").is_none()).count(), 1);
    let rest = send((0..20).map(|i| format!("k{i}")).collect());
    let ok = rest.iter().filter(|r| r.status == 200).count();
    assert_eq!(ok, 9, "{:?}", rest.iter().map(|r| r.text()).collect::<Vec<_>>());
    for r in rest.iter().filter(|r| r.status != 200) {
        assert_eq!(r.status, 409, "{}", r.text());
        assert!(["exceeds_remaining", "invalid_state"].contains(&r.error_code().as_str()), "{}", r.text());
    }
    let v = server.get(&format!("/v1/contributions/{id}"), &[]).json();
    assert_eq!(
        (v["state"].as_str(), v["counted"].as_str(), v["refunded"].as_str()),
        (Some("refunded"), Some("0.00"), Some("1000.00"))
    );
    assert_eq!(v["events"].as_array().unwrap().len(), 10);
}

#[test]
fn sqlite_concurrent_refunds() {
    concurrent_refunds(Backend::Sqlite);
}

#[test]
fn pg_concurrent_refunds() {
    if let Some(b) = Backend::postgres() {
        concurrent_refunds(b);
    }
}

#[test]
fn sqlite_lifecycle() {
    lifecycle(Backend::Sqlite);
}

#[test]
fn pg_lifecycle() {
    if let Some(b) = Backend::postgres() {
        lifecycle(b);
    }
}
