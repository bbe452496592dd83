//! `/v1/forms/check`: a classic form post, forwarded as the browser sent it, gives the
//! browser's submission digest and no client_verdict_mismatch.
use super::support::*;
use donation_guard::form::{read_form, FieldMap};

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => char::from(b).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The GiveWP vector: the pairs, the map, and the browser's (native = wasm) verdict.
fn givewp() -> (Vec<(String, String)>, serde_json::Value, donation_guard::Verdict<'static>) {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/forms.jsonl")).unwrap();
    let line: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let fields: Vec<(String, String)> = serde_json::from_value(line["fields"].clone()).unwrap();
    let map: FieldMap = serde_json::from_value(line["map"].clone()).unwrap();
    let sub = read_form(&fields, &map);
    let verdict = donation_guard::check_bytes(serde_json::to_string(&sub).unwrap().as_bytes()).unwrap();
    (fields, line["map"].clone(), verdict)
}

fn hidden(decision: &str, digest: &str, rs: &str, map: &serde_json::Value) -> String {
    serde_json::json!({"decision": decision, "submission_digest": digest, "ruleset_digest": rs, "map": map}).to_string()
}

fn codes(r: &Resp) -> Vec<String> {
    r.json()["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_forwarded_form_post_gives_the_browsers_digest() {
    let server = Server::start(Opts::default());
    let (fields, map, v) = givewp();
    assert_eq!(v.decision.to_string(), "accept");
    let h = hidden("accept", &v.submission_digest, v.ruleset.digest, &map);
    let mut body: Vec<String> = fields.iter().map(|(n, x)| format!("{}={}", enc(n), enc(x))).collect();
    body.push(format!("donation-guard-response={}", enc(&h)));
    let body = body.join("&");
    let ct = [("content-type", "application/x-www-form-urlencoded")];
    let r = server.post("/v1/forms/check", &ct, body.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["submission_digest"], v.submission_digest.as_str());
    assert_eq!(r.json()["decision"], "accept", "{}", r.text());
    assert!(codes(&r).is_empty(), "{}", r.text());

    // The same post as multipart/form-data.
    let mut mp = String::new();
    for (n, x) in fields.iter().map(|(n, x)| (n.as_str(), x.as_str())).chain([("donation-guard-response", h.as_str())])
    {
        mp.push_str(&format!("--BND\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n{x}\r\n"));
    }
    mp.push_str("--BND--\r\n");
    let r = server.post("/v1/forms/check", &[("content-type", "multipart/form-data; boundary=BND")], mp.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["submission_digest"], v.submission_digest.as_str());
    assert!(codes(&r).is_empty(), "{}", r.text());

    // A browser that claimed another digest is a mismatch.
    let tampered = hidden("accept", &format!("sha256:{}", "0".repeat(64)), v.ruleset.digest, &map);
    let body2 = body.replace(&enc(&h), &enc(&tampered));
    let r = server.post("/v1/forms/check", &ct, body2.as_bytes());
    assert!(codes(&r).contains(&"client_verdict_mismatch".to_owned()), "{}", r.text());

    // A foreign national's post is rejected from the form alone.
    let body3 = body.replace("Yes%2C+I+am+a+U.S.+citizen", "No");
    assert_ne!(body3, body);
    let r = server.post("/v1/forms/check", &ct, body3.as_bytes());
    assert_eq!(r.json()["decision"], "reject", "{}", r.text());
    assert!(codes(&r).contains(&"foreign_national".to_owned()), "{}", r.text());
}

#[test]
fn forms_take_only_form_bodies_and_a_readable_hidden_field() {
    let server = Server::start(Opts::default());
    let r = server.post("/v1/forms/check", &[("content-type", "application/json")], b"{}");
    assert_eq!((r.status, r.error_code()), (415, "unsupported_media_type".into()));
    let ct = [("content-type", "application/x-www-form-urlencoded")];
    let r = server.post("/v1/forms/check", &ct, b"donation-guard-response=%7Bnot+json");
    assert_eq!((r.status, r.error_code()), (400, "invalid_field".into()));
    // No hidden field: nothing is mapped, and the engine reports what is required.
    let r = server.post("/v1/forms/check", &ct, b"give_first=Ada");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(codes(&r).contains(&"field_required".to_owned()), "{}", r.text());
}
