//! Splitting one person's $3,500 primary limit by spelling: every variant is either the same
//! donor (the second $3,500 is rejected) or a near match (review, `possible_duplicate_donor`).

#![allow(clippy::type_complexity)]

use crate::support::*;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Want {
    /// The same donor: counted, so the second $3,500 passes the limit.
    Same,
    /// A near match: review with possible_duplicate_donor.
    Near,
    /// Another person: accepted.
    Other,
}

fn gift(id: &str, first: &str, last: &str, zip: &str, email: &str) -> serde_json::Value {
    let mut v = contribution(id, last, "3500.00");
    v["donor"]["first_name"] = first.into();
    v["donor"]["address"]["postal_code"] = zip.into();
    v["donor"]["email"] = email.into();
    v
}

#[test]
fn splitting_the_limit_by_spelling() {
    use Want::*;
    // (what, first, last, zip, same email as the first gift, expected)
    let rows: &[(&str, &str, &str, &str, bool, Want)] = &[
        ("identical", "Margaret", "Lovelace", "62704", false, Same),
        ("zero-width space", "Marg\u{200B}aret", "Lovelace", "62704", false, Same),
        ("zero-width joiner", "Margaret", "Love\u{200D}lace", "62704", false, Same),
        ("soft hyphen", "Margaret", "Love\u{00AD}lace", "62704", false, Same),
        ("word joiner", "Margaret\u{2060}", "Lovelace", "62704", false, Same),
        ("BOM", "\u{FEFF}Margaret", "Lovelace", "62704", false, Same),
        ("combining grapheme joiner", "Margaret", "Lov\u{034F}elace", "62704", false, Same),
        ("variation selector", "Margaret\u{FE0F}", "Lovelace", "62704", false, Same),
        ("fullwidth", "Ｍａｒｇａｒｅｔ", "Lovelace", "62704", false, Same),
        ("math bold", "𝐌𝐚𝐫𝐠𝐚𝐫𝐞𝐭", "Lovelace", "62704", false, Same),
        ("armenian o", "Margaret", "Lօvelace", "62704", false, Same),
        ("latin alpha", "Mɑrgɑret", "Lovelace", "62704", false, Same),
        ("cyrillic look-alikes", "Маrgаrеt", "Lоvеlасе", "62704", false, Same),
        ("greek omicron", "Margaret", "Lοvelace", "62704", false, Same),
        ("trailing period", "Margaret.", "Lovelace.", "62704", false, Same),
        ("middle initial", "Margaret A.", "Lovelace", "62704", false, Same),
        ("middle name", "Margaret Ada", "Lovelace", "62704", false, Same),
        ("swapped", "Lovelace", "Margaret", "62704", false, Same),
        ("comma form in last", "", "Lovelace, Margaret", "62704", false, Same),
        ("nickname", "Peggy", "Lovelace", "62704", false, Same),
        ("upper case and accents", "MARGARÉT", "LOVELACE", "62704", false, Same),
        ("zip+4", "Margaret", "Lovelace", "62704-1234", false, Same),
        ("9-digit zip", "Margaret", "Lovelace", "627041234", false, Same),
        ("neighbouring zip", "Margaret", "Lovelace", "62705", false, Near),
        ("one edit", "Margaret", "Lovelase", "62704", false, Near),
        ("one letter more", "Margarett", "Lovelace", "62704", false, Near),
        ("son (Jr)", "Margaret", "Lovelace Jr.", "62704", false, Near),
        ("surname split in two", "Margaret", "Love Lace", "62704", false, Near),
        ("a second surname", "Margaret", "Lovelace-Byron", "62704", false, Near),
        ("same email, other name", "Grace", "Hopper", "62704", true, Near),
        ("another person", "Grace", "Hopper", "62704", false, Other),
        ("two edits", "Margaret", "Lavelase", "62704", false, Other),
    ];
    let mut failures = Vec::new();
    for (i, (what, first, last, zip, same_email, want)) in rows.iter().enumerate() {
        let server = Server::start(Opts::default());
        let base = gift(&format!("s{i}-a"), "Margaret", "Lovelace", "62704", "first@example.org");
        let r = server.post("/v1/contributions", &[], &serde_json::to_vec(&base).unwrap());
        assert_eq!(r.json()["decision"], "accept", "{what}: {}", r.text());
        let email = if *same_email { "first@example.org" } else { "second@example.org" };
        let mut second = gift(&format!("s{i}-b"), first, last, zip, email);
        // Another passport: the same one under another name is near by itself (below).
        second["donor"]["passport"]["number"] = "B98765432".into();
        let r = server.post("/v1/contributions", &[], &serde_json::to_vec(&second).unwrap());
        let v = r.json();
        let codes: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
        let got = match (v["decision"].as_str().unwrap(), codes.first().copied()) {
            ("reject", Some("exceeds_limit")) => Same,
            ("review", _) if codes == ["possible_duplicate_donor"] => Near,
            ("accept", _) => Other,
            _ => {
                failures.push(format!("{what}: unexpected {}", r.text()));
                continue;
            }
        };
        if got != *want {
            failures.push(format!("{what}: want {want:?}, got {got:?}: {}", r.text()));
        }
        let (_, total, _) = ledger(&server.db, &Backend::Sqlite, &format!("s{i}-"));
        let want_total = if *want == Same { 350_000 } else { 700_000 };
        if total != want_total && got == *want {
            failures.push(format!("{what}: ledger total {total}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Rows written under an earlier key (v1; v2 before titles were dropped, for a titled name)
/// are re-keyed when the donor gives again, so they still count.
#[test]
fn old_rows_are_re_keyed() {
    for (first, which) in [("Margaret", 0), ("Dr. Margaret", 1)] {
        let dir = TempDir::new("rekey");
        let db = dir.path().join("l.sqlite");
        let base = gift("old-1", first, "Lovelace", "62704", "first@example.org");
        {
            let server = Server::start_at(Opts::default(), &db);
            let r = server.post("/v1/contributions", &[], &serde_json::to_vec(&base).unwrap());
            assert_eq!(r.json()["decision"], "accept", "{}", r.text());
        }
        // Make that row look as an old server wrote it.
        let hasher = donation_guard::server::identity::Hasher::new(SECRET.as_bytes()).unwrap();
        let sub = donation_guard::parse(&serde_json::to_vec(&base).unwrap()).unwrap();
        let form = donation_guard::normalize::form(&sub);
        let legacy = hasher.legacy_donor_keys(&form);
        assert_eq!(legacy.len(), which + 1, "{first}");
        let (new, old) = (hasher.donor_key(&form), legacy[which].clone());
        {
            let conn = rusqlite::Connection::open(&db).unwrap();
            let n = conn.execute("UPDATE contributions SET donor_key = ?1 WHERE donor_key = ?2", [&old, &new]).unwrap();
            assert_eq!(n, 1);
            conn.execute("DELETE FROM donor_variants", []).unwrap();
        }
        let server = Server::start_at(Opts::default(), &db);
        let again = gift("old-2", first, "Lovelace", "62704", "first@example.org");
        let r = server.post("/v1/contributions", &[], &serde_json::to_vec(&again).unwrap());
        assert_eq!(r.json()["decision"], "reject", "{first}: {}", r.text());
        assert_eq!(r.json()["findings"][0]["code"], "exceeds_limit");
        let conn = rusqlite::Connection::open(&db).unwrap();
        let left: i64 =
            conn.query_row("SELECT COUNT(*) FROM contributions WHERE donor_key = ?1", [&old], |r| r.get(0)).unwrap();
        assert_eq!(left, 0, "{first}: re-keyed");
    }
}

/// Rows written under the v2 key an initial-only given name had before December 2026
/// ("K. Lovelace" was `lovelace`, as "M. Lovelace" was) are not this donor's for certain: when
/// "M. Lovelace" gives, they are a near match (review), not merged nor re-keyed.
#[test]
fn old_rows_of_a_shared_initial_key_are_near() {
    let dir = TempDir::new("initials");
    let db = dir.path().join("l.sqlite");
    let base = gift("ini-1", "K.", "Lovelace", "62704", "first@example.org");
    {
        let server = Server::start_at(Opts::default(), &db);
        let r = server.post("/v1/contributions", &[], &serde_json::to_vec(&base).unwrap());
        assert_eq!(r.json()["decision"], "accept", "{}", r.text());
    }
    // Make that row and its variants look as the earlier server wrote them.
    let hasher = donation_guard::server::identity::Hasher::new(SECRET.as_bytes()).unwrap();
    let sub = donation_guard::parse(&serde_json::to_vec(&base).unwrap()).unwrap();
    let form = donation_guard::normalize::form(&sub);
    let (new, old) = (hasher.donor_key(&form), hasher.hmac("donor", "v2|lovelace||62704"));
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let n = conn.execute("UPDATE contributions SET donor_key = ?1 WHERE donor_key = ?2", [&old, &new]).unwrap();
        assert_eq!(n, 1);
        conn.execute("DELETE FROM donor_variants", []).unwrap();
        for v in donation_guard::identity::deletion_variants("lovelace") {
            let variant = hasher.hmac("near", &format!("d|62704||{v}"));
            conn.execute("INSERT INTO donor_variants (variant, donor_key) VALUES (?1, ?2)", [&variant, &old]).unwrap();
        }
    }
    let server = Server::start_at(Opts::default(), &db);
    let other = gift("ini-2", "M.", "Lovelace", "62704", "second@example.org");
    let r = server.post("/v1/contributions", &[], &serde_json::to_vec(&other).unwrap());
    assert_eq!(r.json()["decision"], "review", "{}", r.text());
    assert_eq!(r.json()["findings"][0]["code"], "possible_duplicate_donor", "{}", r.text());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let left: i64 =
        conn.query_row("SELECT COUNT(*) FROM contributions WHERE donor_key = ?1", [&old], |r| r.get(0)).unwrap();
    assert_eq!(left, 1, "not re-keyed");
}

/// The splitting script's second half: one person, one committee, many recipient types and
/// elections. With `--committee-type candidate --elections primary,general`, only the primary
/// and general to a candidate are taken; everything else is 400 invalid_field.
#[test]
fn the_committee_picks_the_recipient_not_the_body() {
    let args = ["--committee-type", "candidate", "--elections", "primary,general"].map(String::from).to_vec();
    let server = Server::start(Opts { args, ..Opts::default() });
    // (what, recipient.type, election, amount, status, decision or error field)
    let rows: &[(&str, &str, Option<&str>, &str, u16, &str)] = &[
        ("primary", "candidate", Some("primary"), "3500.00", 200, "accept"),
        ("primary again", "candidate", Some("primary"), "3500.00", 200, "reject"),
        ("general", "candidate", Some("general"), "3500.00", 200, "accept"),
        ("no election: primary", "candidate", None, "100.00", 200, "reject"),
        ("runoff not held", "candidate", Some("runoff"), "3500.00", 400, "recipient.election"),
        ("special not held", "candidate", Some("special"), "3500.00", 400, "recipient.election"),
        ("as pac", "pac", None, "5000.00", 400, "recipient.type"),
        ("as party_state", "party_state", None, "10000.00", 400, "recipient.type"),
        ("as party_national", "party_national", None, "44300.00", 400, "recipient.type"),
    ];
    for (i, (what, kind, election, amount, status, want)) in rows.iter().enumerate() {
        let mut sub = gift(&format!("c-{i}"), "Margaret", "Lovelace", "62704", "first@example.org");
        sub["contribution"]["amount"] = (*amount).into();
        sub["recipient"] = match election {
            Some(e) => serde_json::json!({"type": kind, "election": e}),
            None => serde_json::json!({"type": kind}),
        };
        for path in ["/v1/contributions", "/v1/check"] {
            let r = server.post(path, &[], &serde_json::to_vec(&sub).unwrap());
            if *status == 400 {
                assert_eq!(
                    (r.status, r.error_code()),
                    (400, "invalid_field".to_owned()),
                    "{what} {path}: {}",
                    r.text()
                );
                assert_eq!(r.json()["error"]["field"], *want, "{what}");
            } else if path == "/v1/contributions" {
                assert_eq!(r.status, 200, "{what}: {}", r.text());
                assert_eq!(r.json()["decision"], *want, "{what}: {}", r.text());
            }
        }
    }
    let (_, total, _) = ledger(&server.db, &Backend::Sqlite, "c-");
    assert_eq!(total, 700_000, "$3,500 primary + $3,500 general");

    // A bad configuration does not start.
    for bad in [
        vec!["--committee-type", "bank"],
        vec!["--committee-type", "pac", "--elections", "primary"],
        vec!["--committee-type", "candidate", "--elections", "primary,final"],
        vec!["--elections", "primary"],
    ] {
        let out = std::process::Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--db", "/nonexistent/x.sqlite"])
            .args(&bad)
            .env("DG_SECRET", SECRET)
            .env_remove("DG_COMMITTEE_TYPE")
            .env_remove("DG_ELECTIONS")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{bad:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--"), "{bad:?}");
    }
}

/// Idempotency covers the whole request: the same bytes replay, any other byte is 409.
#[test]
fn any_changed_retry_is_a_conflict() {
    let server = Server::start(Opts::default());
    let base = gift("idem-1", "Margaret", "Lovelace", "62704", "first@example.org");
    let bytes = serde_json::to_vec(&base).unwrap();
    let first = server.post("/v1/contributions", &[], &bytes);
    assert_eq!(first.json()["decision"], "accept", "{}", first.text());
    let again = server.post("/v1/contributions", &[], &bytes);
    assert_eq!((again.status, again.header("idempotent-replayed")), (200, Some("true")));
    assert_eq!(again.text(), first.text());
    let mut ru = base.clone();
    ru["contribution"]["card"]["country"] = "RU".into();
    let mut spaced = String::from_utf8(bytes.clone()).unwrap();
    spaced.push(' ');
    let pretty = serde_json::to_vec_pretty(&base).unwrap();
    let changed: Vec<(&str, Vec<u8>, Vec<(&str, &str)>)> = vec![
        ("card country US to RU", serde_json::to_vec(&ru).unwrap(), vec![]),
        ("a trailing blank", spaced.into_bytes(), vec![]),
        ("pretty-printed", pretty, vec![]),
        ("widget header added", bytes.clone(), vec![("donation-guard-response", "{\"decision\":\"unavailable\"}")]),
    ];
    for (what, body, headers) in changed {
        let r = server.post("/v1/contributions", &headers, &body);
        assert_eq!((r.status, r.error_code()), (409, "id_conflict".to_owned()), "{what}: {}", r.text());
    }
    let (n, total, _) = ledger(&server.db, &Backend::Sqlite, "idem-");
    assert_eq!((n, total), (1, 350_000));
    // Stored keyed: the row's digest is not the verdict's (unkeyed) submission_digest.
    let conn = rusqlite::Connection::open(&server.db).unwrap();
    let stored: String =
        conn.query_row("SELECT submission_digest FROM decisions WHERE id = 'idem-1'", [], |r| r.get(0)).unwrap();
    assert!(stored.starts_with("r:") && stored.len() == 66, "{stored}");
    assert!(!first.text().contains(&stored[2..]));
}

/// Behind a proxy on the same host every client looks like loopback: a keyless server refuses
/// a request that carries a forwarding header.
#[test]
fn forwarded_requests_are_remote_without_a_key() {
    let server = Server::start(Opts::default());
    let body = serde_json::to_vec(&gift("fwd-1", "Margaret", "Lovelace", "62704", "first@example.org")).unwrap();
    for (name, value) in [
        ("x-forwarded-for", "8.8.8.8"),
        ("forwarded", "for=8.8.8.8"),
        ("x-real-ip", "8.8.8.8"),
        ("x-forwarded-for", "127.0.0.1"),
    ] {
        let r = server.post("/v1/contributions", &[(name, value)], &body);
        assert_eq!((r.status, r.error_code()), (403, "forbidden".to_owned()), "{name}: {}", r.text());
        let r = server.get("/v1/contributions/fwd-1", &[(name, value)]);
        assert_eq!(r.status, 403, "{name}");
    }
    assert_eq!(server.post("/v1/contributions", &[], &body).status, 200);
    // With a key, a forwarded request is judged by its key.
    let keyed = Server::start(Opts { keys: vec![KEY.into()], ..Opts::default() });
    let auth = format!("Bearer {KEY}");
    let r = keyed.post("/v1/contributions", &[("authorization", &auth), ("x-forwarded-for", "8.8.8.8")], &body);
    assert_eq!(r.status, 200, "{}", r.text());
}

/// The ledger file is 0600, and after a clean shutdown the `.sqlite` alone holds the data.
#[test]
fn a_clean_shutdown_leaves_a_private_self_contained_file() {
    let dir = TempDir::new("ckpt");
    let db = dir.path().join("l.sqlite");
    let mut server = Server::start_at(Opts::default(), &db);
    let body = serde_json::to_vec(&gift("ck-1", "Margaret", "Lovelace", "62704", "first@example.org")).unwrap();
    assert_eq!(server.post("/v1/contributions", &[], &body).status, 200);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in [db.clone(), db.with_extension("sqlite-wal")] {
            let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", f.display());
        }
    }
    let status = std::process::Command::new("kill").arg("-TERM").arg(server.child.id().to_string()).status().unwrap();
    assert!(status.success());
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    let wal = std::fs::metadata(db.with_extension("sqlite-wal")).map(|m| m.len()).unwrap_or(0);
    assert_eq!(wal, 0, "the WAL was checkpointed into the main file");
    // A copy of the main file alone has the row.
    let copy = dir.path().join("copy.sqlite");
    std::fs::copy(&db, &copy).unwrap();
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM contributions", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
}

/// Cross-site and DNS-rebinding requests against a keyless server, and bodies that are not
/// declared JSON, are refused.
#[test]
fn cross_site_requests_are_refused() {
    let server = Server::start(Opts::default());
    let body = serde_json::to_vec(&gift("xs-1", "Margaret", "Lovelace", "62704", "first@example.org")).unwrap();
    let own = format!("http://{}", server.addr);
    let rows: &[(&str, Vec<(&str, &str)>, u16)] = &[
        ("evil origin", vec![("origin", "https://evil.example")], 403),
        ("evil host (rebinding)", vec![("host", "evil.example")], 403),
        ("evil host and origin", vec![("host", "evil.example"), ("origin", "http://evil.example")], 403),
        ("form post", vec![("content-type", "application/x-www-form-urlencoded")], 415),
        ("text/plain", vec![("content-type", "text/plain")], 415),
        ("own origin", vec![("origin", own.as_str())], 200),
    ];
    for (what, headers, want) in rows {
        let r = server.post("/v1/check", headers, &body);
        assert_eq!(r.status, *want, "{what}: {}", r.text());
    }
    // No Content-Type at all.
    let r = request(&server.addr, "POST", "/v1/contributions", &[], Some(&body)).unwrap();
    assert_eq!(r.status, 415, "{}", r.text());
    let (n, _, _) = ledger(&server.db, &Backend::Sqlite, "xs-");
    assert_eq!(n, 0);
}

/// The splitting script's third half: a date or a ruleset the body picks would open a period of
/// its own in the ledger (totals are scoped by ruleset id and period). A browser (no key) dates
/// its gift today; nobody dates one in the future; a named ruleset must cover the gift's date.
/// A processor (key) may record an earlier receipt date, which counts in its own period, as the
/// law counts it.
#[test]
fn splitting_the_limit_by_date_or_ruleset() {
    let now_ms =
        i64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()).unwrap();
    let day = |offset: i64| donation_guard::server::ledger::date_of(now_ms + offset * 86_400_000);
    let year_ago = day(-370);
    let in_a_week = day(7);
    let auth = format!("Bearer {KEY}");
    let server = Server::start(Opts { keys: vec![KEY.into()], ..Opts::default() });
    let keyless = Server::start(Opts::default());
    // (what, keyed, date, ruleset, amount, status, decision or error field)
    type Row<'a> = (&'a str, bool, Option<&'a str>, Option<&'a str>, &'a str, u16, &'a str);
    let today = day(0);
    let rows: &[Row] = &[
        ("dated a year back, no key", false, Some(&year_ago), None, "3300.00", 400, "contribution.date"),
        ("dated next week, no key", false, Some(&in_a_week), None, "3300.00", 400, "contribution.date"),
        ("dated next week, key", true, Some(&in_a_week), None, "3300.00", 400, "contribution.date"),
        ("last cycle's ruleset, no date", true, None, Some("us-federal-2023-2024"), "3300.00", 400, "ruleset"),
        ("last cycle's ruleset, no key", false, None, Some("us-federal-2015-2016"), "2700.00", 400, "ruleset"),
        ("today, no key: the limit is full", false, Some(&today), None, "0.01", 200, "reject"),
        ("the default ruleset named: pooled", false, None, Some("us-federal-2025-2026"), "0.01", 200, "reject"),
    ];
    let mut failures = Vec::new();
    for (i, (what, keyed, date, ruleset, amount, status, want)) in rows.iter().enumerate() {
        let target = if *keyed { &server } else { &keyless };
        let headers: &[(&str, &str)] = if *keyed { &[("authorization", &auth)] } else { &[] };
        // Each row's donor first gives the limit today.
        let donor = ["Archer", "Bellamy", "Castellano", "Dunmore", "Everett", "Fairweather", "Goldberg"][i];
        let passport = format!("P{i}0000000");
        let mut first = contribution(&format!("dated{i}-a"), donor, "3500.00");
        first["donor"]["passport"]["number"] = passport.clone().into();
        let r = target.post("/v1/contributions", headers, &serde_json::to_vec(&first).unwrap());
        assert_eq!(r.json()["decision"], "accept", "{what}: {}", r.text());
        let mut second = contribution(&format!("dated{i}-b"), donor, amount);
        second["donor"]["passport"]["number"] = passport.into();
        if let Some(d) = date {
            second["contribution"]["date"] = (*d).into();
        }
        if let Some(id) = ruleset {
            second["ruleset"] = (*id).into();
        }
        let r = target.post("/v1/contributions", headers, &serde_json::to_vec(&second).unwrap());
        let v = r.json();
        let got = if r.status == 200 {
            v["decision"].as_str().unwrap_or("").to_owned()
        } else {
            v["error"]["field"].as_str().unwrap_or("").to_owned()
        };
        if (r.status, got.as_str()) != (*status, *want) {
            failures.push(format!("{what}: want {status} {want}, got {}", r.text()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same mailbox (a `+tag`, Gmail's dots) or the same passport under another name is a near
/// match: review when counting it would pass the limit, never a silent second donor.
#[test]
fn the_same_mailbox_or_passport_under_another_name_is_near() {
    let rows: &[(&str, &str, &str, bool)] = &[
        ("plus tag", "ada@example.org", "ada+dg@example.org", false),
        ("gmail dots", "ada.lovelace@gmail.com", "adalovelace@gmail.com", false),
        ("googlemail", "ada.lovelace@gmail.com", "ada.lovelace+2@googlemail.com", false),
        ("same passport", "ada@example.org", "grace@example.org", true),
    ];
    for (i, (what, first_email, second_email, same_passport)) in rows.iter().enumerate() {
        let server = Server::start(Opts::default());
        let base = gift(&format!("mb{i}-a"), "Margaret", "Lovelace", "62704", first_email);
        let r = server.post("/v1/contributions", &[], &serde_json::to_vec(&base).unwrap());
        assert_eq!(r.json()["decision"], "accept", "{what}: {}", r.text());
        let mut other = gift(&format!("mb{i}-b"), "Grace", "Hopper", "62704", second_email);
        other["donor"]["passport"]["number"] =
            if *same_passport { base["donor"]["passport"]["number"].clone() } else { "B98765432".into() };
        let r = server.post("/v1/contributions", &[], &serde_json::to_vec(&other).unwrap());
        let v = r.json();
        assert_eq!(v["decision"], "review", "{what}: {}", r.text());
        assert_eq!(v["findings"][0]["code"], "possible_duplicate_donor", "{what}: {}", r.text());
    }
    // Another mailbox, another passport and another name: another person.
    let server = Server::start(Opts::default());
    let base = gift("mb-x-a", "Margaret", "Lovelace", "62704", "ada@example.org");
    assert_eq!(server.post("/v1/contributions", &[], &serde_json::to_vec(&base).unwrap()).json()["decision"], "accept");
    let mut other = gift("mb-x-b", "Grace", "Hopper", "62704", "adalovelace@example.org");
    other["donor"]["passport"]["number"] = "B98765432".into();
    assert_eq!(
        server.post("/v1/contributions", &[], &serde_json::to_vec(&other).unwrap()).json()["decision"],
        "accept"
    );
}

/// One ledger is one committee's, even without `--committee-type`: the first recorded gift's
/// recipient type is kept, and a body naming another type is refused, so a server started
/// without the flag cannot take a candidate's limit, then a PAC's and a party's, from one
/// person (issue 11's $73,300). The type is kept in the ledger, so a restart keeps it.
#[test]
fn one_ledger_keeps_one_committee_type() {
    let dir = TempDir::new("pin");
    let db = dir.path().join("l.sqlite");
    let gift = |id: &str, recipient: serde_json::Value, amount: &str| {
        let mut v = contribution(id, "Lovelace", amount);
        v["recipient"] = recipient;
        serde_json::to_vec(&v).unwrap()
    };
    {
        let server = Server::start_at(Opts::default(), &db);
        // A rejected gift records nothing, so it does not choose the committee.
        let r = server.post("/v1/contributions", &[], &gift("pin-0", serde_json::json!({"type": "pac"}), "9000.00"));
        assert_eq!(r.json()["decision"], "reject", "{}", r.text());
        let r = server.post(
            "/v1/contributions",
            &[],
            &gift("pin-1", serde_json::json!({"type": "candidate", "election": "primary"}), "3500.00"),
        );
        assert_eq!(r.json()["decision"], "accept", "{}", r.text());
    }
    let server = Server::start_at(Opts::default(), &db);
    for (i, kind) in ["pac", "party_state", "party_national", "super_pac"].iter().enumerate() {
        let r = server.post(
            "/v1/contributions",
            &[],
            &gift(&format!("pin-{}", i + 2), serde_json::json!({"type": kind}), "100.00"),
        );
        assert_eq!((r.status, r.error_code()), (400, "invalid_field".to_owned()), "{kind}: {}", r.text());
        assert_eq!(r.json()["error"]["field"], "recipient.type");
        assert!(r.text().contains("candidate committee"), "{}", r.text());
    }
    let r = server.post(
        "/v1/contributions",
        &[],
        &gift("pin-9", serde_json::json!({"type": "candidate", "election": "general"}), "3500.00"),
    );
    assert_eq!(r.json()["decision"], "accept", "{}", r.text());
    let (n, total, _) = ledger(&db, &Backend::Sqlite, "pin-");
    assert_eq!((n, total), (2, 700_000));
}
