//! The JSON entry point on arbitrary bytes: never panics, always answers with one line of JSON
//! that is a verdict or an error object, and answers the same bytes twice.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let out = donation_guard::check_json(data);
    assert!(!out.contains('\n'));
    assert!(out.starts_with("{\"decision\":") || out.starts_with("{\"error\":"));
    assert_eq!(out, donation_guard::check_json(data));
});
