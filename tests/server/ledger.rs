//! The ledger under concurrency and crashes, on SQLite and (with DG_TEST_DATABASE_URL) on
//! PostgreSQL.

use crate::support::*;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn post_json(addr: &str, v: &serde_json::Value) -> std::io::Result<Resp> {
    request(
        addr,
        "POST",
        "/v1/contributions",
        &[("content-type", "application/json")],
        Some(&serde_json::to_vec(v).unwrap()),
    )
}

/// 100 concurrent $100 contributions from one donor against the $3,500 candidate limit with
/// $0 prior: exactly 35 are accepted.
fn limit_race(backend: Backend) {
    let server = Server::start(Opts { backend: backend.clone(), ..Opts::default() });
    let kind = if matches!(backend, Backend::Sqlite) { "sqlite" } else { "postgres" };
    assert_eq!(server.get("/healthz", &[]).json()["ledger"], kind);
    let run = unique();
    let donor = format!("Race{run}");
    let barrier = Arc::new(std::sync::Barrier::new(100));
    let handles: Vec<_> = (0..100)
        .map(|i| {
            let addr = server.addr.clone();
            let barrier = Arc::clone(&barrier);
            let sub = contribution(&format!("race-{run}-{i}"), &donor, "100.00");
            std::thread::spawn(move || {
                barrier.wait();
                post_json(&addr, &sub).unwrap()
            })
        })
        .collect();
    let responses: Vec<Resp> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let mut accepted = 0;
    for r in &responses {
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        match v["decision"].as_str().unwrap() {
            "accept" => {
                assert_eq!(v["recorded"], true);
                accepted += 1;
            }
            "reject" => {
                assert_eq!(v["recorded"], false);
                assert_eq!(v["findings"][0]["code"], "exceeds_limit", "{}", r.text());
            }
            other => panic!("{other}: {}", r.text()),
        }
    }
    assert_eq!(accepted, 35);
    let (n, total, _) = ledger(&server.db, &backend, &format!("race-{run}-"));
    assert_eq!((n, total), (35, 350_000), "the ledger total must be $3,500.00");
}

/// The same id 20 times at once: recorded once, one first verdict, 19 replays of it.
fn idempotency(backend: Backend) {
    let server = Server::start(Opts { backend: backend.clone(), ..Opts::default() });
    let run = unique();
    let id = format!("idem-{run}");
    let sub = contribution(&id, &format!("Idem{run}"), "250.00");
    let barrier = Arc::new(std::sync::Barrier::new(20));
    let handles: Vec<_> = (0..20)
        .map(|_| {
            let addr = server.addr.clone();
            let barrier = Arc::clone(&barrier);
            let sub = sub.clone();
            std::thread::spawn(move || {
                barrier.wait();
                post_json(&addr, &sub).unwrap()
            })
        })
        .collect();
    let responses: Vec<Resp> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let first = responses.iter().filter(|r| r.header("idempotent-replayed").is_none()).count();
    assert_eq!(first, 1);
    let bodies: std::collections::BTreeSet<String> = responses.iter().map(|r| r.text()).collect();
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    assert!(responses.iter().all(|r| r.status == 200));
    let (n, total, _) = ledger(&server.db, &backend, &id);
    assert_eq!((n, total), (1, 25_000));
    // The same id with another submission is a conflict, and records nothing.
    let other = contribution(&id, &format!("Idem{run}"), "260.00");
    let r = post_json(&server.addr, &other).unwrap();
    assert_eq!((r.status, r.error_code()), (409, "id_conflict".into()));
    // A reject is remembered too: the same id answers the same reject.
    let rid = format!("idem-reject-{run}");
    let mut bad = contribution(&rid, &format!("Idem{run}"), "25.00");
    bad["donor"]["citizenship"] = "foreign_national".into();
    let a = post_json(&server.addr, &bad).unwrap();
    let b = post_json(&server.addr, &bad).unwrap();
    assert_eq!(a.json()["decision"], "reject");
    assert_eq!(a.text(), b.text());
    assert_eq!(b.header("idempotent-replayed"), Some("true"));
    assert_eq!(ledger(&server.db, &backend, &rid).0, 0);
}

