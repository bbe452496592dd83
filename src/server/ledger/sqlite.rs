//! The embedded SQLite ledger: WAL, `synchronous=FULL`, one writer thread with group commit.

use super::events::{EventJob, EventOutcome, EventRow, Page, Query, Row, View};
use super::{decide, Job, Outcome, Totals};
use crate::server::identity::Hasher;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::Path;
use tokio::sync::{mpsc, oneshot};

/// Most requests in one transaction.
const BATCH: usize = 512;
/// Requests waiting for the writer; beyond this, callers wait (back-pressure).
const QUEUE: usize = 8192;

enum Msg {
    Record(Box<Job>, oneshot::Sender<Result<Outcome, String>>),
    Ping(oneshot::Sender<Result<(), String>>),
    Event(Box<EventJob>, oneshot::Sender<Result<EventOutcome, String>>),
    Get(String, oneshot::Sender<Result<Option<View>, String>>),
    List(Box<Query>, oneshot::Sender<Result<Page, String>>),
    /// `wal_checkpoint(TRUNCATE)`: everything into the main file (on shutdown, for backups).
    Checkpoint(oneshot::Sender<Result<(), String>>),
}

/// Creates the ledger file 0600 when it does not exist (SQLite gives its -wal and -shm files
/// the main file's mode).
fn create_private(path: &Path) -> Result<(), String> {
    if path.exists() {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(format!("cannot create {}: {e}", path.display())),
    }
}

/// A consistent copy of a ledger file, taken while servers may be writing to it
/// (`VACUUM INTO`: one read transaction, so one snapshot; the WAL's committed pages included).
/// The copy is a new file, created 0600, and a complete database on its own (no -wal).
pub fn backup(db: &Path, to: &Path) -> Result<(), String> {
    if !db.is_file() {
        return Err(format!("{} is not a ledger file", db.display()));
    }
    if to.exists() {
        return Err(format!("{} exists: give a new file", to.display()));
    }
    let conn = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("cannot open {}: {e}", db.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(|e| e.to_string())?;
    let migrated: Option<i64> = conn
        .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| r.get(0))
        .map_err(|e| format!("{} is not a donation-guard ledger: {e}", db.display()))?;
    if migrated.is_none() {
        return Err(format!("{} is not a donation-guard ledger", db.display()));
    }
    create_private(to)?;
    let target = to.to_str().ok_or_else(|| format!("{} is not a UTF-8 path", to.display()))?;
    conn.execute("VACUUM INTO ?1", [target]).map_err(|e| {
        let _ = std::fs::remove_file(to);
        format!("backup failed: {e}")
    })?;
    Ok(())
}

/// The handle: a queue to the writer thread.
#[derive(Debug, Clone)]
pub struct SqliteLedger {
    tx: mpsc::Sender<Msg>,
    pub hasher: Hasher,
}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Msg::Record(..) => "Record",
            Msg::Ping(_) => "Ping",
            Msg::Event(..) => "Event",
            Msg::Get(..) => "Get",
            Msg::List(..) => "List",
            Msg::Checkpoint(_) => "Checkpoint",
        })
    }
}

impl SqliteLedger {
    /// Opens or creates the file, migrates it, and starts the writer thread.
    pub fn open(path: &Path, hasher: Hasher) -> Result<SqliteLedger, String> {
        create_private(path)?;
        let mut conn = Connection::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        configure(&conn).map_err(|e| format!("cannot configure {}: {e}", path.display()))?;
        migrate(&mut conn, &hasher.fingerprint())?;
        let (tx, rx) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("dg-ledger".to_owned())
            .spawn(move || writer(conn, rx))
            .map_err(|e| format!("cannot start the ledger thread: {e}"))?;
        Ok(SqliteLedger { tx, hasher })
    }

