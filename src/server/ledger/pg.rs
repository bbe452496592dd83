//! The PostgreSQL ledger, for several stateless servers behind a load balancer.
//!
//! Each contribution is one READ COMMITTED transaction that first takes two transaction-scoped
//! advisory locks, always in this order: one on the id, one on the donor key. Contributions of
//! one donor are therefore serialised across every server, and a repeated id waits for the
//! first to commit and then replays it. READ COMMITTED takes a fresh snapshot per statement, so
//! once a lock is held the totals include everything committed before it.

use super::events::{EventJob, EventOutcome, EventRow, Page, Query, Row, View};
use super::{decide, Job, Outcome, Totals};
use crate::server::identity::Hasher;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use sha2::{Digest as _, Sha256};
use tokio_postgres::NoTls;

#[derive(Clone)]
pub struct PgLedger {
    pool: Pool,
    pub hasher: Hasher,
}

impl std::fmt::Debug for PgLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgLedger(..)")
    }
}

/// Advisory lock classes (the first key of `pg_advisory_xact_lock(int, int)`).
const LOCK_MIGRATE: i32 = 0x6467_0000;
const LOCK_ID: i32 = 0x6467_0001;
const LOCK_DONOR: i32 = 0x6467_0002;

fn lock_key(text: &str) -> i32 {
    let h = Sha256::digest(text.as_bytes());
    let mut b = [0u8; 4];
    for (d, s) in b.iter_mut().zip(h.iter()) {
        *d = *s;
    }
    i32::from_be_bytes(b)
}

fn e2s(e: impl std::fmt::Display) -> String {
    e.to_string()
}

impl PgLedger {
    pub async fn open(url: &str, pool_size: usize, hasher: Hasher) -> Result<PgLedger, String> {
        let pg_config: tokio_postgres::Config = url.parse().map_err(|e| format!("DATABASE_URL: {e}"))?;
        let manager = Manager::from_config(pg_config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(1))
            .build()
            .map_err(|e| format!("cannot build the PostgreSQL pool: {e}"))?;
        let ledger = PgLedger { pool, hasher };
        ledger.migrate().await?;
        Ok(ledger)
    }

