//! `check --sanctions-list`: the verdict carries the finding and the decision is recomputed.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_donation-guard");

const LIST: &str = "21171,\"PRIGOZHIN, Yevgeniy Viktorovich\",\"individual\",\"CYBER2] [ELECTION-EO13848\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";

fn line(first: &str, last: &str) -> String {
    format!(
        r#"{{"recipient":{{"type":"candidate","election":"primary"}},"donor":{{"first_name":"{first}","last_name":"{last}","email":"a@example.org","address":{{"line1":"1 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"US"}},"citizenship":"us_citizen","employer":"Acme","occupation":"Engineer"}},"contribution":{{"amount":"25.00","currency":"USD","method":"card","card":{{"country":"US"}}}},"attestations":{{"affirmed":["us_citizen_or_lpr","own_funds","personal_card","not_federal_contractor","age_18_or_older"]}}}}"#
    )
}

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The process may exit before reading (a bad list): a broken pipe is not a failure.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_screens_donors_against_the_list() {
    let dir = std::env::temp_dir().join(format!("dg-sanctions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let list = dir.join("sdn.csv");
    std::fs::write(&list, LIST).unwrap();
    let input =
        format!("{}\n{}\n{}\n", line("Evgeny", "Prigozhin"), line("Ada", "Lovelace"), line("Yevgeniy", "Prigozhn"));
    let (code, out, err) = run(&["check", "--sanctions-list", list.to_str().unwrap()], &input);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("sanctions list sha256:") && err.contains("(1 entries)"), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with(r#"{"decision":"reject","findings":[{"code":"sanctions_match""#), "{}", lines[0]);
    assert!(lines[0].contains(r#""sdn_uid":"21171""#));
    assert!(lines[1].starts_with(r#"{"decision":"accept""#), "{}", lines[1]);
    // Without the list, the same line is accepted.
    let (_, plain, _) = run(&["check"], &line("Evgeny", "Prigozhin"));
    assert!(plain.starts_with(r#"{"decision":"accept""#));
    // A review threshold of 0 and reject of 1: a one-letter typo is a possible match.
    let (_, out, _) = run(
        &[
            "check",
            "--sanctions-list",
            list.to_str().unwrap(),
            "--sanctions-reject-score",
            "1",
            "--sanctions-review-score",
            "0.5",
        ],
        &line("Yevgeniy", "Prigozhn"),
    );
    assert!(out.contains("sanctions_possible_match") && out.starts_with(r#"{"decision":"review""#), "{out}");
    // A bad list is an error, exit 2.
    std::fs::write(&list, "not a list\n").unwrap();
    let (code, _, err) = run(&["check", "--sanctions-list", list.to_str().unwrap()], &input);
    assert_eq!(code, 2);
    assert!(err.contains("sdn.csv line 1"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
