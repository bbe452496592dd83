//! `donation-guard screen`: aggregation on hand-made rows, the three input formats, and the
//! real FEC sample through the command line.
#![cfg(feature = "cli")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use donation_guard::screen::{read_committees, screen, Format, Options, Outcome};
use std::path::Path;
use std::process::Command;

/// One itcont row: CMTE_ID|AMNDT_IND|RPT_TP|PGI|IMAGE|TP|ENTITY|NAME|CITY|STATE|ZIP|EMPLOYER|
/// OCCUPATION|DT|AMT|OTHER_ID|TRAN_ID|FILE_NUM|MEMO_CD|MEMO_TEXT|SUB_ID
#[allow(clippy::too_many_arguments)]
fn fec(
    amnd: &str,
    pgi: &str,
    tp: &str,
    name: &str,
    zip: &str,
    dt: &str,
    amt: &str,
    tran: &str,
    memo: &str,
    sub: u64,
) -> String {
    format!("C00000001|{amnd}|Q1|{pgi}|1|{tp}|IND|{name}|SPRINGFIELD|IL|{zip}|ACME|ENGINEER|{dt}|{amt}||{tran}|1|{memo}||{sub}\n")
}

fn run(text: &str) -> Outcome {
    screen(text.as_bytes(), &Options::default()).unwrap()
}

fn codes_on(out: &Outcome, line: u64) -> Vec<&'static str> {
    out.flags.iter().filter(|f| f.line == line).map(|f| f.code).collect()
}

#[test]
fn name_variants_and_zip_plus_4_add_up_and_the_second_gift_is_flagged() {
    let text = fec("N", "P2024", "15", "SMITH, JOHN A.", "62701", "01152024", "25", "A1", "", 11)
        + &fec("N", "P2024", "15", "Smith, John", "627011234", "02202024", "3290", "A2", "", 12);
    let out = run(&text);
    assert_eq!(out.donors, 1);
    assert!(codes_on(&out, 1).is_empty());
    let f = out.flags.iter().find(|f| f.code == "exceeds_limit").expect("flagged");
    assert_eq!((f.line, f.id.as_str()), (2, "12"));
    assert_eq!(f.aggregate.to_string(), "3315");
    assert_eq!(f.excess.to_string(), "15");
    assert_eq!(f.deadline, "2024-04-20");
    assert_eq!(f.status, "presumptively_redesignated");
    assert!(out.committee_types_assumed);
}

/// Most rows of the bulk files give the election as its letter alone (P, G): the primary and
/// the general of the gift's cycle are two limits, not one general.
#[test]
fn an_election_letter_alone_is_that_election_of_the_cycle() {
    let text = fec("N", "P", "15", "DOE, JANE", "10001", "03012023", "3000", "", "", 1)
        + &fec("N", "G", "15", "DOE, JANE", "10001", "09012024", "3000", "", "", 2);
    let out = run(&text);
    assert!(out.flags.iter().all(|f| f.code != "exceeds_limit"), "{:?}", out.flags);
    let text = fec("N", "P", "15", "DOE, JANE", "10001", "03012023", "3000", "", "", 1)
        + &fec("N", "p", "15", "DOE, JANE", "10001", "05012024", "3000", "", "", 2);
    let out = run(&text);
    let f = out.flags.iter().find(|f| f.code == "exceeds_limit").expect("one primary");
    assert_eq!((f.line, f.period.as_str(), f.aggregate.to_string().as_str()), (2, "P2024", "6000"));
}

/// A memo text that tells of a refund is quoted with the excess (the 10k sample's row 7439:
/// $7,300, memo "$5,050 REFUNDED 10/12/17"); other memo texts are not.
#[test]
fn a_memo_text_about_a_refund_is_shown_with_the_excess() {
    let row = |memo: &str, sub: u32| {
        format!("C00000001|N|Q3|P2018|1|15|IND|ABRAHAM, EDWARD|EFFORT|PA|18330|ACME|OWNER|09292017|7300||T{sub}|1||{memo}|{sub}\n")
    };
    let out = run(&(row("$5,050 REFUNDED 10/12/17", 1) + &row("EARMARKED FOR A PAC", 2)));
    let over: Vec<_> = out.flags.iter().filter(|f| f.code == "exceeds_limit").collect();
    assert_eq!(over.len(), 2);
    assert!(over[0].message.contains("\"$5,050 REFUNDED 10/12/17\""), "{}", over[0].message);
    assert_eq!(over[0].params.get("memo_text").map(String::as_str), Some("$5,050 REFUNDED 10/12/17"));
    assert!(!over[1].message.contains("memo") && over[1].params.is_empty(), "{:?}", over[1]);
}

#[test]
fn twice_the_limit_and_more_is_excessive_not_presumed() {
    let text = fec("N", "G2024", "15", "DOE, JANE", "10001", "03012024", "7000", "B1", "", 1);
    let out = run(&text);
    let f = out.flags.iter().find(|f| f.code == "exceeds_limit").unwrap();
    assert_eq!((f.excess.to_string().as_str(), f.status), ("3700", "excessive"));
}

/// Once a donor is over the limit, every further gift is excessive too, each with its own
/// deadline; the presumption of redesignation holds only while the aggregate excess fits the
/// next election's limit.
#[test]
fn every_gift_past_the_limit_is_flagged_not_only_the_first() {
    let text = fec("N", "P2024", "15", "ROE, ANN", "60601", "01022024", "3000", "R1", "", 1)
        + &fec("N", "P2024", "15", "ROE, ANN", "60601", "02012024", "1000", "R2", "", 2)
        + &fec("N", "P2024", "15", "ROE, ANN", "60601", "03012024", "2000", "R3", "", 3)
        + &fec("N", "P2024", "15", "ROE, ANN", "60601", "04012024", "2000", "R4", "", 4);
    let out = run(&text);
    let over: Vec<_> = out.flags.iter().filter(|f| f.code == "exceeds_limit").collect();
    let got: Vec<(u64, String, String, &str, String)> = over
        .iter()
        .map(|f| (f.line, f.aggregate.to_string(), f.excess.to_string(), f.status, f.deadline.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, "4000".into(), "700".into(), "presumptively_redesignated", "2024-04-01".into()),
            (3, "6000".into(), "2000".into(), "presumptively_redesignated", "2024-04-30".into()),
            (4, "8000".into(), "2000".into(), "excessive", "2024-05-31".into()),
        ]
    );
    assert!(over[1].message.contains("by $2700 ($2000 of it from this gift)"), "{}", over[1].message);
}

/// The findings held compactly read back whole, in row order, and their briefs (what the
/// report counts by) say the same code, status and date as the whole findings.
#[test]
fn held_findings_read_back_whole_and_their_briefs_agree() {
    let text = fec("N", "P2024", "15", "ROE, ANN", "60601", "01022024", "3000", "R1", "", 1)
        + &fec("N", "P2024", "15", "ROE, ANN", "60601", "02012024", "1000", "R2", "", 2)
        + "C00000001|N|Q1|P2024|1|15|IND|DOE, JO|LONDON||SW1A|||03012024|4000||D1|1|||3\n"
        + &fec("N", "P2024", "15", "ROE, ANN", "60601", "04012024", "3000", "R4", "", 4);
    let out = run(&text);
    let whole: Vec<_> = out.flags.iter().collect();
    let briefs: Vec<_> = out.flags.briefs().collect();
    assert_eq!(whole.len(), out.flags.len());
    assert_eq!(
        whole.iter().map(|f| (f.code, f.status, f.date)).collect::<Vec<_>>(),
        briefs.iter().map(|b| (b.code, b.status, b.date)).collect::<Vec<_>>()
    );
    let lines: Vec<u64> = whole.iter().map(|f| f.line).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
    let codes: Vec<_> = whole.iter().map(|f| (f.line, f.code)).collect();
    assert!(codes.contains(&(3, "foreign_address")), "{codes:?}");
    assert!(codes.contains(&(3, "itemization_info_missing")), "{codes:?}");
    let over: Vec<_> = whole.iter().filter(|f| f.code == "exceeds_limit").collect();
    assert_eq!(over.iter().map(|f| f.line).collect::<Vec<_>>(), vec![2, 3, 4]);
    let last = over[2];
    assert_eq!((last.id.as_str(), last.donor.as_str(), last.period.as_str()), ("4", "ANN ROE", "P2024"));
    assert_eq!(
        (last.status, last.deadline.as_str(), last.excess.to_string().as_str()),
        ("excessive", "2024-05-31", "3000")
    );
    assert_eq!(last.limit.map(|l| l.to_string()), Some("3300".into()));
    assert!(last.committee.starts_with("C00000001 ("), "{}", last.committee);
    assert!(last.citation.starts_with("52 U.S.C. 30116(a)"), "{}", last.citation);
    assert!(last.message.contains("by 2024-05-31"), "{}", last.message);
    let info = whole.iter().find(|f| f.code == "itemization_info_missing").unwrap();
    assert!(info.message.contains("employer or occupation is missing"), "{}", info.message);
    assert_eq!(info.citation, "52 U.S.C. 30104(b)(3)(A); 11 CFR 104.7(b)");
}