    async fn migrate(&self) -> Result<(), String> {
        let err = |e: tokio_postgres::Error| format!("ledger migration failed: {e}");
        let mut client = self.pool.get().await.map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
        let tx = client.transaction().await.map_err(err)?;
        // One server migrates at a time.
        tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&LOCK_MIGRATE]).await.map_err(err)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at_ms BIGINT NOT NULL)",
        )
        .await
        .map_err(err)?;
        for (version, sql) in super::MIGRATIONS {
            let done = tx
                .query_opt("SELECT version FROM schema_migrations WHERE version = $1", &[version])
                .await
                .map_err(err)?;
            if done.is_none() {
                tx.batch_execute(sql).await.map_err(err)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, applied_at_ms) VALUES ($1, $2)",
                    &[version, &super::now().0],
                )
                .await
                .map_err(err)?;
                tracing::info!(version, "ledger migrated");
            }
        }
        let fingerprint = self.hasher.fingerprint();
        let stored =
            tx.query_opt("SELECT value FROM ledger_meta WHERE key = 'secret_fingerprint'", &[]).await.map_err(err)?;
        match stored {
            None => {
                tx.execute("INSERT INTO ledger_meta (key, value) VALUES ('secret_fingerprint', $1)", &[&fingerprint])
                    .await
                    .map_err(err)?;
            }
            Some(row) => {
                let value: String = row.try_get(0).map_err(err)?;
                if value != fingerprint {
                    return Err(
                        "this ledger was made with another HMAC secret; donor keys would not match (use its secret)"
                            .to_owned(),
                    );
                }
            }
        }
        tx.commit().await.map_err(err)
    }

    pub async fn health(&self) -> Result<(), String> {
        let client = self.pool.get().await.map_err(e2s)?;
        client.query_one("SELECT 1", &[]).await.map_err(e2s)?;
        Ok(())
    }

    pub async fn record(&self, mut job: Job) -> Result<Outcome, String> {
        let mut client = self.pool.get().await.map_err(e2s)?;
        let tx = client.transaction().await.map_err(e2s)?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1, $2), pg_advisory_xact_lock($3, $4)",
            &[&LOCK_ID, &lock_key(&job.id), &LOCK_DONOR, &lock_key(&job.donor_key)],
        )
        .await
        .map_err(e2s)?;
        let existing = tx
            .query_opt("SELECT submission_digest, response FROM decisions WHERE id = $1", &[&job.id])
            .await
            .map_err(e2s)?;
        if let Some(row) = existing {
            let digest: String = row.try_get(0).map_err(e2s)?;
            let body: String = row.try_get(1).map_err(e2s)?;
            tx.commit().await.map_err(e2s)?;
            return Ok(if super::same_request(&digest, &job) {
                Outcome::Replay { body: super::replayed_body(&job, body) }
            } else {
                Outcome::Conflict
            });
        }
        let kept: Option<String> = match tx.query_opt(super::COMMITTEE_SQL, &[]).await.map_err(e2s)? {
            Some(row) => Some(row.try_get(0).map_err(e2s)?),
            None => None,
        };
        if let Some(refusal) = super::other_committee(kept, &job) {
            tx.commit().await.map_err(e2s)?;
            return Ok(refusal);
        }
        for legacy in &job.legacy_donor_keys {
            tx.execute(super::REKEY_SQL, &[&job.donor_key, legacy]).await.map_err(e2s)?;
        }
        let totals = totals_of(&tx, &job, &job.donor_key).await?;
        let mut near_donors: Vec<String> = Vec::new();
        for variant in &job.near_keys {
            for row in tx.query(super::NEAR_SQL, &[variant, &job.donor_key]).await.map_err(e2s)? {
                let k: String = row.try_get(0).map_err(e2s)?;
                if near_donors.len() < super::NEAR_DONORS && !near_donors.contains(&k) {
                    near_donors.push(k);
                }
            }
        }
        let mut near = Totals::default();
        for k in &near_donors {
            let t = totals_of(&tx, &job, k).await?;
            near.prior = near.prior.saturating_add(t.prior);
            near.cycle = near.cycle.saturating_add(t.cycle);
        }
        let d = decide(&mut job, totals, Some(near));
        let stored = super::stored_body(&job, &d.body);
        tx.execute(
            "INSERT INTO decisions (id, decision_id, received_at_ms, decision, submission_digest, response)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[&job.id, &job.decision_id, &job.received_ms, &super::decision_text(d.decision), &job.digest, &stored],
        )
        .await
        .map_err(e2s)?;
        if d.recorded {
            let (passport_hmac, passport_last4) = job.passport.clone().unzip();
            tx.execute(
                "INSERT INTO contributions (id, donor_key, ruleset, recipient_type, election, year, amount_cents,
                     decision, codes, passport_hmac, passport_last4, email_hmac, client_verdict, received_at_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                &[
                    &job.id,
                    &job.donor_key,
                    &job.ruleset.id(),
                    &job.recipient_type,
                    &job.election,
                    &job.year,
                    &job.amount_cents,
                    &super::decision_text(d.decision),
                    &super::codes_text(&d.codes),
                    &passport_hmac,
                    &passport_last4,
                    &job.email,
                    &d.client_verdict,
                    &job.received_ms,
                ],
            )
            .await
            .map_err(e2s)?;
        }
        if d.recorded {
            if let Some(t) = job.recipient_type {
                tx.execute(super::PIN_COMMITTEE_SQL, &[&t]).await.map_err(e2s)?;
            }
            for variant in &job.near_keys {
                tx.execute(super::VARIANT_SQL, &[variant, &job.donor_key]).await.map_err(e2s)?;
            }
        }
        tx.commit().await.map_err(e2s)?;
        Ok(Outcome::Fresh { body: d.body, decision: d.decision, codes: d.codes })
    }
}