/// kill -9 under load; after a restart every acknowledged contribution is there, once.
fn crash_safety(backend: Backend) {
    let mut server = Server::start(Opts { backend: backend.clone(), ..Opts::default() });
    let run = unique();
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let tried = Arc::new(Mutex::new(Vec::<serde_json::Value>::new()));
    let deadline = Instant::now() + Duration::from_secs(20);
    let workers: Vec<_> = (0..8)
        .map(|t| {
            let addr = server.addr.clone();
            let (acked, tried) = (Arc::clone(&acked), Arc::clone(&tried));
            let run = run.clone();
            std::thread::spawn(move || {
                for i in 0..100_000 {
                    if Instant::now() > deadline {
                        break;
                    }
                    let id = format!("crash-{run}-{t}-{i}");
                    let sub = contribution(&id, &format!("Crash{run}x{t}x{i}"), "10.00");
                    tried.lock().unwrap().push(sub.clone());
                    match post_json(&addr, &sub) {
                        Ok(r) if r.status == 200 => {
                            assert_eq!(r.json()["recorded"], true, "{}", r.text());
                            acked.lock().unwrap().push(id);
                        }
                        Ok(r) => panic!("{}: {}", r.status, r.text()),
                        Err(_) => break, // the server is gone
                    }
                }
            })
        })
        .collect();
    // Let load build up, then pull the plug.
    let start = Instant::now();
    while acked.lock().unwrap().len() < 1000 && start.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill9();
    for w in workers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let tried = tried.lock().unwrap().clone();
    assert!(acked.len() >= 50, "too little load before the kill: {}", acked.len());

    let db = server.db.clone();
    let restarted = Server::start_at(server.opts.clone(), &db);
    let prefix = format!("crash-{run}-");
    let (n, total, ids) = ledger(&db, &backend, &prefix);
    let ids: std::collections::BTreeSet<String> = ids.into_iter().collect();
    assert_eq!(ids.len() as i64, n, "an id is recorded twice");
    assert_eq!(total, n * 1000);
    for id in &acked {
        assert!(ids.contains(id), "{id} was acknowledged but is not in the ledger");
    }
    // Retrying everything that was sent: acknowledged ones replay, in-flight ones are recorded
    // now or replayed, and nothing is counted twice.
    for sub in &tried {
        let r = post_json(&restarted.addr, sub).unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
        if acked.iter().any(|a| a == sub["id"].as_str().unwrap()) {
            assert_eq!(r.header("idempotent-replayed"), Some("true"));
        }
    }
    let (n, total, _) = ledger(&db, &backend, &prefix);
    assert_eq!(n as usize, tried.len());
    assert_eq!(total, n * 1000);
    eprintln!("crash test: {} acknowledged before kill -9, {} sent, all present once", acked.len(), tried.len());
    drop(restarted);
    drop(server);
}

#[test]
fn sqlite_limit_race() {
    limit_race(Backend::Sqlite);
}

#[test]
fn sqlite_idempotency() {
    idempotency(Backend::Sqlite);
}

#[test]
fn sqlite_crash_safety() {
    crash_safety(Backend::Sqlite);
}

#[test]
fn pg_limit_race() {
    if let Some(b) = Backend::postgres() {
        limit_race(b);
    }
}

#[test]
fn pg_idempotency() {
    if let Some(b) = Backend::postgres() {
        idempotency(b);
    }
}

#[test]
fn pg_crash_safety() {
    if let Some(b) = Backend::postgres() {
        crash_safety(b);
    }
}

