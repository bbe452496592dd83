//! Canonical-form vectors: `tests/vectors/canonical.jsonl` pins the exact bytes that
//! `submission_digest` hashes. The wasm build runs the same file (tests/node), so both builds
//! must reproduce these bytes. `DG_BLESS=1 cargo test --test canonical` rewrites the expected
//! values after a deliberate change of the form (which is a breaking change: say so).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use donation_guard::canonical::canonical_json;
use donation_guard::ruleset::sha256_tagged;
use serde_json::{json, Value};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/canonical.jsonl");

#[test]
fn canonical_vectors() {
    let text = std::fs::read_to_string(VECTORS).unwrap();
    let bless = std::env::var_os("DG_BLESS").is_some();
    let mut out = String::new();
    let mut failures = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut v: Value = serde_json::from_str(line).unwrap();
        let name = v["name"].as_str().unwrap().to_owned();
        let input = serde_json::to_string(&v["submission"]).unwrap();
        let sub = donation_guard::parse(input.as_bytes()).unwrap();
        let rs = donation_guard::ruleset_for(&sub).unwrap();
        let canonical = canonical_json(&sub, rs.id());
        let digest = sha256_tagged(canonical.as_bytes());
        // The verdict carries the same digest.
        let verdict = donation_guard::check(&sub, rs);
        assert_eq!(verdict.submission_digest, digest, "{name}");
        if bless {
            v["canonical"] = json!(canonical);
            v["digest"] = json!(digest);
            out.push_str(&serde_json::to_string(&v).unwrap());
            out.push('\n');
        } else if v["canonical"] != json!(canonical) || v["digest"] != json!(digest) {
            failures.push(format!("{name}:\n  expected {}\n  got      {canonical}", v["canonical"]));
        }
    }
    if bless {
        std::fs::write(VECTORS, out).unwrap();
    }
    assert!(failures.is_empty(), "canonical form changed:\n{}", failures.join("\n"));
}

#[test]
fn the_same_form_written_differently_has_the_same_digest() {
    let text = std::fs::read_to_string(VECTORS).unwrap();
    let digest = |name: &str| {
        text.lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .find(|v| v["name"] == name)
            .map(|v| v["digest"].clone())
            .unwrap()
    };
    assert_eq!(digest("typical"), digest("typical-written-differently"));
    assert_ne!(digest("typical"), digest("minimal-empty"));
}

#[test]
fn the_passport_number_never_enters_the_form_whole() {
    let sub = donation_guard::parse(
        br#"{"donor":{"passport":{"country":"US","number":"C03005988"},"email":"ada@example.org"}}"#,
    )
    .unwrap();
    let c = canonical_json(&sub, "us-federal-2025-2026");
    assert!(!c.contains("C03005988") && !c.contains("03005988"), "{c}");
    assert!(c.contains(r#""number_last4":"5988""#), "{c}");
    assert!(!c.contains("ada@example.org"), "{c}");
}