    pub async fn record(&self, job: Job) -> Result<Outcome, String> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Msg::Record(Box::new(job), reply)).await.map_err(|_| "the ledger thread stopped".to_owned())?;
        rx.await.map_err(|_| "the ledger thread stopped".to_owned())?
    }

    /// Moves the WAL into the main file and truncates it.
    pub async fn checkpoint(&self) -> Result<(), String> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Msg::Checkpoint(reply)).await.map_err(|_| "the ledger thread stopped".to_owned())?;
        rx.await.map_err(|_| "the ledger thread stopped".to_owned())?
    }

    pub async fn event(&self, job: EventJob) -> Result<EventOutcome, String> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Msg::Event(Box::new(job), reply)).await.map_err(|_| "the ledger thread stopped".to_owned())?;
        rx.await.map_err(|_| "the ledger thread stopped".to_owned())?
    }

    pub async fn get(&self, id: String) -> Result<Option<View>, String> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Msg::Get(id, reply)).await.map_err(|_| "the ledger thread stopped".to_owned())?;
        rx.await.map_err(|_| "the ledger thread stopped".to_owned())?
    }

    pub async fn list(&self, query: Query) -> Result<Page, String> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Msg::List(Box::new(query), reply)).await.map_err(|_| "the ledger thread stopped".to_owned())?;
        rx.await.map_err(|_| "the ledger thread stopped".to_owned())?
    }

    pub async fn health(&self) -> Result<(), String> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Msg::Ping(reply)).await.map_err(|_| "the ledger thread stopped".to_owned())?;
        rx.await.map_err(|_| "the ledger thread stopped".to_owned())?
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // WAL with FULL: every commit is fsynced before the response leaves.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::InvalidQuery);
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;
         PRAGMA wal_autocheckpoint = 4000;",
    )
}

/// Applies the migrations not yet recorded in `schema_migrations`, each in its transaction, and
/// checks the secret's fingerprint.
pub fn migrate(conn: &mut Connection, fingerprint: &str) -> Result<(), String> {
    let err = |e: rusqlite::Error| format!("ledger migration failed: {e}");
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at_ms BIGINT NOT NULL)",
    )
    .map_err(err)?;
    for (version, sql) in super::MIGRATIONS {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        let done: Option<i64> = tx
            .query_row("SELECT version FROM schema_migrations WHERE version = ?1", [version], |r| r.get(0))
            .optional()
            .map_err(err)?;
        if done.is_none() {
            tx.execute_batch(sql).map_err(err)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at_ms) VALUES (?1, ?2)",
                params![version, super::now().0],
            )
            .map_err(err)?;
            tracing::info!(version, "ledger migrated");
        }
        tx.commit().map_err(err)?;
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
    let stored: Option<String> = tx
        .query_row("SELECT value FROM ledger_meta WHERE key = 'secret_fingerprint'", [], |r| r.get(0))
        .optional()
        .map_err(err)?;
    match stored {
        None => {
            tx.execute("INSERT INTO ledger_meta (key, value) VALUES ('secret_fingerprint', ?1)", [fingerprint])
                .map_err(err)?;
        }
        Some(s) if s == fingerprint => {}
        Some(_) => {
            return Err(
                "this ledger was made with another HMAC secret; donor keys would not match (use its secret)".to_owned()
            )
        }
    }
    tx.commit().map_err(err)
}

fn writer(mut conn: Connection, mut rx: mpsc::Receiver<Msg>) {
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(first) = rx.blocking_recv() {
        if let Msg::Checkpoint(reply) = first {
            let done = conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0))
                .map_err(|e| format!("checkpoint failed: {e}"))
                .and_then(|busy| if busy == 0 { Ok(()) } else { Err("checkpoint was blocked".to_owned()) });
            let _ = reply.send(done);
            continue;
        }
        batch.push(first);
        while batch.len() < BATCH {
            match rx.try_recv() {
                Ok(Msg::Checkpoint(reply)) => {
                    // Only at shutdown; the batch goes first.
                    let _ = reply.send(Err("checkpoint during a batch: retry".to_owned()));
                }
                Ok(m) => batch.push(m),
                Err(_) => break,
            }
        }
        run_batch(&mut conn, &mut batch);
    }
    tracing::info!("ledger writer stopped");
}

/// A reply held until its batch is committed.
enum Reply {
    Record(oneshot::Sender<Result<Outcome, String>>, Result<Outcome, String>),
    Event(oneshot::Sender<Result<EventOutcome, String>>, Result<EventOutcome, String>),
    Get(oneshot::Sender<Result<Option<View>, String>>, Result<Option<View>, String>),
    List(oneshot::Sender<Result<Page, String>>, Result<Page, String>),
}

impl Reply {
    /// Sends the result, or `failed` when the batch did not commit.
    fn send(self, failed: Option<&str>) {
        fn pick<T>(failed: Option<&str>, r: Result<T, String>) -> Result<T, String> {
            failed.map_or(r, |e| Err(e.to_owned()))
        }
        match self {
            Reply::Record(tx, r) => drop(tx.send(pick(failed, r))),
            Reply::Event(tx, r) => drop(tx.send(pick(failed, r))),
            Reply::Get(tx, r) => drop(tx.send(pick(failed, r))),
            Reply::List(tx, r) => drop(tx.send(pick(failed, r))),
        }
    }
}