#[test]
fn refunds_by_type_or_sign_bring_a_donor_back_under() {
    // 20Y/22Y are refunds even with a positive amount; a negative amount also reduces.
    for (tp, amt) in [("22Y", "500"), ("20Y", "500"), ("15", "-500")] {
        let text = fec("N", "P2024", "15", "ROE, ANN", "30301", "01012024", "3000", "", "", 1)
            + &fec("N", "P2024", tp, "ROE, ANN", "30301", "02012024", amt, "", "", 2)
            + &fec("N", "P2024", "15", "ROE, ANN", "30301", "03012024", "700", "", "", 3);
        let out = run(&text);
        assert!(out.flags.iter().all(|f| f.code != "exceeds_limit"), "{tp} {amt}: {:?}", out.flags);
        assert_eq!(out.total.to_string(), "3200");
    }
}

#[test]
fn memo_rows_are_not_counted() {
    let text = fec("N", "P2024", "15", "POE, AL", "30301", "01012024", "3000", "", "", 1)
        + &fec("N", "P2024", "15", "POE, AL", "30301", "01022024", "1000", "", "X", 2);
    let out = run(&text);
    assert_eq!(out.memo_rows, 1);
    assert!(out.flags.iter().all(|f| f.code != "exceeds_limit"));
    // Counted, the same gift takes the donor over.
    let counted = text.replace("|X||2\n", "|||2\n");
    assert_ne!(counted, text);
    assert!(run(&counted).flags.iter().any(|f| f.code == "exceeds_limit"));
}

#[test]
fn an_amendment_supersedes_the_row_with_the_same_tran_id() {
    let text = fec("N", "P2024", "15", "LEE, KIM", "98101", "01012024", "3000", "T1", "", 1)
        + &fec("N", "P2024", "15", "LEE, KIM", "98101", "01052024", "3000", "T2", "", 2)
        + &fec("A", "P2024", "15", "LEE, KIM", "98101", "01012024", "300", "T1", "", 3);
    let out = run(&text);
    assert_eq!(out.superseded, 1);
    assert_eq!(out.total.to_string(), "3300");
    assert!(out.flags.iter().all(|f| f.code != "exceeds_limit"), "{:?}", out.flags);
}

#[test]
fn a_2016_gift_is_judged_by_2016_law() {
    let text = fec("N", "P2016", "15", "KING, BO", "02139", "03012016", "2800", "", "", 1)
        + &fec("N", "P2024", "15", "KING, BO", "02139", "03012024", "2800", "", "", 2);
    let out = run(&text);
    let over: Vec<_> = out.flags.iter().filter(|f| f.code == "exceeds_limit").collect();
    assert_eq!(over.len(), 1);
    assert_eq!(over[0].line, 1);
    assert_eq!(over[0].limit.unwrap().to_string(), "2700");
    assert!(over[0].message.contains("2015-2016"));
}

#[test]
fn foreign_address_best_efforts_and_non_individuals() {
    let text = "C00000001|N|Q1|P2024|1|15|IND|MULLER, HANS|BERLIN|ZZ|10115|INFORMATION REQUESTED|INFORMATION REQUESTED|01012024|250||F1|1|||5\n"
        .to_string()
        + "C00000001|N|Q1|P2024|1|15|ORG|ACME INC|SPRINGFIELD|IL|62701|||01012024|900||F2|1|||6\n";
    let out = run(&text);
    let codes = codes_on(&out, 1);
    assert!(codes.contains(&"foreign_address") && codes.contains(&"itemization_info_missing"), "{codes:?}");
    let f = out.flags.iter().find(|f| f.code == "foreign_address").unwrap();
    assert!(f.message.contains("inquire") && f.severity == "review");
    assert!(out
        .flags
        .iter()
        .find(|f| f.code == "itemization_info_missing")
        .unwrap()
        .message
        .contains("best efforts were made"));
    assert_eq!(out.non_individual.get("ORG").map(|e| e.0), Some(1));
    assert_eq!(out.donors, 1);
}

#[test]
fn unknown_format_is_one_error_and_bad_rows_are_listed() {
    let err = screen("hello world\nsecond\n".as_bytes(), &Options::default()).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    let text = fec("N", "P2024", "15", "A, B", "1", "13452024", "10", "", "", 1)
        + "C1|too|few\n"
        + &fec("N", "P2024", "15", "C, D", "1", "01152024", "10", "", "", 3);
    let out = screen(text.as_bytes(), &Options { format: Some(Format::Fec), ..Options::default() }).unwrap();
    assert_eq!(out.unreadable.len(), 2);
    assert_eq!(out.unreadable[1].0, 2);
    // None of the rows readable: the file is unreadable, one error.
    let bad = fec("N", "P2024", "15", "A, B", "1", "13452024", "10", "", "", 1) + "C1|too|few\n";
    let err = screen(bad.as_bytes(), &Options { format: Some(Format::Fec), ..Options::default() }).unwrap_err();
    assert!(err.to_string().contains("none of the 2 rows"), "{err}");
}

#[test]
fn csv_and_jsonl_aggregate_the_same_way() {
    let csv = "Donor First Name,Donor Last Name,Zip,Employer,Occupation,Amount,Date,Committee,Payment Method,ID\n\
               John,Smith,62701,Acme,Engineer,$25.00,2024-01-15,C1,card,r1\n\
               \"JOHN Q.\",\"Smith\",62701-1234,Acme,Engineer,\"3,490.00\",2024-02-20,C1,card,r2\n\
               Ann,Cash,62701,Acme,Engineer,150,2024-02-20,C1,cash,r3\n";
    let opts = Options {
        columns: vec![("first".into(), "Donor First Name".into()), ("last".into(), "Donor Last Name".into())],
        ..Options::default()
    };
    let out = screen(csv.as_bytes(), &opts).unwrap();
    assert_eq!(out.format, Some(Format::Csv));
    let f = out.flags.iter().find(|f| f.code == "exceeds_limit").unwrap();
    assert_eq!((f.line, f.id.as_str(), f.excess.to_string().as_str()), (3, "r2", "215.00"));
    assert!(out.flags.iter().any(|f| f.code == "cash_limit" && f.line == 4));

    let jsonl = r#"{"id":"s1","donor":{"first_name":"John","last_name":"Smith","address":{"postal_code":"62701"}},"contribution":{"amount":"25.00","date":"2024-01-15"}}
{"id":"s2","donor":{"first_name":"john","last_name":"SMITH","address":{"postal_code":"62701-1234"}},"contribution":{"amount":"3490.00","date":"2024-02-20"}}
"#;
    let out = run(jsonl);
    assert_eq!(out.format, Some(Format::Jsonl));
    let f = out.flags.iter().find(|f| f.code == "exceeds_limit").unwrap();
    assert_eq!((f.line, f.id.as_str()), (2, "s2"));
}