/// A copy of the 2025-2026 federal ruleset under another id, with the candidate limit changed.
fn ruleset_file(dir: &TempDir, id: &str, amount: &str, per: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/rulesets/us-federal-2025-2026.json"))
        .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["id"] = id.into();
    v["title"] = format!("test ruleset {id}").into();
    v["limits"]["candidate"]["amount"] = amount.into();
    v["limits"]["candidate"]["per"] = per.into();
    // A cycle that runs on, so a body that names it is dated inside it whenever the test runs.
    v["cycle"]["end"] = "2099-12-31".into();
    let path = dir.path().join(format!("{id}.json"));
    std::fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    path
}

/// Posts as a processor (with the API key when the server has keys): only a key holder may
/// date a gift other than today.
fn give(server: &Server, sub: &serde_json::Value) -> (String, serde_json::Value) {
    let auth = format!("Bearer {KEY}");
    let headers: &[(&str, &str)] = if server.opts.keys.is_empty() { &[] } else { &[("authorization", &auth)] };
    let r = server.post("/v1/contributions", headers, &serde_json::to_vec(sub).unwrap());
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    (v["decision"].as_str().unwrap().to_owned(), v)
}

fn codes(v: &serde_json::Value) -> Vec<String> {
    v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_owned()).collect()
}

/// Totals follow the ruleset's `per` for the recipient type and are scoped by ruleset id:
/// a cycle-period limit adds every election; a second ruleset does not pool with the federal
/// totals; calendar-year totals use the gift's date, across a year boundary.
fn ruleset_totals(backend: Backend) {
    let dir = TempDir::new("rulesets");
    let run = unique();
    let cycle_id = format!("t-cycle-{run}");
    let file = ruleset_file(&dir, &cycle_id, "5000.00", "cycle");
    let server = Server::start(Opts {
        backend: backend.clone(),
        keys: vec![KEY.into()],
        args: vec!["--ruleset-file".into(), file.display().to_string()],
        ..Opts::default()
    });
    let donor = format!("Scope{run}");
    let sub = |n: &str, amount: &str, election: &str, ruleset: Option<&str>| {
        let mut s = contribution(&format!("scope-{run}-{n}"), &donor, amount);
        s["recipient"]["election"] = election.into();
        if let Some(r) = ruleset {
            s["ruleset"] = r.into();
        }
        s
    };
    // Federal, per election: $3,500 in the primary and $3,500 in the general.
    assert_eq!(give(&server, &sub("f1", "3500.00", "primary", None)).0, "accept");
    assert_eq!(give(&server, &sub("f2", "3500.00", "general", None)).0, "accept");
    // The other ruleset starts from zero for the same donor (no pooling), and its limit runs
    // over the cycle: $3,000 primary + $2,500 general passes $5,000.
    assert_eq!(give(&server, &sub("c1", "3000.00", "primary", Some(&cycle_id))).0, "accept");
    let (d, v) = give(&server, &sub("c2", "2500.00", "general", Some(&cycle_id)));
    assert_eq!(d, "reject", "{v}");
    assert!(codes(&v).contains(&"exceeds_limit".to_owned()), "{v}");
    let limit = v["findings"].as_array().unwrap().iter().find(|f| f["code"] == "exceeds_limit").unwrap();
    assert_eq!(limit["params"]["period"], "cycle", "{v}");
    assert_eq!(limit["params"]["remaining"], "2000.00", "{v}");
    assert_eq!(give(&server, &sub("c3", "2000.00", "general", Some(&cycle_id))).0, "accept");
    assert_eq!(give(&server, &sub("c4", "0.01", "runoff", Some(&cycle_id))).0, "reject");
    // And the federal totals did not move: its primary is still full, its runoff empty.
    assert_eq!(give(&server, &sub("f3", "0.01", "primary", None)).0, "reject");
    assert_eq!(give(&server, &sub("f4", "3500.00", "runoff", None)).0, "accept");

    // Calendar year (PAC, $5,000 a year), by the gift's date; a PAC keeps its own ledger.
    let server = Server::start(Opts { backend: backend.another(), keys: vec![KEY.into()], ..Opts::default() });
    let pac = |n: &str, amount: &str, date: &str| {
        let mut s = contribution(&format!("scope-{run}-p{n}"), &format!("Pac{run}"), amount);
        s["recipient"] = serde_json::json!({"type": "pac"});
        s["contribution"]["date"] = date.into();
        s
    };
    assert_eq!(give(&server, &pac("1", "5000.00", "2025-12-31")).0, "accept");
    assert_eq!(give(&server, &pac("2", "0.01", "2025-06-30")).0, "reject");
    assert_eq!(give(&server, &pac("3", "5000.00", "2026-01-01")).0, "accept");
    assert_eq!(give(&server, &pac("4", "0.01", "2026-06-30")).0, "reject");
    // 2024 is another federal cycle (its own ruleset, its own year).
    let (d, v) = give(&server, &pac("5", "5000.00", "2024-12-31"));
    assert_eq!(d, "accept", "{v}");
    assert_eq!(v["ruleset"]["id"], "us-federal-2023-2024");
}

