//! `make bench`: ns per `check` on a parsed submission, and µs per JSON-in/JSON-out check.
#![cfg_attr(target_arch = "wasm32", allow(unused))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(not(target_arch = "wasm32"))]
use criterion::{black_box, criterion_group, criterion_main, Criterion};

/// A typical submission: a U.S. donor, a card, every attestation.
pub const TYPICAL: &str = r#"{"id":"bench-1","recipient":{"type":"candidate","election":"primary"},"donor":{"first_name":"Margaret","last_name":"Okafor","email":"margaret.okafor@example.org","address":{"line1":"418 Linden Avenue","city":"Springfield","country":"US","state":"IL","postal_code":"62704"},"citizenship":"us_citizen","employer":"Sangamon Valley Hospital","occupation":"Registered nurse"},"contribution":{"amount":"25.00","currency":"USD","method":"card","card":{"country":"US"}},"signals":{"ip_country":"US"},"attestations":{"affirmed":["us_citizen_or_lpr","own_funds","personal_card","not_federal_contractor","age_18_or_older"],"version":"sha256:d0332970267738fa405792f1e33c1d4a69f33666866632cb6cd322e1a12feae6"}}"#;

/// An overseas citizen with a passport and a foreign card: more rules fire.
const OVERSEAS: &str = r#"{"recipient":{"type":"candidate"},"donor":{"first_name":"Eleanor","last_name":"Vance","address":{"line1":"88 Harbord Street","city":"Toronto","country":"Canada","state":"ON","postal_code":"M5S 1G4"},"citizenship":"us_citizen","passport":{"country":"US","number":"561728934"}},"contribution":{"amount":"250.00","method":"card","card":{"country":"CA"}},"signals":{"ip_country":"CA"},"attestations":{"affirmed":["us_citizen_or_lpr","own_funds","personal_card","not_federal_contractor","age_18_or_older"]}}"#;

#[cfg(not(target_arch = "wasm32"))]
fn benches(c: &mut Criterion) {
    let rs = donation_guard::ruleset::default_ruleset().unwrap();
    for (name, json) in [("typical", TYPICAL), ("overseas", OVERSEAS)] {
        let sub = donation_guard::parse(json.as_bytes()).unwrap();
        c.bench_function(&format!("check (parsed, {name})"), |b| b.iter(|| donation_guard::check(black_box(&sub), rs)));
        c.bench_function(&format!("check_json (JSON in, JSON out, {name})"), |b| {
            b.iter(|| donation_guard::check_json(black_box(json.as_bytes())))
        });
    }
    let sub = donation_guard::parse(TYPICAL.as_bytes()).unwrap();
    c.bench_function("parse only (typical)", |b| b.iter(|| donation_guard::parse(black_box(TYPICAL.as_bytes()))));
    c.bench_function("verdict to_json (typical)", |b| {
        let v = donation_guard::check(&sub, rs);
        b.iter(|| black_box(&v).to_json())
    });
}

#[cfg(not(target_arch = "wasm32"))]
criterion_group! {
    name = check;
    config = Criterion::default().sample_size(50).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = benches
}
#[cfg(not(target_arch = "wasm32"))]
criterion_main!(check);

/// Benchmarks run natively only.
#[cfg(target_arch = "wasm32")]
fn main() {}