/// The FEC aggregation tests above, as a CSV export: the columns of the FEC's own Schedule A
/// download (a subset, in its order), with its timestamps and election codes.
#[test]
fn a_schedule_a_csv_aggregates_as_the_bulk_file_does() {
    let head = "committee_id,committee_name,report_year,report_type,image_number,transaction_id,entity_type,\
                contributor_prefix,contributor_name,contributor_first_name,contributor_middle_name,contributor_last_name,\
                contributor_suffix,contributor_city,contributor_state,contributor_zip,contributor_employer,\
                contributor_occupation,receipt_type,memo_code,contribution_receipt_date,contribution_receipt_amount,\
                election_type,amendment_indicator,sub_id\n";
    #[allow(clippy::too_many_arguments)]
    let row = |tran: &str,
               first: &str,
               last: &str,
               zip: &str,
               tp: &str,
               memo: &str,
               date: &str,
               amt: &str,
               pgi: &str,
               amnd: &str,
               sub: u32| {
        format!(
            "C00000001,FRIENDS OF A CANDIDATE,2024,Q1,1,{tran},IND,,\"{last}, {first}\",{first},,{last},,SPRINGFIELD,IL,{zip},ACME,ENGINEER,{tp},{memo},{date},{amt},{pgi},{amnd},{sub}\n"
        )
    };
    let text = head.to_string()
        // Name variants and ZIP+4: one donor, over the limit on the second gift.
        + &row("A1", "JOHN A.", "SMITH", "62701", "15", "", "2024-01-15 00:00:00", "25.00", "P2024", "N", 11)
        + &row("A2", "John", "Smith", "627011234", "15", "", "2024-02-20 00:00:00", "3290.00", "P2024", "N", 12)
        // A refund (22Y, positive) brings a donor back under.
        + &row("B1", "ANN", "ROE", "30301", "15", "", "2024-01-01 00:00:00", "3000.00", "P2024", "N", 13)
        + &row("B2", "ANN", "ROE", "30301", "22Y", "", "2024-02-01 00:00:00", "500.00", "P2024", "N", 14)
        + &row("B3", "ANN", "ROE", "30301", "15", "", "2024-03-01 00:00:00", "700.00", "P2024", "N", 15)
        // A memo row is not counted.
        + &row("C1", "AL", "POE", "30301", "15", "", "2024-01-01 00:00:00", "3000.00", "P2024", "N", 16)
        + &row("C2", "AL", "POE", "30301", "15", "X", "2024-01-02 00:00:00", "1000.00", "P2024", "N", 17)
        // An amendment supersedes the row with its transaction id.
        + &row("D1", "KIM", "LEE", "98101", "15", "", "2024-01-01 00:00:00", "3000.00", "P2024", "N", 18)
        + &row("D2", "KIM", "LEE", "98101", "15", "", "2024-01-05 00:00:00", "3000.00", "P2024", "N", 19)
        + &row("D1", "KIM", "LEE", "98101", "15", "", "2024-01-01 00:00:00", "300.00", "P2024", "A", 20)
        // A 2016 gift under 2016 law ($2,700), a 2024 one under 2024's ($3,300).
        + &row("E1", "BO", "KING", "02139", "15", "", "2016-03-01 00:00:00", "2800.00", "P2016", "N", 21)
        + &row("E2", "BO", "KING", "02139", "15", "", "2024-03-01 00:00:00", "2800.00", "P2024", "N", 22);
    let out = all_ways(&text);
    assert_eq!(out.format, Some(Format::Csv));
    assert!(out.unreadable.is_empty(), "{:?}", out.unreadable);
    assert_eq!((out.memo_rows, out.superseded), (1, 1));
    let over: Vec<_> = out.flags.iter().filter(|f| f.code == "exceeds_limit").collect();
    let lines: Vec<u64> = over.iter().map(|f| f.line).collect();
    // The header is line 1: Smith's second gift is line 3, King's 2016 gift line 12.
    assert_eq!(lines, [3, 12], "{over:?}");
    assert_eq!((over[0].id.as_str(), over[0].aggregate.to_string().as_str()), ("12", "3315.00"));
    assert_eq!(over[0].excess.to_string(), "15.00");
    assert_eq!((over[1].id.as_str(), over[1].limit.unwrap().to_string().as_str()), ("21", "2700"));
    assert!(over[1].message.contains("2015-2016"), "{}", over[1].message);
    // Smith 3,315 + Roe 3,200 + Poe 3,000 + Lee 3,300 + King 5,600.
    assert_eq!(out.total.to_string(), "18415.00");
    assert_eq!(out.donors, 5);
}

fn data() -> Option<(&'static Path, &'static Path)> {
    let (it, cm) = (Path::new("../shared/data/fec/itcont-sample-10k.txt"), Path::new("../shared/data/fec/cm.txt"));
    if it.exists() && cm.exists() {
        Some((it, cm))
    } else {
        eprintln!("skipping: ../shared/data/fec is absent");
        None
    }
}

#[test]
fn committee_master_types() {
    let Some((_, cm)) = data() else { return };
    let map = read_committees(std::fs::File::open(cm).unwrap()).unwrap();
    use donation_guard::screen::law::CommitteeType as T;
    assert_eq!(map.get("C00000935"), Some(&T::NationalParty)); // DCCC
    assert_eq!(map.get("C00000059"), Some(&T::Pac));
    // Cleveland 2016 Host Committee, type X: a host committee, not a state party.
    assert_eq!(map.get("C00567057"), Some(&T::HostCommittee));
}