/// Runs one write in a savepoint: a failed one is undone alone.
fn in_savepoint<T>(
    tx: &mut rusqlite::Transaction<'_>,
    f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<Result<T, String>> {
    let mut sp = tx.savepoint()?;
    match f(&sp) {
        Ok(v) => {
            sp.commit()?;
            Ok(Ok(v))
        }
        Err(e) => {
            sp.rollback()?;
            drop(sp);
            tracing::error!(error = %e, "ledger write failed");
            Ok(Err(format!("ledger write failed: {e}")))
        }
    }
}

/// One transaction for the whole batch; replies go out only once it is committed.
fn run_batch(conn: &mut Connection, batch: &mut Vec<Msg>) {
    let started = std::time::Instant::now();
    let size = batch.len();
    let mut replies: Vec<Reply> = Vec::with_capacity(batch.len());
    let mut pings = Vec::new();
    let committed = (|| -> rusqlite::Result<()> {
        let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for msg in batch.drain(..) {
            match msg {
                Msg::Ping(reply) | Msg::Checkpoint(reply) => pings.push(reply),
                Msg::Record(mut job, reply) => {
                    let result = in_savepoint(&mut tx, |c| record_one(c, &mut job))?;
                    replies.push(Reply::Record(reply, result));
                }
                Msg::Event(job, reply) => {
                    let result = in_savepoint(&mut tx, |c| event_one(c, &job))?;
                    replies.push(Reply::Event(reply, result));
                }
                Msg::Get(id, reply) => {
                    let result = load(&tx, &id).map_err(|e| format!("ledger read failed: {e}"));
                    replies.push(Reply::Get(reply, result));
                }
                Msg::List(query, reply) => {
                    let result = list(&tx, &query).map_err(|e| format!("ledger read failed: {e}"));
                    replies.push(Reply::List(reply, result));
                }
            }
        }
        tx.set_drop_behavior(rusqlite::DropBehavior::Rollback);
        tx.commit()
    })();
    tracing::debug!(size, micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX), "ledger batch");
    match committed {
        Ok(()) => {
            for reply in replies {
                reply.send(None);
            }
            for p in pings {
                let _ = p.send(Ok(()));
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "ledger commit failed");
            let failed = format!("ledger commit failed: {e}");
            for reply in replies {
                reply.send(Some(&failed));
            }
            for p in pings {
                let _ = p.send(Err(failed.clone()));
            }
        }
    }
}

fn row_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        decision_id: r.get(1)?,
        received_ms: r.get(2)?,
        decision: r.get(3)?,
        response: r.get(4)?,
        ruleset: r.get(5)?,
        recipient_type: r.get(6)?,
        election: r.get(7)?,
        year: r.get(8)?,
        amount_cents: r.get(9)?,
    })
}

fn events_of(c: &Connection, id: &str) -> rusqlite::Result<Vec<EventRow>> {
    let mut stmt = c.prepare_cached(super::events::EVENTS_SQL)?;
    let rows = stmt.query_map([id], |r| {
        Ok(EventRow {
            seq: r.get(0)?,
            kind: r.get(1)?,
            amount_cents: r.get(2)?,
            remaining_after: r.get(3)?,
            state_after: r.get(4)?,
            reviewer: r.get(5)?,
            reason: r.get(6)?,
            at_ms: r.get(7)?,
        })
    })?;
    rows.collect()
}

/// A contribution with its events.
fn load(c: &Connection, id: &str) -> rusqlite::Result<Option<View>> {
    let row = c.prepare_cached(super::events::GET_SQL)?.query_row([id], row_of).optional()?;
    match row {
        None => Ok(None),
        Some(row) => {
            let events = events_of(c, &row.id)?;
            Ok(Some(View { row, events }))
        }
    }
}

fn list(c: &Connection, q: &Query) -> rusqlite::Result<Page> {
    let rows: Vec<Row> = {
        let mut stmt = c.prepare_cached(super::events::LIST_SQL)?;
        let rows = stmt.query_map(
            params![
                q.after.0,
                q.after.1,
                q.decision.as_deref().unwrap_or(""),
                q.state.as_deref().unwrap_or(""),
                q.limit.saturating_add(1)
            ],
            row_of,
        )?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let events = events_of(c, &row.id)?;
        items.push(View { row, events });
    }
    Ok(super::events::paginate(items, q.limit))
}

