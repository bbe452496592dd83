//! The widget's files as another origin embeds them (issue 8 §4): CORS for `--allow-origin`,
//! gzip and br, Cache-Control, ETag with If-None-Match → 304, Cross-Origin-Resource-Policy;
//! and `--require-widget` (§5).

use crate::support::*;

const PAGE: &str = "http://127.0.0.1:9";

fn www() -> TempDir {
    let www = TempDir::new("assets-www");
    std::fs::create_dir_all(www.path().join("widget/engine")).unwrap();
    std::fs::create_dir_all(www.path().join("demo")).unwrap();
    let js = "/* widget */ console.log('donation-guard');\n".repeat(200);
    std::fs::write(www.path().join("widget/donation-guard.js"), &js).unwrap();
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    wasm.extend(b"\x01\x02\x03\x04abcd".repeat(4000));
    std::fs::write(www.path().join("widget/engine/donation_guard_bg.wasm"), &wasm).unwrap();
    std::fs::write(www.path().join("demo/index.html"), "<!doctype html><title>demo</title>").unwrap();
    www
}

fn start(args: &[&str], www: &TempDir) -> Server {
    Server::start(Opts {
        www: Some(www.path().to_owned()),
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        ..Opts::default()
    })
}

#[test]
fn the_widget_is_served_compressed_cached_and_to_listed_origins() {
    let www = www();
    let server = start(&["--allow-origin", PAGE], &www);
    let raw = std::fs::read(www.path().join("widget/engine/donation_guard_bg.wasm")).unwrap();
    let wasm = "/widget/engine/donation_guard_bg.wasm";

    // Compression, by what the client accepts.
    let plain = server.get(wasm, &[]);
    assert_eq!(plain.status, 200);
    assert_eq!(plain.body, raw);
    assert_eq!(plain.header("content-encoding"), None);
    for (enc, magic) in [("gzip", &b"\x1f\x8b"[..]), ("br", &b""[..])] {
        let r = server.get(wasm, &[("accept-encoding", enc)]);
        assert_eq!((r.status, r.header("content-encoding")), (200, Some(enc)), "{enc}");
        assert!(r.body.len() * 4 < raw.len(), "{enc}: {} of {}", r.body.len(), raw.len());
        assert!(r.body.starts_with(magic), "{enc}");
        assert_eq!(r.header("content-type"), Some("application/wasm"));
    }

    // Caching: Cache-Control, a weak ETag that names the content, 304 on If-None-Match.
    let etag = plain.header("etag").unwrap().to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(plain.header("cache-control"), Some("public, max-age=300, must-revalidate"));
    assert_eq!(plain.header("cross-origin-resource-policy"), Some("cross-origin"));
    let again = server.get(wasm, &[("accept-encoding", "br")]);
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let r = server.get(wasm, &[("if-none-match", &etag), ("accept-encoding", "gzip, br")]);
    assert_eq!(r.status, 304);
    assert!(r.body.is_empty());
    assert_eq!(r.header("etag"), Some(etag.as_str()));
    let r = server.get(wasm, &[("if-none-match", "W/\"0000\"")]);
    assert_eq!(r.status, 200);
    // A changed file gets another tag.
    std::fs::write(www.path().join("widget/engine/donation_guard_bg.wasm"), b"\0asm\x01\0\0\0changed").unwrap();
    let r = server.get(wasm, &[("if-none-match", &etag)]);
    assert_eq!(r.status, 200);
    assert_ne!(r.header("etag"), Some(etag.as_str()));
    // The demo page: revalidated every time, and for this origin only.
    let demo = server.get("/demo/", &[]);
    assert_eq!(demo.header("cache-control"), Some("no-cache"));
    assert_eq!(demo.header("cross-origin-resource-policy"), Some("same-origin"));

    // CORS: the listed origin may load the widget and call the API; another may not.
    let js = "/widget/donation-guard.js";
    let r = server.get(js, &[("origin", PAGE)]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some(PAGE));
    assert!(r.headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("vary") && v.contains("Origin")));
    let r = server.get(js, &[("origin", "http://evil.example")]);
    assert_eq!((r.status, r.error_code()), (403, "forbidden".into()));
    assert_eq!(r.header("access-control-allow-origin"), None);
    let body = serde_json::to_vec(&contribution("x-1", "Okafor", "25.00")).unwrap();
    let r = server.post("/v1/check", &[("origin", PAGE)], &body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("access-control-allow-origin"), Some(PAGE));
    let r = server.post("/v1/check", &[("origin", "http://evil.example")], &body);
    assert_eq!((r.status, r.error_code()), (403, "forbidden".into()));

    // Preflight.
    let pre = |origin: &str| {
        request(
            &server.addr,
            "OPTIONS",
            "/v1/contributions",
            &[
                ("origin", origin),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "content-type, donation-guard-response"),
            ],
            None,
        )
        .unwrap()
    };
    let r = pre(PAGE);
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some(PAGE));
    assert!(r.header("access-control-allow-headers").unwrap().contains("donation-guard-response"));
    assert!(r.header("access-control-allow-methods").unwrap().contains("POST"));
    let r = pre("http://evil.example");
    assert_eq!((r.status, r.error_code()), (403, "origin_not_allowed".into()));
}

