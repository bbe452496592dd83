//! The built `donation-guard` binary, run as a compliance officer would.
#![cfg(feature = "cli")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_donation-guard");
const GOOD: &str = r#"{"recipient":{"type":"pac"},"donor":{"first_name":"June","last_name":"Halvorsen","address":{"line1":"12 Birch Court","city":"Duluth","state":"MN","postal_code":"55803","country":"US"}},"contribution":{"amount":"20.00","method":"ach"},"attestations":{"affirmed":["us_citizen_or_lpr","own_funds","not_federal_contractor","age_18_or_older"]}}"#;

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_owned();
    let writer = std::thread::spawn(move || input.write_all(data.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

#[test]
fn check_reads_stdin_and_answers_line_by_line() {
    let foreign = GOOD.replace("\"first_name\"", "\"citizenship\":\"foreign_national\",\"first_name\"");
    let out = run(&["check"], &format!("{GOOD}\n{foreign}\nnot json\n"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with(r#"{"decision":"accept","findings":[]"#), "{}", lines[0]);
    assert!(lines[1].starts_with(r#"{"decision":"reject","findings":[{"code":"foreign_national""#), "{}", lines[1]);
    assert!(
        lines[2].starts_with(r#"{"error":{"code":"invalid_json""#) && lines[2].ends_with(r#""line":3}"#),
        "{}",
        lines[2]
    );
    // The CLI prints exactly what the library's JSON entry point prints.
    assert_eq!(lines[0], donation_guard::check_json(GOOD.as_bytes()));
}

#[test]
fn check_reads_a_file_and_a_dash_means_stdin() {
    let dir = std::env::temp_dir().join(format!("dg-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("in.jsonl");
    std::fs::write(&file, format!("{GOOD}\r\n{GOOD}")).unwrap();
    let out = run(&["check", file.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout).lines().count(), 2);
    let out = run(&["check", "-"], &format!("{GOOD}\n"));
    assert_eq!(text(&out.stdout).lines().count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn summary_goes_to_stderr() {
    let out = run(&["check", "--summary"], &format!("{GOOD}\n{{}}\n[\n"));
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(err.contains("lines checked: 3"), "{err}");
    assert!(err.contains("accept") && err.contains("field_required") && err.contains("invalid_field"), "{err}");
    assert_eq!(text(&out.stdout).lines().count(), 3);
}

#[test]
fn unreadable_input_and_bad_arguments_exit_2() {
    let out = run(&["check", "/nonexistent/submissions.jsonl"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read"));
    assert_eq!(run(&["check", "--no-such-flag"], "").status.code(), Some(2));
    assert_eq!(run(&["frobnicate"], "").status.code(), Some(2));
    assert_eq!(run(&["rules", "us-ca-2026"], "").status.code(), Some(2));
}

#[test]
fn rules_prints_the_ruleset_with_its_digests() {
    let out = run(&["rules"], "");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let rs = donation_guard::ruleset::default_ruleset().unwrap();
    assert_eq!(v["id"], "us-federal-2025-2026");
    assert_eq!(v["digest"], rs.digest.as_str());
    assert_eq!(v["attestation_digest"], "sha256:d0332970267738fa405792f1e33c1d4a69f33666866632cb6cd322e1a12feae6");
    assert_eq!(v["limits"]["candidate"]["amount"], "3500.00");
    assert_eq!(v["attestations"].as_array().unwrap().len(), 5);
    let named = run(&["rules", "us-federal-2025-2026"], "");
    assert_eq!(named.stdout, out.stdout);
}

#[test]
fn empty_input_is_no_output_and_success() {
    let out = run(&["check"], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn rules_list_names_every_embedded_ruleset() {
    let out = run(&["rules", "--list"], "");
    assert_eq!(out.status.code(), Some(0));
    let listed: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rulesets");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    assert_eq!(listed, on_disk);
}

#[test]
fn ruleset_file_loads_a_committee_ruleset_from_outside_the_repo() {
    let rs = donation_guard::ruleset::default_ruleset().unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&rs.to_json_pretty()).unwrap();
    for k in ["digest", "attestation_digest"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v["id"] = "committee-2026".into();
    v["findings"]["exceeds_limit"]["message"] = "Our committee takes at most {limit} per {per}.".into();
    let dir = std::env::temp_dir().join(format!("dg-ruleset-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("committee.json");
    std::fs::write(&good, v.to_string()).unwrap();
    let line = GOOD
        .replace(r#"{"recipient":{"type":"pac"}"#, r#"{"ruleset":"committee-2026","recipient":{"type":"pac"}"#)
        .replace(r#""amount":"20.00""#, r#""amount":"5000.01""#);
    let out = run(&["check", "--ruleset-file", good.to_str().unwrap()], &format!("{line}\n"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let verdict: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(verdict["ruleset"]["id"], "committee-2026");
    assert_eq!(verdict["findings"][0]["message"], "Our committee takes at most $5,000.00 per calendar year.");
    // Without the flag the id is unknown.
    let out = run(&["check"], &format!("{line}\n"));
    assert!(text(&out.stdout).contains("unknown ruleset"), "{}", text(&out.stdout));
    // A bad file: exit 2, one structured line naming the file and the JSON path.
    v["limits"].as_object_mut().unwrap().remove("super_pac");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, v.to_string()).unwrap();
    let out = run(&["check", "--ruleset-file", good.to_str().unwrap(), "--ruleset-file", bad.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2));
    let err: serde_json::Value = serde_json::from_str(text(&out.stderr).trim()).unwrap();
    assert_eq!(err["error"]["code"], "invalid_ruleset");
    assert_eq!(err["error"]["path"], "limits.super_pac");
    assert_eq!(err["error"]["origin"], bad.to_str().unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Waits for `child` at most `secs` seconds; a hang is a failure, not a stuck test run.
fn wait_bounded(child: &mut std::process::Child, secs: u64) -> std::process::ExitStatus {
    for _ in 0..secs * 20 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap();
    panic!("donation-guard did not end within {secs} s");
}

/// Output that cannot be written (a full disk, a closed pipe) ends the run: exit 2 with the
/// reason on a full disk, exit 0 on a reader that has gone (`| head`), and never a hang.
#[test]
#[cfg(target_os = "linux")]
fn check_ends_when_its_output_cannot_be_written() {
    let dir = std::env::temp_dir().join(format!("dg-cli-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.jsonl");
    std::fs::write(&input, format!("{GOOD}\n").repeat(60_000)).unwrap();

    let mut child = Command::new(BIN)
        .args(["check"])
        .arg(&input)
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_bounded(&mut child, 30);
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("No space left on device"), "{err}");

    let mut child = Command::new(BIN).args(["check"]).arg(&input).stdout(Stdio::piped()).spawn().unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let status = wait_bounded(&mut child, 30);
    assert_eq!(status.code(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}