/// The itemization aggregate runs over the ruleset's `itemization_period`, apart from the
/// limit's period: federally, a super PAC (no limit) itemizes per calendar year and a candidate
/// per election cycle, across elections and years.
fn itemization_period(backend: Backend) {
    let server = Server::start(Opts { backend: backend.clone(), keys: vec![KEY.into()], ..Opts::default() });
    let run = unique();
    let gift = |n: &str, donor: &str, kind: serde_json::Value, amount: &str, date: &str| {
        let mut s = contribution(&format!("item-{run}-{n}"), donor, amount);
        s["recipient"] = kind;
        s["contribution"]["date"] = date.into();
        let d = s["donor"].as_object_mut().unwrap();
        d.remove("employer");
        d.remove("occupation");
        s
    };
    let super_pac = || serde_json::json!({"type": "super_pac"});
    let donor = format!("Item{run}");
    let (d, v) = give(&server, &gift("s1", &donor, super_pac(), "150.00", "2025-12-31"));
    assert_eq!((d.as_str(), codes(&v)), ("accept", vec![]), "{v}");
    // A new calendar year: $100 alone is under $200, whatever 2025 held.
    let (d, v) = give(&server, &gift("s2", &donor, super_pac(), "100.00", "2026-01-01"));
    assert_eq!((d.as_str(), codes(&v)), ("accept", vec![]), "{v}");
    // The same year: $100 + $150 is over $200.
    let (d, v) = give(&server, &gift("s3", &donor, super_pac(), "150.00", "2026-03-01"));
    assert_eq!(d, "review", "{v}");
    assert_eq!(codes(&v), ["itemization_info_missing", "itemization_info_missing"], "{v}");
    // A candidate itemizes per cycle: the primary in 2025 and the general in 2026 add up.
    // Another committee, another ledger (one ledger keeps one committee type).
    let server = Server::start(Opts { backend: backend.another(), keys: vec![KEY.into()], ..Opts::default() });
    let cand = format!("Cand{run}");
    let primary = || serde_json::json!({"type": "candidate", "election": "primary"});
    let general = || serde_json::json!({"type": "candidate", "election": "general"});
    assert_eq!(give(&server, &gift("c1", &cand, primary(), "150.00", "2025-11-01")).0, "accept");
    let (d, v) = give(&server, &gift("c2", &cand, general(), "100.00", "2026-02-01"));
    assert_eq!(d, "review", "{v}");
    assert_eq!(codes(&v), ["itemization_info_missing", "itemization_info_missing"], "{v}");
}

#[test]
fn sqlite_itemization_period() {
    itemization_period(Backend::Sqlite);
}

#[test]
fn pg_itemization_period() {
    if let Some(b) = Backend::postgres() {
        itemization_period(b);
    }
}

#[test]
fn sqlite_ruleset_totals() {
    ruleset_totals(Backend::Sqlite);
}

