//! `serve --sanctions-list`: a listed donor is rejected by /v1/check and not recorded by
//! /v1/contributions; the finding is server side (no client mismatch); /healthz names the list.
use crate::support::*;

const SDN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/ofac/sdn-2024-05-03.csv");

#[test]
fn the_server_screens_donors_against_the_sdn_list() {
    if !std::path::Path::new(SDN).exists() {
        eprintln!("{SDN} is not beside this clone; skipped");
        return;
    }
    let server = Server::start(Opts { args: vec!["--sanctions-list".into(), SDN.into()], ..Opts::default() });
    let health = server.get("/healthz", &[]).json();
    assert!(health["sanctions"]["digest"].as_str().unwrap().starts_with("sha256:"), "{health}");
    assert_eq!(health["sanctions"]["entries"], 14965);

    let id = format!("sdn-{}", unique());
    let mut listed = contribution(&id, "Prigozhin", "25.00");
    listed["donor"]["first_name"] = "Yevgeniy".into();
    listed["client_verdict"] = serde_json::json!({"decision": "accept"});
    let json = [("content-type", "application/json")];
    let v = server.post("/v1/check", &json, listed.to_string().as_bytes()).json();
    assert_eq!(v["decision"], "reject", "{v}");
    let codes: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"sanctions_match"), "{codes:?}");
    assert!(!codes.contains(&"client_verdict_mismatch"), "the sanctions finding is server side: {codes:?}");
    let f = v["findings"].as_array().unwrap().iter().find(|f| f["code"] == "sanctions_match").unwrap();
    assert!(f["params"]["sdn_uid"].as_str().is_some_and(|u| !u.is_empty()), "{f}");

    let recorded = server.post("/v1/contributions", &json, listed.to_string().as_bytes()).json();
    assert_eq!(recorded["decision"], "reject", "{recorded}");
    // Screened before the ledger's writer, the finding still decides: not recorded, and still
    // no client mismatch.
    assert_eq!(recorded["recorded"], false, "{recorded}");
    let codes: Vec<&str> =
        recorded["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"sanctions_match") && !codes.contains(&"client_verdict_mismatch"), "{codes:?}");

    // An ordinary donor is untouched.
    let plain = contribution(&format!("ok-{}", unique()), "Okafor", "25.00");
    assert_eq!(server.post("/v1/check", &json, plain.to_string().as_bytes()).json()["decision"], "accept");
}