#[test]
fn a_star_opens_the_widget_files_only() {
    let www = www();
    let server = start(&["--allow-origin", "*"], &www);
    let r = server.get("/widget/donation-guard.js", &[("origin", "http://anyone.example")]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    // Not the API, nor the demo page.
    let body = serde_json::to_vec(&contribution("s-1", "Okafor", "25.00")).unwrap();
    let r = server.post("/v1/check", &[("origin", "http://anyone.example")], &body);
    assert_eq!((r.status, r.error_code()), (403, "forbidden".into()));
    let r = server.get("/demo/", &[("origin", "http://anyone.example")]);
    assert_eq!(r.status, 403);
    // A bad origin is refused at start.
    let out = std::process::Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--allow-origin", "campaign.example", "--www"])
        .arg(www.path())
        .env("DG_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an origin"));
}

#[test]
fn require_widget_reviews_a_bypassed_widget() {
    let www = www();
    let server = start(&["--require-widget"], &www);
    let sub = contribution("rw-1", "Okafor", "25.00");
    let body = serde_json::to_vec(&sub).unwrap();
    // No widget response at all: review, client_verdict_missing, recorded.
    let r = server.post("/v1/contributions", &[], &body);
    assert_eq!(r.json()["decision"], "review", "{}", r.text());
    assert_eq!(r.json()["findings"][0]["code"], "client_verdict_missing");
    assert_eq!(r.json()["findings"][0]["field"], "client_verdict");
    assert_eq!(r.json()["recorded"], true);
    assert_eq!(row_text(&server.db, "rw-1", "decision").as_deref(), Some("review"));
    assert_eq!(row_text(&server.db, "rw-1", "client_verdict").as_deref(), Some("none"));
    let r = server.post("/v1/check", &[], &body);
    assert_eq!(r.json()["findings"][0]["code"], "client_verdict_missing");

    // `unavailable` is recorded with its reason, and is neither missing nor a mismatch.
    let two = serde_json::to_vec(&contribution("rw-2", "Okafor", "25.00")).unwrap();
    let r = server.post(
        "/v1/contributions",
        &[("donation-guard-response", r#"{"decision":"unavailable","reason":"csp"}"#)],
        &two,
    );
    assert_eq!(r.json()["decision"], "accept", "{}", r.text());
    assert_eq!(r.json()["findings"], serde_json::json!([]));
    assert_eq!(row_text(&server.db, "rw-2", "client_verdict").as_deref(), Some("unavailable:csp"));
    let three = serde_json::to_vec(&contribution("rw-3", "Okafor", "25.00")).unwrap();
    let odd = r#"{"decision":"unavailable","reason":"<script>"}"#;
    server.post("/v1/contributions", &[("donation-guard-response", odd)], &three);
    assert_eq!(row_text(&server.db, "rw-3", "client_verdict").as_deref(), Some("unavailable:other"));

    // The widget's agreeing response: no finding.
    let plain = server.post("/v1/check", &[("donation-guard-response", r#"{"decision":"unavailable"}"#)], &body).json();
    let agree = serde_json::json!({
        "decision": "accept",
        "submission_digest": plain["submission_digest"],
        "ruleset_digest": plain["ruleset"]["digest"],
    })
    .to_string();
    let four = serde_json::to_vec(&contribution("rw-4", "Okafor", "25.00")).unwrap();
    let r = server.post("/v1/contributions", &[("donation-guard-response", &agree)], &four);
    assert_eq!(r.json()["decision"], "accept", "{}", r.text());
    assert_eq!(row_text(&server.db, "rw-4", "client_verdict").as_deref(), Some("match"));

    // Without the flag a bypass stays silent, as before.
    let open = start(&[], &www);
    let r = open.post("/v1/check", &[], &body);
    assert_eq!(r.json()["decision"], "accept");
}