#[test]
fn pg_ruleset_totals() {
    if let Some(b) = Backend::postgres() {
        ruleset_totals(b);
    }
}

/// A ledger written before migration 3 (its rows, no events table) is migrated on start: its
/// rows still count, and they can be corrected.
#[test]
fn sqlite_migration_3_keeps_old_rows() {
    let dir = TempDir::new("mig3");
    let db = dir.path().join("old.sqlite");
    {
        let server = Server::start_at(Opts::default(), &db);
        assert_eq!(give(&server, &contribution("old-1", "Migrant", "3000.00")).0, "accept");
    }
    {
        // Back to schema v2.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TABLE contribution_events; DROP INDEX contributions_by_scope; DROP INDEX decisions_by_time;
             DELETE FROM schema_migrations WHERE version = 3;",
        )
        .unwrap();
        let v: i64 = conn.query_row("SELECT MAX(version) FROM schema_migrations", [], |r| r.get(0)).unwrap();
        assert_eq!(v, 2);
    }
    let server = Server::start_at(Opts::default(), &db);
    let (d, v) = give(&server, &contribution("old-2", "Migrant", "600.00"));
    assert_eq!(d, "reject", "the old row must still count: {v}");
    let r = server.post("/v1/contributions/old-1/refund", &[], br#"{"idempotency_key":"m1","amount":"600.00"}"#);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(give(&server, &contribution("old-3", "Migrant", "1100.00")).0, "accept");
}

/// `donation-guard ledger backup PATH` while the server runs: the copy is a whole ledger on its
/// own (0600, no -wal needed), and a server started on it (with the same secret) has the totals.
#[test]
fn sqlite_backup_restores() {
    let dir = TempDir::new("backup");
    let server = Server::start(Opts::default());
    assert_eq!(give(&server, &contribution("bk-1", "Backup", "3000.00")).0, "accept");
    let copy = dir.path().join("copy.sqlite");
    let out = std::process::Command::new(BIN)
        .args(["ledger", "backup"])
        .arg(&copy)
        .arg("--db")
        .arg(&server.db)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".secret"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    assert!(!dir.path().join("copy.sqlite-wal").exists());
    // A second backup to the same file is refused.
    let again =
        std::process::Command::new(BIN).args(["ledger", "backup"]).arg(&copy).arg("--db").arg(&server.db).output();
    assert!(!again.unwrap().status.success());
    let restored = Server::start_at(Opts::default(), &copy);
    assert_eq!(give(&restored, &contribution("bk-2", "Backup", "600.00")).0, "reject");
    assert_eq!(give(&restored, &contribution("bk-3", "Backup", "500.00")).0, "accept");
    // The first response replays from the copy, byte for byte.
    let first = post_json(&server.addr, &contribution("bk-1", "Backup", "3000.00")).unwrap();
    let replay = post_json(&restored.addr, &contribution("bk-1", "Backup", "3000.00")).unwrap();
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(first.text(), replay.text());
}

/// The stored response keeps no unkeyed submission_digest; a replay gives it back.
#[test]
fn sqlite_stored_responses_hold_no_clear_digest() {
    let server = Server::start(Opts::default());
    let sub = contribution("dg-1", "Digest", "25.00");
    let first = post_json(&server.addr, &sub).unwrap();
    let digest = first.json()["submission_digest"].as_str().unwrap().to_owned();
    assert!(digest.starts_with("sha256:"), "{digest}");
    let conn = rusqlite::Connection::open(&server.db).unwrap();
    let (stored, column): (String, String) = conn
        .query_row("SELECT response, submission_digest FROM decisions WHERE id = 'dg-1'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let hex = digest.trim_start_matches("sha256:");
    assert!(!stored.contains(hex) && !column.contains(hex), "{stored} / {column}");
    assert!(stored.contains("\"submission_digest\":\"redacted\""), "{stored}");
    let replay = post_json(&server.addr, &sub).unwrap();
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(replay.text(), first.text());
}
