//! The HTTP service, end to end: the real binary on a random loopback port.
//! PostgreSQL variants run when DG_TEST_DATABASE_URL is set (tests/server/pg.sh sets it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod assets;
mod deploy;
mod forms;
mod ledger;
mod lifecycle;
mod sanctions;
mod split;
mod support;

use support::*;

fn strip_decision_id(body: &str) -> String {
    let i = body.rfind(",\"decision_id\":\"").unwrap_or_else(|| panic!("no decision_id: {body}"));
    assert!(body.ends_with("\"}"), "{body}");
    format!("{}}}", &body[..i])
}

#[test]
fn fixture_cases_give_the_clis_bytes() {
    // With a key, the caller is a server and its body's signals count, as in the CLI.
    let server = Server::start(Opts { keys: vec![KEY.into()], ..Opts::default() });
    let auth = format!("Bearer {KEY}");
    let cases = cases();
    assert!(cases.len() >= 70, "{}", cases.len());
    for (name, body) in cases {
        let expected = donation_guard::check_json(&body);
        let resp = server.post("/v1/check", &[("authorization", &auth)], &body);
        let text = resp.text();
        if expected.starts_with("{\"error\"") {
            assert!(resp.status == 400 || resp.status == 413, "{name}: {}", resp.status);
            assert_eq!(text, expected, "{name}");
        } else {
            assert_eq!(resp.status, 200, "{name}: {text}");
            assert_eq!(strip_decision_id(&text), expected, "{name}");
            let id = resp.json()["decision_id"].as_str().unwrap().to_owned();
            assert_eq!(id.len(), 36, "{id}");
        }
        assert!(resp.header("x-request-id").is_some_and(|v| !v.is_empty()), "{name}");
    }
}