/// One correction: replay, conflict, refusal, or the event appended.
fn event_one(c: &Connection, job: &EventJob) -> rusqlite::Result<EventOutcome> {
    let existing: Option<(String, String)> = c
        .prepare_cached(super::events::EXISTING_SQL)?
        .query_row(params![job.contribution_id, job.idempotency_key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((digest, body)) = existing {
        return Ok(if digest == job.digest { EventOutcome::Replay { body } } else { EventOutcome::Conflict });
    }
    let Some(mut view) = load(c, &job.contribution_id)? else {
        return Ok(EventOutcome::NotFound);
    };
    let event = match view.apply(job) {
        Ok(e) => e.clone(),
        Err(refusal) => return Ok(refusal),
    };
    let body = view.to_json();
    c.prepare_cached(super::events::INSERT_SQL)?.execute(params![
        job.contribution_id,
        event.seq,
        event.kind,
        job.idempotency_key,
        job.digest,
        event.amount_cents,
        event.remaining_after,
        event.state_after,
        event.reviewer,
        event.reason,
        event.at_ms,
        body
    ])?;
    Ok(EventOutcome::Done { body })
}

fn record_one(tx: &Connection, job: &mut Job) -> rusqlite::Result<Outcome> {
    let existing: Option<(String, String)> = tx
        .prepare_cached("SELECT submission_digest, response FROM decisions WHERE id = ?1")?
        .query_row([&job.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((digest, body)) = existing {
        return Ok(if super::same_request(&digest, job) {
            Outcome::Replay { body: super::replayed_body(job, body) }
        } else {
            Outcome::Conflict
        });
    }
    let kept: Option<String> = tx.prepare_cached(super::COMMITTEE_SQL)?.query_row([], |r| r.get(0)).optional()?;
    if let Some(refusal) = super::other_committee(kept, job) {
        return Ok(refusal);
    }
    for legacy in &job.legacy_donor_keys {
        tx.prepare_cached(super::REKEY_SQL)?.execute(params![job.donor_key, legacy])?;
    }
    let totals = totals_of(tx, job, &job.donor_key)?;
    let mut near_donors: Vec<String> = Vec::new();
    {
        let mut stmt = tx.prepare_cached(super::NEAR_SQL)?;
        for variant in &job.near_keys {
            let keys = stmt.query_map(params![variant, job.donor_key], |r| r.get::<_, String>(0))?;
            for k in keys {
                let k = k?;
                if near_donors.len() < super::NEAR_DONORS && !near_donors.contains(&k) {
                    near_donors.push(k);
                }
            }
        }
    }
    let mut near = Totals::default();
    for k in &near_donors {
        let t = totals_of(tx, job, k)?;
        near.prior = near.prior.saturating_add(t.prior);
        near.cycle = near.cycle.saturating_add(t.cycle);
    }
    let d = decide(job, totals, Some(near));
    tx.prepare_cached(
        "INSERT INTO decisions (id, decision_id, received_at_ms, decision, submission_digest, response)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        job.id,
        job.decision_id,
        job.received_ms,
        super::decision_text(d.decision),
        job.digest,
        super::stored_body(job, &d.body)
    ])?;
    if d.recorded {
        let (passport_hmac, passport_last4) = job.passport.clone().unzip();
        tx.prepare_cached(
            "INSERT INTO contributions (id, donor_key, ruleset, recipient_type, election, year, amount_cents,
                 decision, codes, passport_hmac, passport_last4, email_hmac, client_verdict, received_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?
        .execute(params![
            job.id,
            job.donor_key,
            job.ruleset.id(),
            job.recipient_type,
            job.election,
            job.year,
            job.amount_cents,
            super::decision_text(d.decision),
            super::codes_text(&d.codes),
            passport_hmac,
            passport_last4,
            job.email,
            d.client_verdict,
            job.received_ms,
        ])?;
    }
    if d.recorded {
        if let Some(t) = job.recipient_type {
            tx.prepare_cached(super::PIN_COMMITTEE_SQL)?.execute([t])?;
        }
        let mut stmt = tx.prepare_cached(super::VARIANT_SQL)?;
        for variant in &job.near_keys {
            stmt.execute(params![variant, job.donor_key])?;
        }
    }
    Ok(Outcome::Fresh { body: d.body, decision: d.decision, codes: d.codes })
}

/// The totals of one donor key for this job's recipient and period.
fn totals_of(tx: &Connection, job: &Job, donor_key: &str) -> rusqlite::Result<Totals> {
    Ok(match super::totals_sql_for(job, donor_key) {
        None => Totals::default(),
        Some((sql, a)) => {
            let mut stmt = tx.prepare_cached(sql)?;
            let row = |r: &rusqlite::Row<'_>| Ok(Totals { prior: r.get(0)?, cycle: r.get(1)? });
            stmt.query_row(
                params![
                    a.prior_mode,
                    a.prior_election,
                    a.prior_year,
                    a.cycle_mode,
                    a.cycle_election,
                    a.cycle_year,
                    a.donor,
                    a.kind,
                    a.ruleset
                ],
                row,
            )?
        }
    })
}