impl PgLedger {
    /// One correction, in a transaction holding the id's advisory lock (the lock a retried
    /// contribution takes too), so corrections of one contribution are serialised.
    pub async fn event(&self, job: EventJob) -> Result<EventOutcome, String> {
        let mut client = self.pool.get().await.map_err(e2s)?;
        let tx = client.transaction().await.map_err(e2s)?;
        tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&LOCK_ID, &lock_key(&job.contribution_id)])
            .await
            .map_err(e2s)?;
        let existing = tx
            .query_opt(super::events::EXISTING_SQL, &[&job.contribution_id, &job.idempotency_key])
            .await
            .map_err(e2s)?;
        if let Some(row) = existing {
            let digest: String = row.try_get(0).map_err(e2s)?;
            let body: String = row.try_get(1).map_err(e2s)?;
            tx.commit().await.map_err(e2s)?;
            return Ok(if digest == job.digest { EventOutcome::Replay { body } } else { EventOutcome::Conflict });
        }
        let Some(mut view) = load(&*tx, &job.contribution_id).await? else {
            tx.commit().await.map_err(e2s)?;
            return Ok(EventOutcome::NotFound);
        };
        let event = match view.apply(&job) {
            Ok(e) => e.clone(),
            Err(refusal) => {
                tx.commit().await.map_err(e2s)?;
                return Ok(refusal);
            }
        };
        let body = view.to_json();
        tx.execute(
            super::events::INSERT_SQL,
            &[
                &job.contribution_id,
                &event.seq,
                &event.kind,
                &job.idempotency_key,
                &job.digest,
                &event.amount_cents,
                &event.remaining_after,
                &event.state_after,
                &event.reviewer,
                &event.reason,
                &event.at_ms,
                &body,
            ],
        )
        .await
        .map_err(e2s)?;
        tx.commit().await.map_err(e2s)?;
        Ok(EventOutcome::Done { body })
    }

    pub async fn get(&self, id: String) -> Result<Option<View>, String> {
        let client = self.pool.get().await.map_err(e2s)?;
        load(&**client, &id).await
    }

    pub async fn list(&self, q: Query) -> Result<Page, String> {
        let client = self.pool.get().await.map_err(e2s)?;
        let rows = client
            .query(
                super::events::LIST_SQL,
                &[
                    &q.after.0,
                    &q.after.1,
                    &q.decision.as_deref().unwrap_or(""),
                    &q.state.as_deref().unwrap_or(""),
                    &q.limit.saturating_add(1),
                ],
            )
            .await
            .map_err(e2s)?;
        let mut items = Vec::with_capacity(rows.len());
        for r in &rows {
            let row = row_of(r)?;
            let events = events_of(&**client, &row.id).await?;
            items.push(View { row, events });
        }
        Ok(super::events::paginate(items, q.limit))
    }
}

fn row_of(r: &tokio_postgres::Row) -> Result<Row, String> {
    Ok(Row {
        id: r.try_get(0).map_err(e2s)?,
        decision_id: r.try_get(1).map_err(e2s)?,
        received_ms: r.try_get(2).map_err(e2s)?,
        decision: r.try_get(3).map_err(e2s)?,
        response: r.try_get(4).map_err(e2s)?,
        ruleset: r.try_get(5).map_err(e2s)?,
        recipient_type: r.try_get(6).map_err(e2s)?,
        election: r.try_get(7).map_err(e2s)?,
        year: r.try_get(8).map_err(e2s)?,
        amount_cents: r.try_get(9).map_err(e2s)?,
    })
}

async fn events_of<C: tokio_postgres::GenericClient>(c: &C, id: &str) -> Result<Vec<EventRow>, String> {
    let rows = c.query(super::events::EVENTS_SQL, &[&id]).await.map_err(e2s)?;
    rows.iter()
        .map(|r| {
            Ok(EventRow {
                seq: r.try_get(0).map_err(e2s)?,
                kind: r.try_get(1).map_err(e2s)?,
                amount_cents: r.try_get(2).map_err(e2s)?,
                remaining_after: r.try_get(3).map_err(e2s)?,
                state_after: r.try_get(4).map_err(e2s)?,
                reviewer: r.try_get(5).map_err(e2s)?,
                reason: r.try_get(6).map_err(e2s)?,
                at_ms: r.try_get(7).map_err(e2s)?,
            })
        })
        .collect()
}

async fn load<C: tokio_postgres::GenericClient>(c: &C, id: &str) -> Result<Option<View>, String> {
    let Some(r) = c.query_opt(super::events::GET_SQL, &[&id]).await.map_err(e2s)? else {
        return Ok(None);
    };
    let row = row_of(&r)?;
    let events = events_of(c, &row.id).await?;
    Ok(Some(View { row, events }))
}

/// The totals of one donor key for this job's recipient and period.
async fn totals_of(tx: &tokio_postgres::Transaction<'_>, job: &Job, donor_key: &str) -> Result<Totals, String> {
    Ok(match super::totals_sql_for(job, donor_key) {
        None => Totals::default(),
        Some((sql, a)) => {
            let row = tx
                .query_one(
                    sql,
                    &[
                        &a.prior_mode,
                        &a.prior_election,
                        &a.prior_year,
                        &a.cycle_mode,
                        &a.cycle_election,
                        &a.cycle_year,
                        &a.donor,
                        &a.kind,
                        &a.ruleset,
                    ],
                )
                .await
                .map_err(e2s)?;
            Totals { prior: row.try_get(0).map_err(e2s)?, cycle: row.try_get(1).map_err(e2s)? }
        }
    })
}