#[test]
fn submission_errors_are_error_objects() {
    let server = Server::start(Opts::default());
    let r = server.post("/v1/check", &[], b"{\"donor\": {");
    assert_eq!((r.status, r.error_code()), (400, "invalid_json".into()), "{}", r.text());
    let r = server.post("/v1/check", &[], b"");
    assert_eq!((r.status, r.error_code()), (400, "invalid_json".into()));
    let r = server.post("/v1/check", &[], br#"{"contribution":{"amount":"25.00","tip":"5.00"}}"#);
    assert_eq!((r.status, r.error_code()), (400, "invalid_field".into()));
    assert_eq!(r.json()["error"]["field"], "contribution.tip");
    let r = server.post("/v1/check", &[], br#"{"id":1}"#);
    assert_eq!((r.status, r.error_code()), (400, "invalid_field".into()));
    // Over 64 KiB, announced or chunked.
    let big = format!(r#"{{"id":"{}"}}"#, "x".repeat(70_000));
    let r = server.post("/v1/check", &[], big.as_bytes());
    assert_eq!((r.status, r.error_code()), (413, "too_large".into()), "{}", r.text());
    let r = server.post("/v1/check", &[("transfer-encoding", "chunked")], big.as_bytes());
    assert_eq!((r.status, r.error_code()), (413, "too_large".into()), "{}", r.text());
    let r = server.post("/v1/contributions", &[], &vec![b' '; 5 * 1024 * 1024]);
    assert_eq!((r.status, r.error_code()), (413, "too_large".into()));
    // Exactly the limit is read (and is then a submission question, not a size one).
    let pad = 65_536 - r#"{"id":""}"#.len();
    let exact = format!(r#"{{"id":"{}"}}"#, " ".repeat(pad));
    let r = server.post("/v1/check", &[], exact.as_bytes());
    assert_eq!((r.status, r.error_code()), (400, "invalid_field".into()), "{}", r.text());
    // Huge nesting.
    for depth in [17, 1_000, 30_000] {
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let r = server.post("/v1/check", &[], deep.as_bytes());
        assert_eq!((r.status, r.error_code()), (413, "too_large".into()), "{depth}");
    }
    let deep = format!("{{\"donor\":{}1{}}}", "{\"a\":".repeat(40), "}".repeat(40));
    let r = server.post("/v1/contributions", &[], deep.as_bytes());
    assert_eq!((r.status, r.error_code()), (413, "too_large".into()));
    // Not JSON at all.
    let r = server.post("/v1/check", &[("content-type", "text/plain")], b"{}");
    assert_eq!((r.status, r.error_code()), (415, "unsupported_media_type".into()));
    let r = server.post("/v1/check", &[("content-type", "application/json; charset=utf-8")], b"{}");
    assert_eq!(r.status, 200);
    let r = server.post("/v1/check", &[], b"{\"id\":\"\xff\"}");
    assert_eq!((r.status, r.error_code()), (400, "invalid_json".into()));
    // The donor's value is never echoed.
    let r = server.post("/v1/check", &[], br#"{"donor":{"passport":{"number":123456789}}}"#);
    assert_eq!(r.status, 400);
    assert!(!r.text().contains("123456789"), "{}", r.text());
}

#[test]
fn routes_methods_and_request_ids() {
    let server = Server::start(Opts::default());
    let r = server.get("/v1/check", &[]);
    assert_eq!((r.status, r.error_code()), (405, "method_not_allowed".into()));
    assert_eq!(r.header("allow"), Some("POST"));
    let r = request(&server.addr, "PUT", "/v1/contributions", &[], Some(b"{}")).unwrap();
    assert_eq!((r.status, r.error_code()), (405, "method_not_allowed".into()));
    let r = request(&server.addr, "DELETE", "/healthz", &[], None).unwrap();
    assert_eq!(r.status, 405);
    let r = server.post("/v1/nothing", &[], b"{}");
    assert_eq!((r.status, r.error_code()), (404, "not_found".into()));
    let r = server.get("/no/such/file.js", &[]);
    assert_eq!((r.status, r.error_code()), (404, "not_found".into()));

    let r = server.get("/healthz", &[("x-request-id", "abc-123")]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-request-id"), Some("abc-123"));
    assert_eq!(r.json()["status"], "ok");
    assert_eq!(r.json()["ledger"], "sqlite");

    let r = server.get("/v1/rulesets/us-federal-2025-2026", &[]);
    assert_eq!(r.status, 200);
    let expected = donation_guard::ruleset::get("us-federal-2025-2026").unwrap().to_json_pretty();
    assert_eq!(r.text(), expected);
    let r = server.get("/v1/rulesets/us-ca-2026", &[]);
    assert_eq!((r.status, r.error_code()), (404, "not_found".into()));

    let r = server.get("/openapi.json", &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let doc = r.json();
    assert_eq!(doc["openapi"].as_str().unwrap().get(..3), Some("3.1"));
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/server/openapi.json")).unwrap();
    assert_eq!(r.text(), committed);
    for path in ["/v1/check", "/v1/contributions", "/v1/rulesets/{id}", "/healthz", "/metrics", "/openapi.json"] {
        assert!(doc["paths"].get(path).is_some(), "{path} is not in openapi.json");
    }

    // Every response has a request id, errors included, and they differ.
    let a = server.post("/v1/check", &[], b"nope");
    let b = server.post("/v1/check", &[], b"nope");
    let (a, b) = (a.header("x-request-id").unwrap().to_owned(), b.header("x-request-id").unwrap().to_owned());
    assert!(!a.is_empty() && a != b);

    server.post("/v1/check", &[], br#"{"donor":{"citizenship":"foreign_national"}}"#);
    let m = server.get("/metrics", &[]);
    assert_eq!(m.status, 200);
    assert!(m.header("content-type").unwrap().starts_with("text/plain"));
    let text = m.text();
    for needle in [
        "donation_guard_requests_total{route=\"/v1/check\",status=\"405\"} 1",
        "donation_guard_decisions_total{route=\"/v1/check\",decision=\"reject\"}",
        "donation_guard_findings_total{route=\"/v1/check\",code=\"foreign_national\"} 1",
        "donation_guard_errors_total{route=\"/v1/check\",code=\"invalid_json\"} 2",
        "donation_guard_request_duration_seconds_bucket{route=\"/v1/check\",le=\"+Inf\"}",
        "# TYPE donation_guard_request_duration_seconds histogram",
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
}

#[test]
fn api_keys() {
    let server =
        Server::start(Opts { keys: vec![KEY.into(), "second-key-abcdefghijklmnop".into()], ..Opts::default() });
    let body = br#"{"contribution":{"amount":"5"}}"#;
    let r = server.post("/v1/check", &[], body);
    assert_eq!((r.status, r.error_code()), (401, "unauthorized".into()));
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    let r = server.post("/v1/check", &[("authorization", "Bearer wrong-key-0123456789abcdef")], body);
    assert_eq!((r.status, r.error_code()), (401, "unauthorized".into()));
    let r = server.post("/v1/check", &[("authorization", &format!("Basic {KEY}"))], body);
    assert_eq!(r.status, 401);
    let r = server.post("/v1/contributions", &[("authorization", "Bearer x")], body);
    assert_eq!(r.status, 401);
    assert_eq!(server.get("/metrics", &[]).status, 401);
    assert_eq!(server.get("/v1/rulesets/us-federal-2025-2026", &[]).status, 401);
    assert_eq!(server.post("/v1/check", &[("authorization", &format!("Bearer {KEY}"))], body).status, 200);
    assert_eq!(server.post("/v1/check", &[("authorization", "Bearer second-key-abcdefghijklmnop")], body).status, 200);
    // Health, the document and the static files stay open.
    assert_eq!(server.get("/healthz", &[]).status, 200);
    assert_eq!(server.get("/openapi.json", &[]).status, 200);
    // A short key is refused at start.
    let out = std::process::Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--api-key", "short"])
        .env("DG_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn signals_come_from_servers_or_the_trusted_header() {
    let body = br#"{"contribution":{"amount":"5"},"signals":{"ip_country":"FR"}}"#;
    let has_foreign_ip = |r: &Resp| r.text().contains("\"foreign_ip\"");
    // Loopback without a key: a browser's claim about its own country is dropped.
    let open = Server::start(Opts::default());
    assert!(!has_foreign_ip(&open.post("/v1/check", &[], body)));
    let header =
        Server::start(Opts { args: vec!["--trusted-ip-header".into(), "CF-IPCountry".into()], ..Opts::default() });
    assert!(has_foreign_ip(&header.post("/v1/check", &[("cf-ipcountry", "FR")], b"{}")));
    assert!(!has_foreign_ip(&header.post("/v1/check", &[("cf-ipcountry", "US")], body)));
    let keyed = Server::start(Opts { keys: vec![KEY.into()], ..Opts::default() });
    assert!(has_foreign_ip(&keyed.post("/v1/check", &[("authorization", &format!("Bearer {KEY}"))], body)));
    let trusting = Server::start(Opts { args: vec!["--trust-body-signals".into()], ..Opts::default() });
    assert!(has_foreign_ip(&trusting.post("/v1/check", &[], body)));

    // The card's and the bank's country are the processor's facts too.
    let foreign_payment = |r: &Resp| r.text().matches("\"foreign_payment\"").count();
    let mut card = contribution("pay-1", "Okafor", "25.00");
    card["contribution"]["card"]["country"] = "RU".into();
    let card = serde_json::to_vec(&card).unwrap();
    let mut ach = contribution("pay-2", "Okafor", "25.00");
    ach["contribution"] =
        serde_json::json!({"amount": "25.00", "currency": "USD", "method": "ach", "bank_country": "RU"});
    let ach = serde_json::to_vec(&ach).unwrap();
    for body in [&card, &ach] {
        let r = open.post("/v1/check", &[], body);
        assert_eq!((r.status, foreign_payment(&r)), (200, 0), "{}", r.text());
        let r = keyed.post("/v1/check", &[("authorization", &format!("Bearer {KEY}"))], body);
        assert_eq!((r.status, foreign_payment(&r)), (200, 1), "{}", r.text());
        let r = trusting.post("/v1/check", &[], body);
        assert_eq!((r.status, foreign_payment(&r)), (200, 1), "{}", r.text());
    }
}

#[test]
fn the_widget_response_header_becomes_client_verdict() {
    let server = Server::start(Opts::default());
    let sub = contribution("cv-1", "Okafor", "25.00");
    let body = serde_json::to_vec(&sub).unwrap();
    let plain = server.post("/v1/check", &[], &body).json();
    assert_eq!(plain["decision"], "accept");
    let agree = serde_json::json!({
        "decision": "accept",
        "submission_digest": plain["submission_digest"],
        "ruleset_digest": plain["ruleset"]["digest"],
    })
    .to_string();
    let r = server.post("/v1/check", &[("donation-guard-response", &agree)], &body);
    assert_eq!(r.json()["findings"], serde_json::json!([]), "{}", r.text());
    let r = server.post("/v1/check", &[("donation-guard-response", r#"{"decision":"reject"}"#)], &body);
    assert_eq!(r.json()["findings"][0]["code"], "client_verdict_mismatch");
    assert_eq!(r.json()["decision"], "review");
    let r = server.post(
        "/v1/check",
        &[("donation-guard-response", r#"{"decision":"unavailable","reason":"load_failed"}"#)],
        &body,
    );
    assert_eq!(r.json()["decision"], "accept");
    let r = server.post("/v1/check", &[("donation-guard-response", "garbage")], &body);
    assert_eq!((r.status, r.error_code()), (400, "invalid_field".into()));
    // The header replaces a client_verdict in the body.
    let mut both = sub.clone();
    both["client_verdict"] = serde_json::json!({"decision": "reject"});
    let r = server.post("/v1/check", &[("donation-guard-response", &agree)], &serde_json::to_vec(&both).unwrap());
    assert_eq!(r.json()["findings"], serde_json::json!([]), "{}", r.text());

    // Recorded with the contribution: unavailable, mismatch.
    let r = server.post("/v1/contributions", &[("donation-guard-response", r#"{"decision":"unavailable"}"#)], &body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(row_text(&server.db, "cv-1", "client_verdict").as_deref(), Some("unavailable"));
    let sub2 = serde_json::to_vec(&contribution("cv-2", "Okafor", "25.00")).unwrap();
    server.post("/v1/contributions", &[("donation-guard-response", r#"{"decision":"reject"}"#)], &sub2);
    assert_eq!(row_text(&server.db, "cv-2", "client_verdict").as_deref(), Some("mismatch"));
}

#[test]
fn static_files_with_mime_types_and_csp() {
    let www = TempDir::new("www");
    std::fs::create_dir_all(www.path().join("demo")).unwrap();
    std::fs::write(www.path().join("demo/index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(www.path().join("engine.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(www.path().join("w.js"), "1").unwrap();
    std::fs::write(www.path().join("w.mjs"), "1").unwrap();
    let server = Server::start(Opts { www: Some(www.path().to_owned()), ..Opts::default() });
    let r = server.get("/demo/", &[]);
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let csp = r.header("content-security-policy").unwrap();
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert_eq!(server.get("/engine.wasm", &[]).header("content-type"), Some("application/wasm"));
    assert!(server.get("/w.js", &[]).header("content-type").unwrap().contains("javascript"));
    assert!(server.get("/w.mjs", &[]).header("content-type").unwrap().contains("javascript"));
    let r = server.get("/", &[]);
    assert_eq!((r.status, r.header("location")), (307, Some("/demo/")));
    let r = server.get("/demo", &[]);
    assert!(r.status == 301 || r.status == 307 || r.status == 308, "{}", r.status);
    let r = server.get("/../Cargo.toml", &[]);
    assert_eq!(r.status, 404);
}

#[test]
fn contributions_need_an_id_and_get_their_history_from_the_ledger() {
    let server = Server::start(Opts::default());
    let mut sub = contribution("x", "Okafor", "25.00");
    sub.as_object_mut().unwrap().remove("id");
    let r = server.post("/v1/contributions", &[], &serde_json::to_vec(&sub).unwrap());
    assert_eq!((r.status, r.error_code()), (400, "invalid_field".into()));
    assert_eq!(r.json()["error"]["field"], "id");
    sub["id"] = "  ".into();
    assert_eq!(server.post("/v1/contributions", &[], &serde_json::to_vec(&sub).unwrap()).status, 400);

    // The caller's history is replaced by the ledger's.
    let mut first = contribution("h-1", "Achterberg", "3000.00");
    first["history"] = serde_json::json!({"prior_total": "3400.00"});
    let r = server.post("/v1/contributions", &[], &serde_json::to_vec(&first).unwrap());
    assert_eq!(r.json()["decision"], "accept", "{}", r.text());
    assert_eq!(r.json()["recorded"], true);
    let r = server.post(
        "/v1/contributions",
        &[],
        &serde_json::to_vec(&contribution("h-2", "  ACHTERBERG ", "600.00")).unwrap(),
    );
    assert_eq!(r.json()["decision"], "reject", "{}", r.text());
    assert_eq!(r.json()["findings"][0]["code"], "exceeds_limit");
    assert!(r.text().contains("$500.00"), "{}", r.text());
    assert_eq!(r.json()["recorded"], false);
    // Another election is another limit; the same name at another ZIP is a near match: counted
    // together it would pass the limit, so it goes to review (and is recorded).
    let mut general = contribution("h-3", "Achterberg", "600.00");
    general["recipient"]["election"] = "general".into();
    assert_eq!(
        server.post("/v1/contributions", &[], &serde_json::to_vec(&general).unwrap()).json()["decision"],
        "accept"
    );
    let mut elsewhere = contribution("h-4", "Achterberg", "600.00");
    elsewhere["donor"]["address"]["postal_code"] = "62705".into();
    let r = server.post("/v1/contributions", &[], &serde_json::to_vec(&elsewhere).unwrap());
    assert_eq!(r.json()["decision"], "review", "{}", r.text());
    assert_eq!(r.json()["findings"][0]["code"], "possible_duplicate_donor", "{}", r.text());
    let (n, total, _) = ledger(&server.db, &Backend::Sqlite, "h-");
    assert_eq!((n, total), (3, 420_000));

    // Privacy: no passport number, email or name in the file.
    let bytes = std::fs::read(&server.db).unwrap();
    let wal = std::fs::read(server.db.with_extension("sqlite-wal")).unwrap_or_default();
    let passport = elsewhere["donor"]["passport"]["number"].as_str().unwrap().to_owned();
    for needle in [passport.as_str(), "m.achterberg@example.org", "Achterberg", "Margaret"] {
        let hay = [bytes.as_slice(), wal.as_slice()].concat();
        assert!(!hay.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} is stored in clear");
    }
    assert_eq!(row_text(&server.db, "h-1", "passport_last4").as_deref(), passport.get(passport.len() - 4..));
    assert_eq!(row_text(&server.db, "h-1", "passport_hmac").map(|h| h.len()), Some(64));
    assert_eq!(row_text(&server.db, "h-1", "email_hmac").map(|h| h.len()), Some(64));
}

#[test]
fn no_keys_means_loopback_only_and_a_secret_is_made_once() {
    let dir = TempDir::new("secret");
    let db = dir.path().join("l.sqlite");
    let run = |secret: Option<&str>| {
        let mut cmd = std::process::Command::new(BIN);
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--db"])
            .arg(&db)
            .env_remove("DG_SECRET")
            .env_remove("DATABASE_URL");
        if let Some(s) = secret {
            cmd.env("DG_SECRET", s);
        }
        cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().unwrap();
        let mut line = String::new();
        let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line);
        let _ = child.kill();
        let status = child.wait().unwrap();
        (line, status)
    };
    let (line, _) = run(None);
    assert!(line.starts_with("donation-guard listening on http://127.0.0.1:"), "{line}");
    assert!(line.contains("/demo/"), "{line}");
    let secret = std::fs::read_to_string(dir.path().join("l.sqlite.secret")).unwrap();
    assert_eq!(secret.trim().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("l.sqlite.secret")).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    let (line, _) = run(None);
    assert!(line.starts_with("donation-guard listening"), "{line}");
    assert_eq!(std::fs::read_to_string(dir.path().join("l.sqlite.secret")).unwrap(), secret);
    // Another secret on the same ledger is refused.
    let (line, status) = run(Some("another-secret-0123456789abcdef0123456789"));
    assert!(line.is_empty() && !status.success(), "{line}");
}

/// Every property the OpenAPI document lists for a submission is one the engine takes, and the
/// document's example is a valid submission.
#[test]
fn openapi_matches_the_model() {
    let doc: serde_json::Value = serde_json::from_str(include_str!("../../src/server/openapi.json")).unwrap();
    let schema = &doc["components"]["schemas"]["Submission"];
    donation_guard::parse(&serde_json::to_vec(&schema["example"]).unwrap()).unwrap();
    fn maximal(s: &serde_json::Value) -> serde_json::Value {
        let types: Vec<&str> = match &s["type"] {
            serde_json::Value::String(t) => vec![t.as_str()],
            serde_json::Value::Array(a) => a.iter().filter_map(|t| t.as_str()).collect(),
            _ => vec![],
        };
        if s.get("anyOf").is_some() {
            return serde_json::json!("10.00");
        }
        if let Some(e) = s.get("examples").or_else(|| s.get("enum")) {
            return e[0].clone();
        }
        if types.contains(&"object") {
            let mut o = serde_json::Map::new();
            for (k, v) in s["properties"].as_object().unwrap() {
                o.insert(k.clone(), maximal(v));
            }
            serde_json::Value::Object(o)
        } else if types.contains(&"array") {
            serde_json::json!(["own_funds"])
        } else if types.contains(&"number") {
            serde_json::json!("10.00")
        } else {
            serde_json::json!("x")
        }
    }
    let mut full = maximal(schema);
    full["ruleset"] = "us-federal-2025-2026".into();
    assert!(full["donor"]["address"]["postal_code"].is_string());
    donation_guard::parse(&serde_json::to_vec(&full).unwrap()).unwrap();
    let codes = &doc["components"]["schemas"]["Finding"]["properties"]["code"]["enum"];
    let all: Vec<&str> = donation_guard::Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes, &serde_json::json!(all));
}

/// Logs (JSON, at debug level) never hold a passport number, an email or a name.
#[test]
fn logs_hold_no_personal_data() {
    let dir = TempDir::new("logs");
    let log = std::fs::File::create(dir.path().join("log")).unwrap();
    let mut child = std::process::Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json", "--db"])
        .arg(dir.path().join("l.sqlite"))
        .env("DG_SECRET", SECRET)
        .env("RUST_LOG", "debug")
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    let addr = line.split("http://").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    let mut sub = contribution("log-1", "Zyxwvutsrq", "25.00");
    sub["donor"]["first_name"] = "Qwertyuiop".into();
    sub["donor"]["email"] = "privacy-probe@example.org".into();
    sub["donor"]["passport"]["number"] = "X98765432".into();
    let body = serde_json::to_vec(&sub).unwrap();
    let h = [("content-type", "application/json")];
    for path in ["/v1/check", "/v1/contributions", "/v1/contributions"] {
        assert_eq!(request(&addr, "POST", path, &h, Some(&body)).unwrap().status, 200);
    }
    let mut broken = body.clone();
    broken.truncate(body.len() - 3);
    assert_eq!(request(&addr, "POST", "/v1/check", &h, Some(&broken)).unwrap().status, 400);
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(dir.path().join("log")).unwrap();
    assert!(text.contains("\"route\":\"/v1/contributions\""), "{text}");
    for needle in ["Zyxwvutsrq", "Qwertyuiop", "privacy-probe", "98765432"] {
        assert!(!text.contains(needle), "{needle} is in the log:\n{text}");
    }
}

/// A client that stops sending (here: half a request line) is cut off after three times
/// --timeout, so slow clients cannot hold connections forever.
#[test]
fn slow_clients_are_cut_off() {
    use std::io::{Read as _, Write as _};
    let server = Server::start(Opts { args: vec!["--timeout".into(), "1".into()], ..Opts::default() });
    let mut s = std::net::TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
    s.write_all(b"POST /v1/check HTTP/1.1\r\nhost: 127.0.0.1\r\n").unwrap();
    let start = std::time::Instant::now();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let waited = start.elapsed();
    assert!(waited >= std::time::Duration::from_secs(2) && waited < std::time::Duration::from_secs(10), "{waited:?}");
    // A body that stalls gets its answer after --timeout.
    let mut s = std::net::TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
    s.write_all(
        b"POST /v1/check HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{",
    )
    .unwrap();
    let mut buf = [0u8; 4096];
    let n = s.read(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(text.starts_with("HTTP/1.1 408") || text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("\"timeout\""), "{text}");
    // And the server still serves.
    assert_eq!(server.get("/healthz", &[]).status, 200);
}