#[test]
fn the_real_fec_sample_produces_report_csv_and_summary() {
    let Some((it, cm)) = data() else { return };
    let dir = std::env::temp_dir().join(format!("dg-screen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (r, c, j) = (dir.join("r.html"), dir.join("f.csv"), dir.join("s.json"));
    let status = Command::new(env!("CARGO_BIN_EXE_donation-guard"))
        .args(["screen", it.to_str().unwrap(), "--committees", cm.to_str().unwrap(), "--report"])
        .arg(&r)
        .arg("--csv")
        .arg(&c)
        .arg("--json")
        .arg(&j)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1)); // something needs action
    let html = std::fs::read_to_string(&r).unwrap();
    assert!(html.contains("<svg") && !html.contains("<script") && !html.contains("http"));
    let csv = std::fs::read_to_string(&c).unwrap();
    assert!(csv.starts_with("row,id,code,severity,"));
    assert!(csv.lines().count() > 10);
    let s: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
    assert_eq!(s["rows"], 10000);
    assert_eq!(s["committee_types_assumed"], false);
    assert!(s["memo_rows"].as_u64().unwrap() > 0);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_unknown_format_exits_2_with_one_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_donation-guard"))
        .args(["screen", "--format", "csv", "Cargo.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

#[test]
fn check_tag_appends_line_and_id_and_without_it_nothing_changes() {
    let input = "{\"id\":\"abc\",\"contribution\":{\"amount\":\"5.00\"}}\n";
    let run = |args: &[&str]| {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_donation-guard"))
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
    };
    let plain = run(&["check"]);
    let tagged = run(&["check", "--tag"]);
    assert!(!plain.contains("\"line\""));
    assert_eq!(
        tagged.trim_end(),
        format!("{},\"line\":1,\"id\":\"abc\"}}", plain.trim_end().strip_suffix('}').unwrap())
    );
}

fn jsonl(id: &str, first: &str, last: &str, zip: &str, amount: &str, date: &str) -> String {
    format!(
        "{{\"id\":\"{id}\",\"recipient\":{{\"id\":\"C1\"}},\"donor\":{{\"first_name\":\"{first}\",\"last_name\":\"{last}\",\"address\":{{\"postal_code\":\"{zip}\"}},\"employer\":\"Acme\",\"occupation\":\"Engineer\"}},\"contribution\":{{\"amount\":\"{amount}\",\"date\":\"{date}\"}}}}\n"
    )
}

/// Every way of reading (one pass, two passes, pass 2 from the spill or the input read again)
/// and any number of threads give the same CSV.
fn all_ways(text: &str) -> Outcome {
    let csv = |o: &Outcome| {
        let mut v = Vec::new();
        donation_guard::screen::write_csv(o, &mut v).unwrap();
        String::from_utf8(v).unwrap()
    };
    let one = screen(text.as_bytes(), &Options { jobs: 1, ..Options::default() }).unwrap();
    let owned = text.to_string();
    let open =
        || -> std::io::Result<Box<dyn std::io::Read + Send>> { Ok(Box::new(std::io::Cursor::new(owned.clone()))) };
    // Pass 2 from pass 1's temporary file of gifts (the default) and from the input read again.
    let kept = screen(text.as_bytes(), &Options { jobs: 1, reread: true, ..Options::default() }).unwrap();
    assert_eq!(csv(&one), csv(&kept), "standard input, every gift kept in memory");
    for jobs in [1, 2, 3] {
        for reread in [false, true] {
            let opts = Options { jobs, reread, ..Options::default() };
            let two = donation_guard::screen::screen_twice(open, None, &opts).unwrap();
            assert_eq!(csv(&one), csv(&two), "two passes, {jobs} threads, reread {reread}");
            assert_eq!((one.total, one.donors, one.superseded), (two.total, two.donors, two.superseded));
        }
    }
    one
}

#[test]
fn unicode_confusable_nickname_and_swapped_spellings_are_one_donor_as_in_the_ledger() {
    use donation_guard::identity::donor_identity;
    let spellings = [
        ("Robert", "Smith", "62701"),
        ("Bob", "SMITH", "62701-1234"),             // nickname, ZIP+4
        ("Smith", "Robert", "62701"),               // swapped fields
        ("Rоbert", "Ｓｍｉｔｈ", "62701"),          // Cyrillic о, fullwidth letters
        ("Rob\u{200B}ert J.", "Smith Jr", "62701"), // zero-width space, initial (suffix differs: see below)
    ];
    // The ledger's key: the first four are one donor there.
    let key = |s: &(&str, &str, &str)| donor_identity(s.0, s.1, s.2).key;
    for s in &spellings[1..4] {
        assert_eq!(key(s), key(&spellings[0]), "{s:?}");
    }
    let text: String = spellings[..4]
        .iter()
        .enumerate()
        .map(|(i, (f, l, z))| jsonl(&format!("s{i}"), f, l, z, "1000.00", &format!("2024-0{}-01", i + 1)))
        .collect();
    let out = all_ways(&text);
    assert_eq!(out.donors, 1);
    let over: Vec<_> = out.flags.iter().filter(|f| f.code == "exceeds_limit").collect();
    assert_eq!(over.len(), 1, "{:?}", out.flags);
    assert_eq!((over[0].line, over[0].aggregate.to_string().as_str()), (4, "4000.00"));
    // A suffix is another person for the ledger too (father and son): not added together.
    assert_ne!(key(&spellings[4]), key(&spellings[0]));
}

#[test]
fn a_near_match_at_a_neighbouring_zip_is_a_possible_duplicate_when_together_they_pass_the_limit() {
    let text = jsonl("a", "Ada", "Lovelace", "62701", "2000.00", "2024-01-10")
        + &jsonl("b", "Ada", "Lovelace", "62702", "2000.00", "2024-02-10");
    let out = all_ways(&text);
    assert_eq!(out.donors, 2, "never merged");
    assert!(out.flags.iter().all(|f| f.code != "exceeds_limit"));
    let dup: Vec<_> = out.flags.iter().filter(|f| f.code == "possible_duplicate_donor").collect();
    assert_eq!(dup.len(), 1, "{:?}", out.flags);
    assert_eq!((dup[0].line, dup[0].id.as_str(), dup[0].severity), (2, "b", "review"));
    assert_eq!(dup[0].aggregate.to_string(), "4000.00");
    assert_eq!(dup[0].params.get("other_donor").map(String::as_str), Some("Ada Lovelace (62701)"));
    assert_eq!(out.duplicates.len(), 1);
    // Together under the limit: nothing to decide.
    let small = jsonl("a", "Ada", "Lovelace", "62701", "200.00", "2024-01-10")
        + &jsonl("b", "Ada", "Lovelace", "62702", "200.00", "2024-02-10");
    assert!(all_ways(&small).flags.iter().all(|f| f.code != "possible_duplicate_donor"));
    // Another person at the same ZIP is not near.
    let other = jsonl("a", "Ada", "Lovelace", "62701", "2000.00", "2024-01-10")
        + &jsonl("b", "Grace", "Hopper", "62701", "2000.00", "2024-02-10");
    assert!(all_ways(&other).flags.is_empty());
}

#[test]
fn an_ambiguous_nickname_or_a_partial_surname_is_a_possible_duplicate_never_merged() {
    // Two donors' $2,000 gifts, screened every way: the outcome and its duplicate flags.
    type Who<'a> = (&'a str, &'a str, &'a str);
    let pair = |a: Who<'_>, b: Who<'_>| {
        let text =
            jsonl("a", a.0, a.1, a.2, "2000.00", "2024-01-10") + &jsonl("b", b.0, b.1, b.2, "2000.00", "2024-02-10");
        let out = all_ways(&text);
        let dup: Vec<(u64, String)> = out
            .flags
            .iter()
            .filter(|f| f.code == "possible_duplicate_donor")
            .map(|f| (f.line, f.aggregate.to_string()))
            .collect();
        (out.donors, dup)
    };
    // Chris may be Christopher (or Christine): not one donor, but a pair for a person to decide.
    // So are Garcia-Lopez and Garcia, and O Brien and OBrien, at any ZIP.
    for (a, b) in [
        (("Chris", "Lovelace", "62701"), ("Christopher", "Lovelace", "62701")),
        (("Maria", "Garcia-Lopez", "33101"), ("Maria", "Garcia", "33130")),
        (("Sean", "O Brien", "02139"), ("Sean", "OBrien", "02139")),
    ] {
        assert_eq!(pair(a, b), (2, vec![(2, "4000.00".to_string())]), "{a:?} {b:?}: never merged, one pair");
    }
    // Chris and another given name, or another surname, are not near.
    for (a, b) in [
        (("Chris", "Lovelace", "62701"), ("Charles", "Lovelace", "62701")),
        (("Chris", "Lovelace", "62701"), ("Christopher", "Hopper", "62701")),
        (("Maria", "Garcia-Lopez", "33101"), ("Ana", "Garcia", "33101")),
    ] {
        assert_eq!(pair(a, b), (2, Vec::new()), "{a:?} {b:?}");
    }
}

/// "THOMPSON, M" and "THOMPSON, K" at one ZIP (the bulk files' initial-only given names) were
/// one donor until December 2026, and their $2,000 each looked excessive together. They are two
/// donors now, listed as a possible duplicate; "THOMPSON, M." is still "THOMPSON, M".
#[test]
fn initial_only_given_names_are_two_donors_listed_for_review() {
    let text = fec("N", "P2024", "15", "THOMPSON, M", "10001", "01152024", "2000", "", "", 1)
        + &fec("N", "P2024", "15", "THOMPSON, K", "10001", "02152024", "2000", "", "", 2);
    let out = all_ways(&text);
    assert_eq!(out.donors, 2);
    assert!(out.flags.iter().all(|f| f.code != "exceeds_limit"), "{:?}", out.flags);
    assert_eq!(codes_on(&out, 2), ["possible_duplicate_donor"]);
    let text = fec("N", "P2024", "15", "THOMPSON, M", "10001", "01152024", "2000", "", "", 1)
        + &fec("N", "P2024", "15", "THOMPSON, M.", "100011234", "02152024", "2000", "", "", 2);
    let out = all_ways(&text);
    assert_eq!(out.donors, 1);
    assert_eq!(codes_on(&out, 2), ["exceeds_limit"]);
}

/// "Thompson, M" and "Thompson, Mark" at one ZIP, as filings often write one donor: two donors
/// (M is also Mary), listed for review when together they pass the limit; never merged. Two
/// full names that share only the initial are not paired by it.
#[test]
fn an_initial_and_a_full_given_name_at_one_place_are_listed_for_review() {
    let pair = |a: &str, b: &str, zip_b: &str| {
        let text = fec("N", "P2024", "15", a, "10001", "01152024", "1500", "", "", 1)
            + &fec("N", "P2024", "15", b, zip_b, "02152024", "2000", "", "", 2);
        all_ways(&text)
    };
    for (a, b) in
        [("THOMPSON, M", "THOMPSON, MARK"), ("THOMPSON, MARK A", "THOMPSON, M."), ("THOMPSON, M", "THOMPSON, PEGGY")]
    {
        let out = pair(a, b, "100011234");
        assert_eq!(out.donors, 2, "{a} / {b}");
        assert!(out.flags.iter().all(|f| f.code != "exceeds_limit"), "{:?}", out.flags);
        assert_eq!(codes_on(&out, 2), ["possible_duplicate_donor"], "{a} / {b}");
    }
    // Another place, or two given names that share only their initial: not listed.
    assert!(codes_on(&pair("THOMPSON, M", "THOMPSON, MARK", "60601"), 2).is_empty());
    assert!(codes_on(&pair("THOMPSON, MICHAEL", "THOMPSON, MARK", "10001"), 2).is_empty());
}

/// A gift dated before (or after) every embedded federal cycle has no known limit: it is listed
/// as not judged, never silently within limits.
#[test]
fn a_gift_outside_every_ruleset_is_not_judged_and_says_so() {
    let text = fec("N", "P2002", "15", "DOE, JANE", "62701", "03012002", "3000", "", "", 1)
        + &fec("N", "P2028", "15", "DOE, JANE", "62701", "04012027", "3000", "", "", 2)
        + &fec("N", "P2016", "15", "DOE, JANE", "62701", "04012016", "100", "", "", 3);
    let out = all_ways(&text);
    assert!(out.flags.iter().all(|f| f.code != "exceeds_limit"), "{:?}", out.flags);
    let why = donation_guard::screen::law::NO_RULESET;
    assert_eq!(out.not_judged.get(why).map(|(n, a)| (*n, a.to_string())), Some((2, "6000".to_string())));
    assert_eq!(out.not_judged.len(), 1);
    let outcome = |k: &str| out.by_outcome.get(k).map(ToString::to_string);
    assert_eq!(outcome("no limit applied").as_deref(), Some("6000"));
    assert_eq!(outcome("within limits").as_deref(), Some("100"));
}

/// The one excess of `text` (all ways): its line, limit, ruleset named in its message, the start
/// of its citation, and its period.
fn the_one_excess(text: &str, line: u64, limit: &str, ruleset: &str, citation: &str, period: &str) {
    let out = all_ways(text);
    let over: Vec<_> = out.flags.iter().filter(|f| f.code == "exceeds_limit").collect();
    assert_eq!(over.len(), 1, "{:?}", out.flags);
    assert_eq!((over[0].line, over[0].limit.unwrap().to_string().as_str()), (line, limit));
    assert!(over[0].message.contains(ruleset), "{}", over[0].message);
    assert!(over[0].citation.starts_with(citation), "{}", over[0].citation);
    assert_eq!(over[0].period, period);
    assert!(out.not_judged.is_empty(), "{:?}", out.not_judged);
}

#[test]
fn a_2012_file_is_judged_by_the_2011_2012_ruleset() {
    // $2,600 is over 2012's $2,500 per election; a primary and a general gift are two elections,
    // and 2008's $2,300 is within 2008's limit.
    let text = fec("N", "P2012", "15", "KING, BO", "02139", "03012012", "2600", "", "", 1)
        + &fec("N", "G2012", "15", "KING, BO", "02139", "09012012", "2500", "", "", 2)
        + &fec("N", "P2008", "15", "KING, BO", "02139", "03012008", "2300", "", "", 3);
    the_one_excess(&text, 1, "2500", "us-federal-2011-2012", "2 U.S.C. 441a(a)(1)(A)", "P2012");
}

#[test]
fn a_2016_gift_is_judged_by_the_2015_2016_ruleset() {
    // $3,000 is over 2016's $2,700 but under 2024's $3,300.
    let text = fec("N", "P2016", "15", "KING, BO", "02139", "03012016", "3000", "", "", 1)
        + &fec("N", "P2024", "15", "KING, BO", "02139", "03012024", "3000", "", "", 2);
    the_one_excess(&text, 1, "2700", "us-federal-2015-2016", "52 U.S.C. 30116(a)(1)(A)", "P2016");
}

#[test]
fn the_aggregation_cases_agree_in_one_and_two_passes() {
    let text = fec("N", "P2024", "15", "LEE, KIM", "98101", "01012024", "3000", "T1", "", 1)
        + &fec("N", "P2024", "15", "LEE, KIM", "98101", "01052024", "3000", "T2", "", 2)
        + &fec("A", "P2024", "15", "LEE, KIM", "98101", "01012024", "300", "T1", "", 3)
        + &fec("N", "P2024", "22Y", "LEE, KIM", "98101", "02012024", "100", "", "", 4)
        + &fec("N", "P2024", "15", "POE, AL", "30301", "01012024", "3000", "", "X", 5)
        + &fec("N", "G2024", "15", "DOE, JANE", "10001", "03012024", "7000", "B1", "", 6);
    let out = all_ways(&text);
    assert_eq!((out.superseded, out.memo_rows, out.refunds), (1, 1, 1));
    assert_eq!(out.total.to_string(), "10200");
}

#[test]
fn sanctions_list_flags_rows_with_their_params() {
    let path = Path::new("../shared/data/ofac/sdn-2024-05-03.csv");
    if !path.exists() {
        eprintln!("skipping: ../shared/data/ofac is absent");
        return;
    }
    let list = donation_guard::sanctions::SanctionsList::load(&std::fs::read(path).unwrap(), None).unwrap();
    let screening = donation_guard::cli::Screening { list, thresholds: Default::default() };
    let opts = Options { sanctions: Some(std::sync::Arc::new(screening)), ..Options::default() };
    let text = fec("N", "P2024", "15", "PRIGOZHIN, YEVGENIY", "10001", "01012024", "50", "", "", 1)
        + &fec("N", "P2024", "15", "SMITH, JOHN", "10001", "01012024", "50", "", "", 2);
    let out = screen(text.as_bytes(), &opts).unwrap();
    let hit: Vec<_> = out.flags.iter().filter(|f| f.code.starts_with("sanctions")).collect();
    assert_eq!(hit.len(), 1, "{:?}", out.flags);
    assert_eq!((hit[0].line, hit[0].code, hit[0].severity), (1, "sanctions_match", "reject"));
    for k in ["sdn_uid", "sdn_name", "programs", "score", "list_digest"] {
        assert!(hit[0].params.contains_key(k), "{k}");
    }
    assert!(hit[0].params["programs"].contains("ELECTION-EO13848"));
}

// ---- Real exports (issue 12, round 3) ----

fn csv_out(o: &Outcome) -> String {
    let mut v = Vec::new();
    donation_guard::screen::write_csv(o, &mut v).unwrap();
    String::from_utf8(v).unwrap()
}

fn run_bytes(bytes: &[u8]) -> Outcome {
    screen(bytes, &Options::default()).unwrap()
}

fn over(out: &Outcome) -> Vec<(u64, String)> {
    out.flags.iter().filter(|f| f.code == "exceeds_limit").map(|f| (f.line, f.aggregate.to_string())).collect()
}

/// The FEC website's Schedule A CSV download: `sub_id` is the row's id (not `transaction_id`),
/// the date is an ISO date-time, the ZIP has 9 digits, the committee type is in the file, a
/// 22Y refund is positive, memo_code X is not counted, an amendment replaces its transaction.
#[test]
fn fec_schedule_a_csv_download_is_read_with_its_own_columns() {
    let head = "committee_id,committee_name,report_year,report_type,image_number,line_number,transaction_id,file_number,entity_type,entity_type_desc,contributor_name,recipient_committee_type,recipient_committee_designation,contributor_first_name,contributor_middle_name,contributor_last_name,contributor_suffix,contributor_street_1,contributor_city,contributor_state,contributor_zip,contributor_employer,contributor_occupation,receipt_type,memo_code,memo_code_full,contribution_receipt_date,contribution_receipt_amount,contributor_aggregate_ytd,election_type,fec_election_type_desc,amendment_indicator,sub_id\n";
    let row = |tran: &str, amnd: &str, tp: &str, memo: &str, date: &str, amt: &str, sub: &str| {
        format!("C00000001,FRIENDS OF X,2024,Q1,202401019000001,11AI,{tran},1,IND,INDIVIDUAL,\"DOE, JANE\",H,P,JANE,Q,DOE,,1 MAIN ST,SPRINGFIELD,IL,627011234,ACME,ENGINEER,{tp},{memo},,{date},{amt},0,P2024,PRIMARY,{amnd},{sub}\n")
    };
    let text = head.to_string()
        + &row("SA11.1", "N", "15", "", "2024-01-15T00:00:00", "2000.00", "4011")
        + &row("SA11.2", "N", "15", "", "2024-02-15T00:00:00", "1000.00", "4012")
        + &row("SA11.3", "N", "15", "X", "2024-02-16T00:00:00", "5000.00", "4013")
        + &row("SA11.2", "A", "15", "", "2024-02-15T00:00:00", "1500.00", "4014")
        + &row("SA11.4", "N", "22Y", "", "2024-03-01T00:00:00", "100.00", "4015");
    let out = all_ways(&text);
    assert_eq!(out.format, Some(Format::Csv));
    assert_eq!((out.donors, out.memo_rows, out.superseded, out.refunds), (1, 1, 1, 1));
    assert_eq!(out.total.to_string(), "3400.00");
    assert!(!out.committee_types_assumed, "the type came from recipient_committee_type");
    let f = out.flags.iter().find(|f| f.code == "exceeds_limit").expect("over $3,300 once the amendment counts");
    assert_eq!((f.line, f.id.as_str(), f.period.as_str()), (5, "4014", "P2024"));
    assert_eq!(f.aggregate.to_string(), "3500.00");
}

/// ActBlue's contributions CSV: "Receipt ID", "Date" with a time, "Donor ..." columns, the FEC
/// id in "Recipient Gov ID", a "Refund ID" (refunded: not counted), "Donor Country".
#[test]
fn actblue_export_with_refunds_and_countries() {
    let head = "Receipt ID,Date,Amount,Recurring Total Months,Recurrence Number,Recipient,Fundraising Page,Fundraising Partner,Reference Code 2,Reference Code,Donor First Name,Donor Last Name,Donor Addr1,Donor Addr2,Donor City,Donor State,Donor ZIP,Donor Country,Donor Occupation,Donor Employer,Donor Email,Donor Phone,New Express Signup,Comments,Check Number,Check Date,Employer Addr1,Employer Addr2,Employer City,Employer State,Employer ZIP,Employer Country,Donor ID,Fundraiser ID,Fundraiser Recipient ID,Fundraiser Contact Email,Fundraiser Contact First Name,Fundraiser Contact Last Name,Partner ID,Partner Contact Email,Partner Contact First Name,Partner Contact Last Name,Reserved_01,Lineitem ID,AB Test Name,AB Variation,Recipient Committee,Recipient ID,Recipient Gov ID,Recipient Election,Reserved_02,Payment ID,Payment Date,Disbursement ID,Disbursement Date,Recovery ID,Recovery Date,Refund ID,Refund Date,Fee\n";
    let row = |id: &str,
               date: &str,
               amt: &str,
               first: &str,
               city: &str,
               state: &str,
               zip: &str,
               country: &str,
               refund: &str| {
        format!("{id},{date},{amt},,,Friends of X,page,,,,{first},Lovelace,1 Main St,,{city},{state},{zip},{country},Engineer,Acme,a@example.org,,,,,,,,,,,,,,,,,,,,,,,{id}1,,,Friends of X,77,C00000001,2024 primary,,P{id},{date},D1,2024-03-01,,,{refund},,1.00\n")
    };
    let text = head.to_string()
        + &row("AB1", "2024-01-15 10:00:00", "2000.00", "Ada", "Springfield", "IL", "62701", "United States", "")
        + &row(
            "AB2",
            "2024-01-20 11:00:00",
            "3000.00",
            "Ada",
            "Springfield",
            "IL",
            "62701-1234",
            "United States",
            "R9",
        )
        + &row("AB3", "2024-02-01 09:30:00", "\"$1,500.00\"", "Ada", "Springfield", "IL", "62701", "United States", "")
        + &row("AB4", "2024-02-02 09:30:00", "25.00", "Grace", "Toronto", "ON", "M5V 2T6", "Canada", "");
    let out = all_ways(&text);
    assert_eq!(over(&out), vec![(4, "3500.00".to_string())], "the refunded $3,000 is not counted");
    let f = out.flags.iter().find(|f| f.code == "exceeds_limit").unwrap();
    assert_eq!((f.id.as_str(), f.period.as_str()), ("AB3", "P2024"));
    assert_eq!(out.not_counted.values().map(|v| v.0).sum::<u64>(), 1);
    let foreign: Vec<u64> = out.flags.iter().filter(|f| f.code == "foreign_address").map(|f| f.line).collect();
    assert_eq!(foreign, vec![5]);
}

/// RFC 4180: a quoted cell holds the delimiter, doubled quotes and a line break (CRLF file with a
/// UTF-8 BOM); rows are numbered by the file's line where they start.
#[test]
fn quoted_cells_with_line_breaks_crlf_and_bom() {
    let text = "\u{feff}First Name,Last Name,Address,Zip,Amount,Date,Employer,Occupation\r\n\
        Ada,Lovelace,\"1 Main St\r\nApt 2, \"\"rear\"\"\",62701,2000.00,01/15/2024,Acme,Engineer\r\n\
        Ada,Lovelace,\"1 Main St\",62701,\"1,500.00\",02/15/2024,Acme,Engineer\r\n";
    let out = all_ways(text);
    assert!(out.unreadable.is_empty(), "{:?}", out.unreadable);
    assert_eq!(out.rows, 2);
    assert_eq!(over(&out), vec![(4, "3500.00".to_string())]);
}

#[test]
fn semicolon_decimal_comma_tab_and_utf16() {
    let semi = "Vorname;Nachname;First Name;Last Name;Zip;Amount;Date;Employer;Occupation\n\
        x;y;Ada;Lovelace;62701;2.000,00;2024-01-15;Acme;Engineer\n\
        x;y;Ada;Lovelace;62701;1.500,50;15.02.2024;Acme;Engineer\n";
    let out = all_ways(semi);
    assert!(out.unreadable.is_empty(), "{:?}", out.unreadable);
    assert_eq!(over(&out), vec![(3, "3500.50".to_string())]);
    let tab = "First Name\tLast Name\tZip\tAmount\tDate\n\
        Ada\tLovelace\t62701\t$2,000.00\t1/15/24\nAda\tLovelace\t62701\t$1,500.00\t2/15/24\n";
    let out = all_ways(tab);
    assert_eq!(over(&out), vec![(3, "3500.00".to_string())]);
    // Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in tab.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let out = run_bytes(&utf16);
    assert_eq!(over(&out), vec![(3, "3500.00".to_string())]);
    // Windows-1252 from Excel's plain CSV: José stays José.
    let mut cp = b"First Name,Last Name,Zip,Amount,Date\nJos".to_vec();
    cp.push(0xE9);
    cp.extend_from_slice(b",Garc\xEDa,62701,25.00,2024-01-15\n");
    let out = run_bytes(&cp);
    assert!(out.unreadable.is_empty());
    assert_eq!(out.donors, 1);
}

#[test]
fn amounts_and_dates_as_spreadsheets_write_them() {
    use donation_guard::screen::input::{parse_amount, parse_date};
    for (s, want) in [
        ("1000", "1000"),
        ("$1,000.00", "1000.00"),
        ("(25.00)", "-25.00"),
        ("-$25", "-25"),
        ("$-25.00", "-25.00"),
        ("25.00-", "-25.00"),
        ("USD 25", "25"),
        ("1.000,00", "1000.00"),
        ("25,50", "25.50"),
        ("1,000", "1000"),
    ] {
        assert_eq!(parse_amount(s).map(|d| d.to_string()), Ok(want.to_string()), "{s}");
    }
    for s in ["", "abc", "1.2.3", "$"] {
        assert!(s.is_empty() || parse_amount(s).is_err(), "{s}");
    }
    for (s, want) in [
        ("2024-01-15", 20240115),
        ("2024-01-15T10:00:00Z", 20240115),
        ("2024-01-15 23:59:59", 20240115),
        ("01/15/2024", 20240115),
        ("1/5/2024 3:04 PM", 20240105),
        ("1/5/24", 20240105),
        ("12/31/99", 19991231),
        ("01152024", 20240115),
        ("20240115", 20240115),
        ("15/01/2024", 20240115),
        ("15-Jan-2024", 20240115),
        ("Jan 15, 2024", 20240115),
        ("January 15 2024", 20240115),
        ("2024/01/15", 20240115),
    ] {
        assert_eq!(parse_date(s), Ok(want), "{s}");
    }
    for s in ["2024-02-30", "13/13/2024", "yesterday", "2024-01"] {
        assert!(parse_date(s).is_err(), "{s}");
    }
}

/// Donorbox ("Donor's First Name", "Amount in USD", "State / Province", "Donated At") and
/// NationBuilder (`amount_in_cents`, `succeeded_at`, `billing_address_zip`), and a status column
/// that says a gift failed.
#[test]
fn donorbox_and_nationbuilder_headers() {
    let donorbox = "Name,Donating Company,Donor's First Name,Donor's Last Name,Donor Email,Campaign,Amount,Currency,Amount in USD,Donated At,Address,City,State / Province,Postal Code,Country,Employer,Occupation,Receipt Id,Donation Type,Status\n\
        Ada Lovelace,,Ada,Lovelace,a@x.org,Spring,1800,EUR,2000.00,2024-01-15 10:00:00 -0500,1 Main,Springfield,IL,62701,US,Acme,Engineer,R1,stripe,paid\n\
        Ada Lovelace,,Ada,Lovelace,a@x.org,Spring,5000,USD,5000.00,2024-01-16 10:00:00 -0500,1 Main,Springfield,IL,62701,US,Acme,Engineer,R2,stripe,failed\n\
        Ada Lovelace,,Ada,Lovelace,a@x.org,Spring,1500,USD,1500.00,2024-01-17 10:00:00 -0500,1 Main,Springfield,IL,62701,US,Acme,Engineer,R3,cash,paid\n";
    let out = all_ways(donorbox);
    assert!(out.unreadable.is_empty(), "{:?}", out.unreadable);
    assert_eq!(over(&out), vec![(4, "3500.00".to_string())]);
    assert!(out.flags.iter().any(|f| f.code == "cash_limit" && f.line == 4));
    assert_eq!(out.not_counted.values().map(|v| v.0).sum::<u64>(), 1);
    let nb = "donation_id,first_name,last_name,billing_address_city,billing_address_state,billing_address_zip,billing_address_country_code,employer,occupation,amount_in_cents,succeeded_at,payment_type_name\n\
        1,Ada,Lovelace,Springfield,IL,62701,US,Acme,Engineer,200000,2024-01-15T10:00:00-05:00,Credit Card\n\
        2,Ada,Lovelace,Springfield,IL,62701,US,Acme,Engineer,150000,2024-02-15T10:00:00-05:00,Credit Card\n";
    let out = all_ways(nb);
    assert_eq!(over(&out), vec![(3, "3500".to_string())]);
}

/// Recipients with no single limit are not judged against one (the false excess flags of the
/// real data), and the summary says what was not judged and why; a national party's
/// headquarters account has its own (three times) limit.
#[test]
fn joint_fundraising_super_pacs_non_contribution_accounts_and_party_accounts() {
    let cm = "C00000010|JFC VICTORY FUND|T||||||J|N|||\n\
        C00000020|SUPER PAC FOR X|T||||||U|O|||\n\
        C00000030|HYBRID PAC|T||||||U|V|||\n\
        C00000040|DEMOCRATIC NATIONAL COMMITTEE|T||||||U|Y|||\n\
        C00000050|ACTBLUE|T||||||U|W|||\n";
    let committees = read_committees(cm.as_bytes()).unwrap();
    let gift = |cmte: &str, tp: &str, amt: &str, sub: u64| {
        format!("{cmte}|N|Q1|P2024|1|{tp}|IND|DOE, JANE|SPRINGFIELD|IL|62701|ACME|ENGINEER|01152024|{amt}||T{sub}|1|||{sub}\n")
    };
    let text = gift("C00000010", "15", "50000", 1) // JFC
        + &gift("C00000020", "15", "100000", 2) // super PAC
        + &gift("C00000030", "10", "60000", 3) // hybrid PAC, non-contribution account
        + &gift("C00000030", "15", "6000", 4) // hybrid PAC, contribution account: $5,000 a year
        + &gift("C00000040", "31", "100000", 5) // DNC headquarters account: 3 x $41,300 in 2024
        + &gift("C00000040", "15", "42000", 6) // DNC main account: $41,300
        + &gift("C00000050", "24T", "9000", 7); // earmarked through ActBlue
    let opts = Options { committees: Some(committees), jobs: 1, ..Options::default() };
    let out = screen(text.as_bytes(), &opts).unwrap();
    let lines: Vec<u64> = out.flags.iter().filter(|f| f.code == "exceeds_limit").map(|f| f.line).collect();
    assert_eq!(lines, vec![4, 6], "{:?}", out.flags);
    assert!(!out.committee_types_assumed);
    let reasons: Vec<&str> = out.not_judged.keys().copied().collect();
    for word in ["joint fundraising", "super PAC", "non-contribution account", "earmarked"] {
        assert!(reasons.iter().any(|r| r.contains(word)), "{word}: {reasons:?}");
    }
    let s = donation_guard::screen::summary_json(&out);
    assert_eq!(s["not_judged"].as_object().unwrap().len(), 4);
    let html = donation_guard::screen::html(&out, "t");
    assert!(html.contains("Not judged against a limit"), "the report says what was not judged");
    // Over the account's limit: judged against $123,900, not $41,300.
    let big = gift("C00000040", "31", "130000", 8);
    let cm = read_committees("C00000040|DEMOCRATIC NATIONAL COMMITTEE|T||||||U|Y|||\n".as_bytes()).unwrap();
    let out = screen(big.as_bytes(), &Options { committees: Some(cm), ..Options::default() }).unwrap();
    let f = out.flags.iter().find(|f| f.code == "exceeds_limit").unwrap();
    assert_eq!(f.limit.unwrap().to_string(), "123900");
    assert!(f.period.contains("headquarters"), "{}", f.period);
}

/// Puerto Rico marked ZZ (ZIP 00987 written "987") is not foreign; a blank state with a
/// Canadian postal code is; a country column decides when there is one.
#[test]
fn foreign_addresses_as_the_fec_files_mark_them() {
    let row = |city: &str, st: &str, zip: &str, sub: u64| {
        format!("C00000001|N|Q1|P2024|1|15|IND|DOE{sub}, JANE|{city}|{st}|{zip}|ACME|ENGINEER|01152024|25||T{sub}|1|||{sub}\n")
    };
    let text = row("CAROLINA", "ZZ", "987", 1)
        + &row("PARIS", "ZZ", "75007", 2)
        + &row("ROBERTS CREEK", "", "V0N2W0", 3)
        + &row("CHICAGO", "IL", "606011234", 4)
        + &row("SAN JUAN", "PR", "00901", 5)
        + &row("LONDON", "ZZ", "00000", 6);
    let out = run(&text);
    let foreign: Vec<u64> = out.flags.iter().filter(|f| f.code == "foreign_address").map(|f| f.line).collect();
    assert_eq!(foreign, vec![2, 3, 6]);
}

/// A file that is not what it claims is one error with exit 2: a workbook, a CSV read as FEC,
/// a JSON array.
#[test]
fn unreadable_files_are_one_error() {
    let dir = std::env::temp_dir().join(format!("dg-screen-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: [(&str, &[u8], &[&str]); 3] = [
        ("book.xlsx", b"PK\x03\x04\x14\x00\x06\x00rest of a zip", &[]),
        ("export.csv", b"First Name,Last Name,Amount\nAda,Lovelace,25\nGrace,Hopper,30\n", &["--format", "fec"]),
        ("array.json", b"[{\"id\":\"a\"}]\n", &[]),
    ];
    for (name, bytes, extra) in cases {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        let out =
            Command::new(env!("CARGO_BIN_EXE_donation-guard")).arg("screen").arg(&p).args(extra).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
    }
    std::fs::remove_dir_all(&dir).ok();
    // One bad row among good ones is listed with its line and reason.
    let text = "First Name,Last Name,Amount,Date\nAda,Lovelace,25,2024-01-15\nGrace,Hopper,lots,2024-01-15\n";
    let out = run(text);
    assert_eq!(out.unreadable.len(), 1);
    assert_eq!(out.unreadable[0].0, 3);
    assert!(out.unreadable[0].1.contains("lots"), "{}", out.unreadable[0].1);
}

/// Many batches (over 2048 rows) read with 1, 2 and 3 threads and in one or two passes give
/// byte-identical CSVs.
#[test]
fn threads_and_passes_agree_on_a_larger_file() {
    let mut text = String::new();
    for i in 0..6000u64 {
        let d = i % 700;
        let amt = [25, 100, 500, 1000, 2800][(i % 5) as usize];
        let tp = if i % 97 == 0 { "22Y" } else { "15" };
        let memo = if i % 53 == 0 { "X" } else { "" };
        let st = if i % 211 == 0 { "ZZ" } else { "NY" };
        let emp = if d % 9 == 0 { "" } else { "ACME" };
        text.push_str(&format!(
            "C{:08}|N|Q1|P2024|1|{tp}|IND|DONOR{d:05}, ANN|CITY|{st}|{:05}|{emp}|ENGINEER|{:02}{:02}2024|{amt}||T{i}|1|{memo}||{i}\n",
            d % 40,
            10000 + d,
            1 + i % 12,
            1 + i % 28
        ));
    }
    let out = all_ways(&text);
    assert!(out.flags.iter().any(|f| f.code == "exceeds_limit"));
    assert_eq!(out.rows, 6000);
    assert!(csv_out(&out).lines().count() > 20);
}

/// An itcont row with no employer or occupation.
fn bare(cmte: &str, pgi: &str, dt: &str, amt: &str, sub: u64) -> String {
    format!("{cmte}|N|Q1|{pgi}|1|15|IND|DOE, JANE|SPRINGFIELD|IL|62701|||{dt}|{amt}||T{sub}|1|||{sub}\n")
}

#[test]
fn best_efforts_aggregate_over_the_itemization_period_not_the_limits() {
    // A candidate's committee itemizes per election cycle (11 CFR 104.3(a)(4)): $150 for the
    // primary and $100 for the general pass $200 together.
    let text = bare("C00000001", "P2024", "03012024", "150", 1) + &bare("C00000001", "G2024", "09012024", "100", 2);
    let mut cm = std::collections::HashMap::new();
    cm.insert("C00000001".to_string(), donation_guard::screen::law::CommitteeType::Candidate);
    for jobs in [1, 2] {
        let opts = Options { committees: Some(cm.clone()), jobs, ..Options::default() };
        let out = screen(text.as_bytes(), &opts).unwrap();
        assert_eq!(codes_on(&out, 1), Vec::<&str>::new());
        assert_eq!(codes_on(&out, 2), vec!["itemization_info_missing"]);
        let f = out.flags.iter().find(|f| f.line == 2).unwrap();
        assert_eq!(f.aggregate.to_string(), "250");
        assert_eq!(f.period, "us-federal-2023-2024");
    }
    // A PAC itemizes per calendar year: $150 in Dec 2023 and $100 in Jan 2024 do not.
    let text = bare("C00000002", "P2024", "12152023", "150", 1) + &bare("C00000002", "P2024", "01152024", "100", 2);
    let mut cm = std::collections::HashMap::new();
    cm.insert("C00000002".to_string(), donation_guard::screen::law::CommitteeType::Pac);
    let out = screen(text.as_bytes(), &Options { committees: Some(cm.clone()), ..Options::default() }).unwrap();
    assert!(out.flags.iter().all(|f| f.code != "itemization_info_missing"), "{:?}", out.flags);
    // The same year does.
    let text = bare("C00000002", "P2024", "02152024", "150", 1) + &bare("C00000002", "P2024", "01152024", "100", 2);
    let out = screen(text.as_bytes(), &Options { committees: Some(cm), ..Options::default() }).unwrap();
    assert_eq!(codes_on(&out, 1), vec!["itemization_info_missing"]);
}

/// A committee keeps the type it was first seen with: a later row whose own column says another
/// type is judged by the first (its law worked out again, in the first pass by the main thread
/// and in the second by the worker that finds its totals), the same in one pass and two.
#[test]
fn a_committee_keeps_its_first_type_when_a_later_row_names_another() {
    let text = "first_name,last_name,zip,amount,date,committee_id,committee_type,election\n\
        Ada,Lovelace,62701,3000,2024-01-15,C9,N,P2024\n\
        Ada,Lovelace,62701,3000,2024-02-15,C9,H,G2024\n\
        Ada,Lovelace,62701,100,2024-03-15,C9,H,G2024\n";
    let out = all_ways(text);
    assert!(out.unreadable.is_empty(), "{:?}", out.unreadable);
    // As a PAC's (5,000 a calendar year): 6,000 passes it on line 3, the second gift. As a
    // candidate's, each election's 3,000 and 3,100 would be under 3,300.
    assert_eq!(over(&out), vec![(3, "6000".to_string()), (4, "6100".to_string())]);
}

/// The duplicate index built a shard of committees and periods at a time finds the same pairs
/// as one index: 40 donors, each with a near spelling at the same ZIP, over 7 committees.
#[test]
fn the_duplicate_search_finds_the_same_pairs_in_shards() {
    let mut text = String::new();
    for i in 0..40u64 {
        let (cmte, zip) = (format!("C{:08}", i % 7), format!("{:05}", 10000 + i));
        for (n, name) in [(0, format!("DONOR{i:03}, ANN")), (1, format!("DONR{i:03}, ANN"))] {
            text.push_str(&format!(
                "{cmte}|N|Q1|P2024|1|15|IND|{name}|CITY|NY|{zip}|ACME|ENGINEER|0101{}|2000||T{i}-{n}|1|||{}\n",
                2024,
                i * 2 + n + 1
            ));
        }
    }
    let csv = |o: &Outcome| csv_out(o);
    let one = screen(text.as_bytes(), &Options::default()).unwrap();
    assert_eq!(one.duplicates.len(), 40, "{:?}", one.duplicates);
    for keys in [1, 20, 100] {
        let sharded = screen(text.as_bytes(), &Options { duplicate_index_keys: keys, ..Options::default() }).unwrap();
        assert_eq!(csv(&one), csv(&sharded), "{keys} keys a shard");
    }
}
