//! Property tests: no input panics, and the same input always gives the same bytes.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use serde_json::{json, Value};

/// Strings that exercise the readings: blanks, case, scripts, NFD, controls, numbers as text.
fn text() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(null)),
        Just(json!("")),
        Just(json!("   ")),
        "[a-zA-Z .'-]{0,12}".prop_map(Value::from),
        "[0-9]{0,11}(\\.[0-9]{0,3})?".prop_map(Value::from),
        "[ \\-0-9A-Za-z]{0,12}".prop_map(Value::from),
        prop::sample::select(vec![
            "US",
            "us",
            "USA",
            "United States",
            "u.s.",
            "CA",
            "PR",
            "GU",
            "UM",
            "FM",
            "Georgia",
            "Narnia",
            "XX",
            "AE",
            "AP",
            "APO",
            "fpo",
            "IL",
            "il",
            "Illinois",
            "62704",
            "62704-1234",
            "123456789",
            "A12345678",
            "C 030-05988",
            "Pοrtland",
            "Νικόλαος",
            "Аda",
            "Jose\u{301}",
            "山田",
            "\u{0}",
            "\t\n",
            "😀",
            "card",
            "cash",
            "candidate",
            "pac",
            "party_state",
            "primary",
            "us_citizen",
            "foreign_national",
            "1e3",
            "+5",
            " 25",
            "25.000",
            "0",
            "0.00",
            "1000000000.00",
            "1000000000.01",
            "3500.01",
        ])
        .prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
    ]
}

fn submission() -> impl Strategy<Value = Value> {
    let enums = |v: Vec<&'static str>| {
        prop_oneof![Just(Value::Null), Just(json!("")), prop::sample::select(v).prop_map(Value::from), text()]
    };
    (
        (
            enums(vec!["candidate", "pac", "party_national", "party_state"]),
            enums(vec!["primary", "general", "runoff", "special"]),
            enums(vec!["individual", "organization"]),
            enums(vec!["us_citizen", "us_national", "permanent_resident", "foreign_national"]),
            enums(vec!["card", "ach", "check", "wire", "cash", "other"]),
        ),
        prop::collection::vec(text(), 16),
        prop::collection::vec(
            prop::sample::select(vec![
                "us_citizen_or_lpr",
                "own_funds",
                "personal_card",
                "not_federal_contractor",
                "age_18_or_older",
                "",
            ]),
            0..7,
        ),
        any::<u8>(),
    )
        .prop_map(|((rt, el, kind, cit, method), t, affirmed, mask)| {
            let mut v = json!({
                "id": t[15],
                "recipient": {"type": rt, "election": el},
                "donor": {
                    "kind": kind, "first_name": t[0], "last_name": t[1], "email": t[2],
                    "address": {"line1": t[3], "city": t[4], "state": t[5], "postal_code": t[6], "country": t[7]},
                    "citizenship": cit, "passport": {"country": t[8], "number": t[9]},
                    "employer": t[10], "occupation": t[2],
                },
                "contribution": {"amount": t[11], "currency": t[12], "method": method,
                                 "card": {"country": t[13]}, "bank_country": t[14]},
                "signals": {"ip_country": t[7]},
                "attestations": {"affirmed": affirmed},
            });
            // Drop whole sections at random, so absent objects are covered too.
            for (bit, key) in ["recipient", "donor", "contribution", "signals", "attestations"].iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    v.as_object_mut().unwrap().remove(*key);
                }
            }
            if mask & 0x80 != 0 {
                v["history"] = json!({"prior_total": "3000.00", "cycle_total": "150"});
            }
            v
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let out = donation_guard::check_json(&bytes);
        let shaped = out.starts_with(r#"{"error":"#) || out.starts_with(r#"{"decision":"#);
        prop_assert!(shaped, "unexpected output {}", out);
        prop_assert_eq!(out, donation_guard::check_json(&bytes));
    }

    #[test]
    fn arbitrary_json_text_never_panics(s in "[\\[\\]{}\",:0-9a-z_\\\\ .e+-]{0,200}") {
        let out = donation_guard::check_json(s.as_bytes());
        serde_json::from_str::<Value>(&out).unwrap();
    }

    #[test]
    fn structured_submissions_give_a_verdict_or_a_structured_error_deterministically(v in submission()) {
        let line = serde_json::to_string(&v).unwrap();
        let a = donation_guard::check_json(line.as_bytes());
        let b = donation_guard::check_json(line.as_bytes());
        prop_assert_eq!(&a, &b);
        let out: Value = serde_json::from_str(&a).unwrap();
        if let Some(err) = out.get("error") {
            let code = err["code"].as_str().unwrap();
            prop_assert!(["invalid_json", "invalid_field", "too_large"].contains(&code));
        } else {
            // The decision is the worst severity, and findings are in the documented order.
            let findings = out["findings"].as_array().unwrap();
            let rank = |s: &str| ["reject", "review", "info"].iter().position(|x| *x == s).unwrap();
            let keys: Vec<(usize, String, String)> = findings.iter().map(|f| (
                rank(f["severity"].as_str().unwrap()),
                f["code"].as_str().unwrap().to_owned(),
                f["field"].as_str().unwrap().to_owned(),
            )).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            prop_assert_eq!(&keys, &sorted);
            let worst = keys.iter().map(|k| k.0).min().unwrap_or(2);
            let decision = ["reject", "review", "accept"][worst];
            prop_assert_eq!(out["decision"].as_str().unwrap(), decision);
            // No finding's message repeats a passport number.
            if let Some(n) = v.pointer("/donor/passport/number").and_then(Value::as_str) {
                let n: String = n.chars().filter(char::is_ascii_alphanumeric).collect();
                if n.len() >= 5 {
                    for f in findings {
                        prop_assert!(!f["message"].as_str().unwrap().contains(&n));
                    }
                }
            }
        }
    }

    #[test]
    fn key_order_and_whitespace_do_not_change_the_verdict(v in submission()) {
        let compact = serde_json::to_string(&v).unwrap();
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        // Pretty printing adds bytes and can push a line over the size limit; these are small.
        prop_assert_eq!(donation_guard::check_json(compact.as_bytes()), donation_guard::check_json(pretty.as_bytes()));
    }
}
