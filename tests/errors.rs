//! The submission reader's errors, byte for byte: tests/vectors/errors.jsonl holds some 6,000
//! malformed and odd inputs (tests/tools/error-corpus.mjs) with the answer the engine gave before
//! its reader was rewritten (issue 9: serde derive + serde_path_to_error replaced by one
//! hand-written reader). Error answers are kept whole; a verdict as its SHA-256 (the cases and
//! the differential tests compare verdicts whole). tests/node/errors.test.mjs runs the same file
//! through the wasm build.
//!
//! `DG_WRITE_VECTORS=1` rewrites the expected answers from the current engine (only ever on
//! purpose, with the reason in the commit).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/errors.jsonl");

fn input(v: &Value) -> Vec<u8> {
    if let Some(s) = v.get("input").and_then(Value::as_str) {
        return s.as_bytes().to_vec();
    }
    if let Some(h) = v.get("input_hex").and_then(Value::as_str) {
        return (0..h.len()).step_by(2).map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap()).collect();
    }
    let r = v["input_repeat"].as_array().unwrap();
    let mut s = r[0].as_str().unwrap().to_owned();
    s.push_str(&r[1].as_str().unwrap().repeat(usize::try_from(r[2].as_u64().unwrap()).unwrap()));
    s.push_str(r[3].as_str().unwrap());
    s.into_bytes()
}

/// What the file keeps of an answer: an error whole, a verdict as its digest, taken with the
/// ruleset's digest masked: a ruleset edit (a translation, a note) changes that digest in every
/// verdict and is not the reader's business (tests/canonical.rs and the cases pin verdicts).
fn kept(answer: &str) -> Value {
    if answer.starts_with("{\"error\":") {
        json!({ "output": answer })
    } else {
        json!({ "output_sha256": format!("{:x}", Sha256::digest(mask_ruleset_digest(answer).as_bytes())) })
    }
}

/// The verdict with `"ruleset":{"id":...,"digest":"sha256:<hex>"}`'s hex replaced by `-`.
fn mask_ruleset_digest(answer: &str) -> String {
    let Some(at) = answer.find("\"ruleset\":{") else { return answer.to_owned() };
    let Some(d) = answer[at..].find("\"digest\":\"sha256:").map(|d| at + d + "\"digest\":\"sha256:".len()) else {
        return answer.to_owned();
    };
    let end = answer[d..].find('"').map_or(answer.len(), |e| d + e);
    format!("{}-{}", &answer[..d], &answer[end..])
}

#[test]
fn every_vector_gives_the_same_answer() {
    let text = std::fs::read_to_string(PATH).unwrap();
    let write = std::env::var_os("DG_WRITE_VECTORS").is_some();
    let mut lines = Vec::new();
    let mut failures = Vec::new();
    let (mut errors, mut verdicts) = (0, 0);
    for (n, line) in text.lines().enumerate() {
        let mut v: Value = serde_json::from_str(line).unwrap();
        let answer = donation_guard::check_json(&input(&v));
        let got = kept(&answer);
        if got.get("output").is_some() {
            errors += 1;
        } else {
            verdicts += 1;
        }
        if write {
            let o = v.as_object_mut().unwrap();
            o.remove("output");
            o.remove("output_sha256");
            o.extend(got.as_object().unwrap().clone());
            lines.push(serde_json::to_string(&v).unwrap());
        } else {
            let want = v.get("output").or_else(|| v.get("output_sha256"));
            let have = got.get("output").or_else(|| got.get("output_sha256"));
            if want != have {
                failures.push(format!(
                    "line {}: {}\n  want {want:?}\n  got  {answer}",
                    n + 1,
                    &line[..line.len().min(300)]
                ));
            }
        }
    }
    if write {
        std::fs::write(PATH, lines.join("\n") + "\n").unwrap();
    }
    assert!(errors > 4000 && verdicts > 100, "the corpus lost its errors or its verdicts: {errors} {verdicts}");
    assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), errors + verdicts, failures.join("\n"));
}
