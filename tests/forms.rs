//! Form-reading vectors: `tests/vectors/forms.jsonl` holds, per line, the name/value pairs a
//! browser posts (`fields`), the widget's field map (`map`), the submission `read_form` builds
//! from them, and that submission's `submission_digest`. The same file runs in the wasm on Node
//! (`tests/node/forms.test.mjs`), so the browser, the server and the CLI read a form alike.
//!
//! `FORMS_VECTORS_WRITE=1 cargo test --test forms` rewrites the expected columns (review the
//! diff: every change is a change in how forms are read).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use donation_guard::form::{read_form, FieldMap};
use serde_json::Value;

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/forms.jsonl");

fn run(line: &Value) -> (Value, String) {
    let fields: Vec<(String, String)> = serde_json::from_value(line["fields"].clone()).unwrap();
    let map: FieldMap = serde_json::from_value(line["map"].clone()).unwrap();
    let sub = read_form(&fields, &map);
    let json = serde_json::to_string(&sub).unwrap();
    let verdict = donation_guard::check_bytes(json.as_bytes()).unwrap();
    (serde_json::from_str(&json).unwrap(), verdict.submission_digest)
}

#[test]
fn form_vectors() {
    let text = std::fs::read_to_string(VECTORS).unwrap();
    let write = std::env::var_os("FORMS_VECTORS_WRITE").is_some();
    let mut out = String::new();
    let mut n = 0;
    for raw in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut line: Value = serde_json::from_str(raw).unwrap();
        let (sub, digest) = run(&line);
        let name = line["name"].as_str().unwrap_or_default().to_owned();
        if write {
            line["submission"] = sub;
            line["submission_digest"] = Value::String(digest);
            out.push_str(&serde_json::to_string(&line).unwrap());
            out.push('\n');
        } else {
            assert_eq!(sub, line["submission"], "{name}: submission");
            assert_eq!(digest, line["submission_digest"].as_str().unwrap(), "{name}: digest");
        }
        n += 1;
    }
    if write {
        std::fs::write(VECTORS, out).unwrap();
    }
    assert!(n >= 10, "{n} vectors");
}

#[test]
fn the_map_is_json() {
    let m: FieldMap = serde_json::from_str(
        r#"{"donor.first_name":"give_first","contribution.amount":["give-amount","other_amount"],"recipient.type":{"value":"pac"}}"#,
    )
    .unwrap();
    let back: FieldMap = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
    assert_eq!(m, back);
    assert!(serde_json::from_str::<FieldMap>(r#"{"donor.first_name":5}"#).is_err());
}
