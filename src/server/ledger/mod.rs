//! The ledger: every contribution the service accepted or sent to review, so that it can supply
//! `history.prior_total` and `history.cycle_total` itself, answer a retried id with its first
//! verdict, and never let two concurrent contributions together pass a limit.
//!
//! Two stores share the same schema and the same [`decide`] step:
//! - [`sqlite`]: one embedded file in WAL mode with `synchronous=FULL`. One writer thread owns
//!   the connection and takes requests in batches, one transaction (one fsync) per batch: group
//!   commit. Requests are therefore serialised, which is what makes the limits race-free, and a
//!   response leaves only after its batch is durable.
//! - [`pg`]: PostgreSQL for several stateless servers. Each contribution is one READ COMMITTED
//!   transaction that first takes two transaction-scoped advisory locks, on the id and on the
//!   donor, so the same donor's contributions are serialised across servers.
//!
//! What is stored: the caller's id, the verdict returned, the decision, the amount in cents,
//! the recipient type, election and year, and keyed hashes (see [`super::identity`]): the donor
//! key, the passport HMAC and its last 4 characters, the email HMAC. No name, address, email or
//! passport number in clear, and the stored verdict has its unkeyed `submission_digest`
//! redacted ([`stored_body`]).
//!
//! Totals follow the ruleset ([`scopes`]): the same ruleset id and recipient type; `prior` over
//! the period its limit names (election, calendar year of the gift's date, or cycle), `cycle`
//! over its itemization period. Corrections
//! (refunds, voids, chargebacks, review resolutions) are appended to `contribution_events`
//! ([`events`]); what counts is the last event's `remaining_after`, else the amount.

pub mod events;
pub mod pg;
pub mod sqlite;

use super::identity::Hasher;
use crate::findings::Code;
use crate::model::{Decision, History, Submission, Total, Wire as _};
use crate::ruleset::Ruleset;
use rust_decimal::Decimal;

/// A contribution on its way into the ledger, with everything computed outside the critical
/// section (identity, hashes, digest).
#[derive(Debug)]
pub struct Job {
    pub sub: Submission,
    /// The SDN screening, when the server has a list: its finding is server side, like the
    /// card's country, so it never causes a client mismatch, and a match is not recorded.
    /// [`Ledger::record`] runs it before the job reaches the store's writer and leaves the
    /// findings in `screened`.
    pub sanctions: Option<std::sync::Arc<crate::cli::Screening>>,
    /// The screening's findings (`sanctions_match`, `sanctions_possible_match`), computed
    /// outside the critical section; [`decide`] only adds them to the verdict.
    pub screened: Vec<crate::findings::Finding<'static>>,
    pub ruleset: &'static Ruleset,
    /// The caller's id: the idempotency key.
    pub id: String,
    pub decision_id: String,
    /// The keyed digest of the whole request (body bytes and verdict-bearing headers), to tell
    /// a retry from a different request under the same id: any difference is a conflict.
    pub digest: String,
    /// The unkeyed form digest rows were stored under before migration 3: an old id still
    /// replays when its form is the same.
    pub legacy_digest: String,
    pub donor_key: String,
    /// Earlier keys of the same donor ([`super::identity::Hasher::legacy_donor_keys`]): rows
    /// under them are re-keyed to `donor_key`.
    pub legacy_donor_keys: Vec<String>,
    /// Keyed near-match variants ([`super::identity::Hasher::near_keys`]).
    pub near_keys: Vec<String>,
    pub recipient_type: Option<&'static str>,
    pub election: Option<&'static str>,
    pub year: i32,
    pub received_ms: i64,
    /// The valid amount in cents (None when the amount is invalid: the verdict is then reject).
    pub amount_cents: Option<i64>,
    pub passport: Option<(String, String)>,
    pub email: Option<String>,
    /// The widget said its engine was unavailable: nothing to compare.
    pub client_unavailable: bool,
    /// Its reason, as stored (`unavailable:csp`); None: `unavailable`.
    pub client_reason: Option<&'static str>,
    /// `serve --require-widget` and no widget response came: `client_verdict_missing`.
    pub client_missing: bool,
}

/// What the ledger answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Checked now; recorded when the decision is not reject.
    Fresh { body: String, decision: Decision, codes: Vec<Code> },
    /// The id was seen before: its first response, unchanged.
    Replay { body: String },
    /// The id was seen before with another submission.
    Conflict,
    /// The ledger keeps another committee type's gifts (see [`COMMITTEE_SQL`]): nothing is
    /// recorded.
    OtherCommittee { kind: String },
}

/// One ledger is one committee's: the recipient type of its first recorded gift is kept in
/// `ledger_meta` (`committee_type`), and a gift for another type is refused, whether or not
/// the server was started with `--committee-type`. Without this, a server started without the
/// flag would let one person give a candidate's limit, then a PAC's, a state party's and a
/// national party's, to the same committee (issue 11's $73,300).
pub const COMMITTEE_SQL: &str = "SELECT value FROM ledger_meta WHERE key = 'committee_type'";
/// Keeps the first type (portable: both stores take `ON CONFLICT ... DO NOTHING`).
pub const PIN_COMMITTEE_SQL: &str =
    "INSERT INTO ledger_meta (key, value) VALUES ('committee_type', $1) ON CONFLICT (key) DO NOTHING";

/// `Some(refusal)` when the ledger's committee type (if it has one yet) is not the job's.
pub fn other_committee(kept: Option<String>, job: &Job) -> Option<Outcome> {
    match (kept, job.recipient_type) {
        (Some(kind), Some(t)) if kind != t => Some(Outcome::OtherCommittee { kind }),
        _ => None,
    }
}

/// The totals the ledger supplies, in cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub prior: i64,
    pub cycle: i64,
}

/// The row to write, from [`decide`].
#[derive(Debug)]
pub struct Decided {
    pub body: String,
    pub decision: Decision,
    pub codes: Vec<Code>,
    /// Whether the contribution counts toward the limits (the decision is not reject).
    pub recorded: bool,
    pub client_verdict: &'static str,
}

/// Most near donors whose totals are read for one contribution.
pub const NEAR_DONORS: usize = 16;

/// Runs the engine with the ledger's totals as `history`, and builds the response body: the
/// verdict with `decision_id` and `recorded` appended.
///
/// `near` is the sum of the totals of the donors that are near this one (probably the same
/// person under another spelling, ZIP or suffix, or with the same email): when the
/// contribution passes on its own but would exceed a limit with them counted, it gets
/// `possible_duplicate_donor` (review), and is recorded under its own key.
pub fn decide(job: &mut Job, totals: Totals, near: Option<Totals>) -> Decided {
    let history = |t: Totals| History {
        prior_total: Some(Total(Decimal::new(t.prior, 2))),
        cycle_total: Some(Total(Decimal::new(t.cycle, 2))),
    };
    let verdict = {
        if let Some(n) = near.filter(|n| n.prior > 0 || n.cycle > 0) {
            job.sub.history = Some(history(Totals {
                prior: totals.prior.saturating_add(n.prior),
                cycle: totals.cycle.saturating_add(n.cycle),
            }));
            let together = crate::check(&job.sub, job.ruleset);
            job.sub.history = Some(history(totals));
            let mut alone = crate::check(&job.sub, job.ruleset);
            if alone.decision != Decision::Reject && together.has(Code::ExceedsLimit) && !alone.has(Code::ExceedsLimit)
            {
                let mut extra = crate::rules::Findings::new(job.ruleset);
                extra.add(Code::PossibleDuplicateDonor, "donor");
                alone.findings.extend(extra.into_vec());
                crate::findings::sort(&mut alone.findings);
                alone.decision = crate::findings::decide(&alone.findings);
            }
            alone
        } else {
            job.sub.history = Some(history(totals));
            crate::check(&job.sub, job.ruleset)
        }
    };
    // Screening (when a caller left it to this step) stays outside any store's writer: see
    // `Ledger::record`, which fills `screened` first.
    if let Some(s) = job.sanctions.take() {
        job.screened = s.list.screen(&job.sub, &s.thresholds);
    }
    let verdict = crate::sanctions::SanctionsList::add_findings(verdict, std::mem::take(&mut job.screened));
    let verdict =
        if job.client_missing { super::http::widget_missing(verdict, &job.sub, job.ruleset) } else { verdict };
    let recorded = verdict.decision != Decision::Reject && job.amount_cents.is_some();
    let codes: Vec<Code> = verdict.findings.iter().map(|f| f.code).collect();
    let client_verdict = if job.client_unavailable {
        job.client_reason.unwrap_or("unavailable")
    } else if job.sub.client_verdict.is_none() {
        "none"
    } else if codes.contains(&Code::ClientVerdictMismatch) {
        "mismatch"
    } else {
        "match"
    };
    let body = super::http::append_members(
        verdict.to_json(),
        &[
            ("decision_id", &super::http::json_string(&job.decision_id)),
            ("recorded", if recorded { "true" } else { "false" }),
        ],
    );
    Decided { body, decision: verdict.decision, codes, recorded, client_verdict }
}

/// The comma-separated finding codes, for the row.
pub fn codes_text(codes: &[Code]) -> String {
    codes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",")
}

/// The decision's wire name.
pub fn decision_text(d: Decision) -> &'static str {
    d.wire()
}

/// The ledger in use.
#[derive(Debug, Clone)]
pub enum Ledger {
    Sqlite(sqlite::SqliteLedger),
    Postgres(pg::PgLedger),
}

impl Ledger {
    /// Opens (and migrates) the store; refuses a ledger made with another secret.
    pub async fn open(store: &super::Store, secret: Vec<u8>) -> Result<Ledger, String> {
        let hasher = Hasher::new(&secret)?;
        match store {
            super::Store::Sqlite(path) => Ok(Ledger::Sqlite(sqlite::SqliteLedger::open(path, hasher)?)),
            super::Store::Postgres { url, pool } => Ok(Ledger::Postgres(pg::PgLedger::open(url, *pool, hasher).await?)),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Ledger::Sqlite(_) => "sqlite",
            Ledger::Postgres(_) => "postgres",
        }
    }

    pub fn hasher(&self) -> &Hasher {
        match self {
            Ledger::Sqlite(l) => &l.hasher,
            Ledger::Postgres(l) => &l.hasher,
        }
    }

    /// Checks and records one contribution. The sanctions screening runs here, on the
    /// caller's task, not in the writer (SQLite's single writer thread, or PostgreSQL's
    /// transaction holding the donor's advisory lock): the writer only adds its findings.
    pub async fn record(&self, mut job: Job) -> Result<Outcome, String> {
        job.year = gift_year(&job.sub, job.year);
        if let Some(s) = job.sanctions.take() {
            job.screened = s.list.screen(&job.sub, &s.thresholds);
        }
        match self {
            Ledger::Sqlite(l) => l.record(job).await,
            Ledger::Postgres(l) => l.record(job).await,
        }
    }

    /// Appends a correction (refund, void, chargeback, review resolution).
    pub async fn event(&self, job: events::EventJob) -> Result<events::EventOutcome, String> {
        match self {
            Ledger::Sqlite(l) => l.event(job).await,
            Ledger::Postgres(l) => l.event(job).await,
        }
    }

    /// One contribution (any decision) with its events; `None` for an unknown id.
    pub async fn get(&self, id: String) -> Result<Option<events::View>, String> {
        match self {
            Ledger::Sqlite(l) => l.get(id).await,
            Ledger::Postgres(l) => l.get(id).await,
        }
    }

    /// A page of contributions in (received, id) order.
    pub async fn list(&self, query: events::Query) -> Result<events::Page, String> {
        match self {
            Ledger::Sqlite(l) => l.list(query).await,
            Ledger::Postgres(l) => l.list(query).await,
        }
    }

    /// On shutdown: SQLite moves its WAL into the main file (TRUNCATE), so a copy of the
    /// `.sqlite` alone holds the data. PostgreSQL: nothing to do.
    pub async fn checkpoint(&self) -> Result<(), String> {
        match self {
            Ledger::Sqlite(l) => l.checkpoint().await,
            Ledger::Postgres(_) => Ok(()),
        }
    }

    /// Whether the store answers.
    pub async fn health(&self) -> Result<(), String> {
        match self {
            Ledger::Sqlite(l) => l.health().await,
            Ledger::Postgres(l) => l.health().await,
        }
    }
}

/// `donation-guard ledger ...`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum LedgerCommand {
    /// Copy the SQLite ledger, consistently, while the server runs (VACUUM INTO) to PATH (a new
    /// file, created 0600). Keep the ledger's `.secret` with the copy: without it no donor key
    /// matches.
    Backup {
        /// The new file.
        path: std::path::PathBuf,
        /// The SQLite ledger to copy.
        #[arg(long, default_value = "donation-guard.sqlite")]
        db: std::path::PathBuf,
    },
}

/// Runs a `ledger` subcommand; returns the exit status.
pub fn command(cmd: &LedgerCommand) -> i32 {
    match cmd {
        LedgerCommand::Backup { path, db } => {
            if std::env::var("DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
                eprintln!("donation-guard: the ledger is in PostgreSQL (DATABASE_URL): back it up with pg_dump");
                return 2;
            }
            match sqlite::backup(db, path) {
                Ok(()) => {
                    eprintln!(
                        "donation-guard: {} backed up to {}; keep {}.secret (or DG_SECRET) with it",
                        db.display(),
                        path.display(),
                        db.display()
                    );
                    0
                }
                Err(e) => {
                    eprintln!("donation-guard: {e}");
                    1
                }
            }
        }
    }
}

/// The schema, as versioned migrations: (version, SQL). Both stores run the same statements
/// (the SQL is portable between SQLite and PostgreSQL).
pub const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "CREATE TABLE ledger_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE decisions (
        id TEXT PRIMARY KEY,
        decision_id TEXT NOT NULL,
        received_at_ms BIGINT NOT NULL,
        decision TEXT NOT NULL,
        submission_digest TEXT NOT NULL,
        response TEXT NOT NULL
    );
    CREATE TABLE contributions (
        id TEXT PRIMARY KEY REFERENCES decisions (id),
        donor_key TEXT NOT NULL,
        ruleset TEXT NOT NULL,
        recipient_type TEXT NOT NULL,
        election TEXT,
        year INTEGER NOT NULL,
        amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
        decision TEXT NOT NULL CHECK (decision IN ('accept', 'review')),
        codes TEXT NOT NULL,
        passport_hmac TEXT,
        passport_last4 TEXT,
        email_hmac TEXT,
        client_verdict TEXT NOT NULL,
        received_at_ms BIGINT NOT NULL
    );
    CREATE INDEX contributions_by_donor ON contributions (donor_key, recipient_type, year);",
    ),
    (
        2,
        // v2 donor identity (crate::identity). Old rows hold only the HMAC of the v1 identity, so
        // they cannot be re-keyed here: each donor's rows are re-keyed (UPDATE donor_key) the
        // first time the donor gives again, inside that contribution's transaction, before its
        // totals are read. Near-match variants are kept from then on.
        "CREATE TABLE donor_variants (
        variant TEXT NOT NULL,
        donor_key TEXT NOT NULL,
        PRIMARY KEY (variant, donor_key)
    );",
    ),
    (
        3,
        // Totals follow the ruleset (issue 10): every total is scoped by ruleset id and the
        // limit's period. Existing rows already carry ruleset, recipient_type, election and year,
        // so none is rewritten; the index serves the new scoped queries. Corrections (issue 11)
        // are appended as events: a contribution row is never rewritten, and what counts toward
        // the limits is the last event's remaining_after (else amount_cents).
        "CREATE INDEX contributions_by_scope ON contributions (donor_key, ruleset, recipient_type, year);
    CREATE INDEX decisions_by_time ON decisions (received_at_ms, id);
    CREATE TABLE contribution_events (
        contribution_id TEXT NOT NULL REFERENCES contributions (id),
        seq INTEGER NOT NULL CHECK (seq > 0),
        kind TEXT NOT NULL CHECK (kind IN ('refund', 'void', 'chargeback', 'resolve_accept', 'resolve_reject')),
        idempotency_key TEXT NOT NULL,
        request_digest TEXT NOT NULL,
        amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
        remaining_after BIGINT NOT NULL CHECK (remaining_after >= 0),
        state_after TEXT NOT NULL,
        reviewer TEXT,
        reason TEXT,
        at_ms BIGINT NOT NULL,
        response TEXT NOT NULL,
        PRIMARY KEY (contribution_id, seq),
        UNIQUE (contribution_id, idempotency_key)
    );",
    ),
];

/// Whether a stored `submission_digest` is this job's: a replay, not a conflict.
pub fn same_request(stored: &str, job: &Job) -> bool {
    stored == job.digest || (!stored.starts_with("r:") && stored == job.legacy_digest)
}

/// What the stored response holds in place of the unkeyed `submission_digest` (issue 11, 6):
/// someone holding the database and guessing a donor's details cannot confirm them offline. A
/// replay restores the digest from the retried request, which is the same request (its keyed
/// digest matched), so the same form and the same `submission_digest`.
const REDACTED_DIGEST: &str = "\"submission_digest\":\"redacted\"";

fn clear_digest(job: &Job) -> String {
    format!("\"submission_digest\":{}", super::http::json_string(&job.legacy_digest))
}

/// The response as stored: without its unkeyed `submission_digest` (kept as is when the body
/// does not hold exactly one copy of this job's digest).
pub fn stored_body(job: &Job, body: &str) -> String {
    let clear = clear_digest(job);
    if body.matches(&clear).count() == 1 {
        body.replacen(&clear, REDACTED_DIGEST, 1)
    } else {
        body.to_owned()
    }
}

/// A stored response as replayed: its `submission_digest` restored.
pub fn replayed_body(job: &Job, stored: String) -> String {
    if stored.matches(REDACTED_DIGEST).count() == 1 {
        stored.replacen(REDACTED_DIGEST, &clear_digest(job), 1)
    } else {
        stored
    }
}

/// Re-keys a donor's pre-v2 rows: (sql, [new key, legacy key]).
pub const REKEY_SQL: &str = "UPDATE contributions SET donor_key = $1 WHERE donor_key = $2";
/// The donors sharing a near-match variant.
pub const NEAR_SQL: &str = "SELECT donor_key FROM donor_variants WHERE variant = $1 AND donor_key <> $2";
/// Remembers a variant of a recorded donor.
pub const VARIANT_SQL: &str = "INSERT INTO donor_variants (variant, donor_key) VALUES ($1, $2) ON CONFLICT DO NOTHING";

/// The amount of a contribution that counts toward the limits now: its amount, or what the
/// last correction (refund, void, chargeback, review rejected) left of it.
macro_rules! net {
    () => {
        "COALESCE((SELECT e.remaining_after FROM contribution_events e WHERE e.contribution_id = c.id
                   ORDER BY e.seq DESC LIMIT 1), c.amount_cents)"
    };
}

/// One donor's totals: `prior` over the limit's period, `cycle` over the itemization period.
/// Each is chosen by a mode (0: the ruleset's whole cycle, 1: this election, 2: this calendar
/// year), so one statement serves every pairing a ruleset can make. Placeholders appear in
/// numeric order (SQLite numbers `$N` by first appearance).
const TOTALS: &str = concat!(
    "SELECT CAST(COALESCE(SUM(CASE WHEN $1 = 0 OR ($1 = 1 AND COALESCE(c.election, '') = $2) OR ($1 = 2 AND c.year = $3) THEN ",
    net!(),
    " ELSE 0 END), 0) AS BIGINT), ",
    "CAST(COALESCE(SUM(CASE WHEN $4 = 0 OR ($4 = 1 AND COALESCE(c.election, '') = $5) OR ($4 = 2 AND c.year = $6) THEN ",
    net!(),
    " ELSE 0 END), 0) AS BIGINT) FROM contributions c WHERE c.donor_key = $7 AND c.recipient_type = $8 AND c.ruleset = $9"
);

/// What one of a job's totals runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// `per: election`: this election.
    Election(&'a str),
    /// `per: calendar_year`: the gift's year.
    Year(i32),
    /// `per: cycle`, `per: none`, or no limit: the ruleset's whole cycle.
    Cycle,
}

impl<'a> Scope<'a> {
    fn of(per: Option<crate::ruleset::Period>, job: &'a Job) -> Scope<'a> {
        use crate::ruleset::Period;
        match per {
            Some(Period::Election) => Scope::Election(job.election.unwrap_or("")),
            Some(Period::CalendarYear) => Scope::Year(job.year),
            Some(Period::Cycle | Period::None) | None => Scope::Cycle,
        }
    }

    /// (mode, election, year) for [`TOTALS`].
    fn args(self, job: &'a Job) -> (i32, &'a str, i32) {
        match self {
            Scope::Cycle => (0, job.election.unwrap_or(""), job.year),
            Scope::Election(e) => (1, e, job.year),
            Scope::Year(y) => (2, job.election.unwrap_or(""), y),
        }
    }
}

/// The scopes of a job's two totals: `prior` over the ruleset's limit period for the recipient
/// type, `cycle` over its itemization period. The engine's itemization aggregate is
/// max(prior, cycle) + amount (RULES.md), exact when the itemization period holds the limit's
/// (federal: a cycle holds its elections; a PAC's year is both); a limit over a longer period
/// than the itemization one asks for employer and occupation early, never late. Totals are always scoped by ruleset id too, so two
/// rulesets on one server never pool.
pub fn scopes(job: &Job) -> Option<(Scope<'_>, Scope<'_>)> {
    use crate::model::{RecipientType, Wire as _};
    let kind = job.recipient_type?;
    let kind = RecipientType::ALL.iter().copied().find(|t| t.wire() == kind)?;
    let cycle = Scope::of(Some(job.ruleset.itemization_period(kind)), job);
    // With no limit, or a per-gift one, `prior` adds to nothing but the itemization aggregate
    // (max(prior, cycle) + amount): it runs over the itemization period too.
    let prior = match job.ruleset.limit(kind).map(|l| l.per) {
        None | Some(crate::ruleset::Period::None) => cycle,
        per => Scope::of(per, job),
    };
    Some((prior, cycle))
}

/// The totals query for a job: (sql with $1.. placeholders, its parameters).
pub fn totals_sql(job: &Job) -> Option<(&'static str, TotalsArgs<'_>)> {
    totals_sql_for(job, &job.donor_key)
}

/// [`totals_sql`] for another donor key (a near match).
pub fn totals_sql_for<'a>(job: &'a Job, donor_key: &'a str) -> Option<(&'static str, TotalsArgs<'a>)> {
    let kind = job.recipient_type?;
    let (prior, cycle) = scopes(job)?;
    let (prior_mode, prior_election, prior_year) = prior.args(job);
    let (cycle_mode, cycle_election, cycle_year) = cycle.args(job);
    Some((
        TOTALS,
        TotalsArgs {
            prior_mode,
            prior_election,
            prior_year,
            cycle_mode,
            cycle_election,
            cycle_year,
            donor: donor_key,
            kind,
            ruleset: job.ruleset.id(),
        },
    ))
}

/// The parameters of [`TOTALS`], in placeholder order.
#[derive(Debug)]
pub struct TotalsArgs<'a> {
    pub prior_mode: i32,
    pub prior_election: &'a str,
    pub prior_year: i32,
    pub cycle_mode: i32,
    pub cycle_election: &'a str,
    pub cycle_year: i32,
    pub donor: &'a str,
    pub kind: &'a str,
    pub ruleset: &'a str,
}

/// The calendar year totals use: the gift's `contribution.date` when given (already checked
/// as `YYYY-MM-DD` when the ruleset was chosen), else the year it was received.
pub fn gift_year(sub: &Submission, received_year: i32) -> i32 {
    sub.contribution
        .as_ref()
        .and_then(|c| c.date.as_deref())
        .map(str::trim)
        .filter(|d| crate::ruleset::valid_date(d))
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse::<i32>().ok())
        .unwrap_or(received_year)
}

/// Milliseconds since 1970 and the UTC calendar year.
pub fn now() -> (i64, i32) {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    (ms, year_of(ms))
}

/// The UTC year of a time in milliseconds since 1970.
pub fn year_of(ms: i64) -> i32 {
    civil_of(ms).0
}

/// The UTC date of a time in milliseconds since 1970, as `YYYY-MM-DD`.
pub fn date_of(ms: i64) -> String {
    let (y, m, d) = civil_of(ms);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The UTC (year, month, day) of a time in milliseconds since 1970 (Howard Hinnant's
/// civil_from_days).
fn civil_of(ms: i64) -> (i32, i64, i64) {
    let days = ms.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (i32::try_from(year).unwrap_or(i32::MAX), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        assert_eq!(year_of(0), 1970);
        assert_eq!(year_of(1_735_689_599_999), 2024); // 2024-12-31T23:59:59.999Z
        assert_eq!(year_of(1_735_689_600_000), 2025);
        assert_eq!(year_of(1_798_761_599_999), 2026);
        assert_eq!(year_of(951_782_400_000), 2000); // 2000-02-29
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(951_782_400_000), "2000-02-29");
        assert_eq!(date_of(1_735_689_599_999), "2024-12-31");
        assert_eq!(date_of(1_735_689_600_000), "2025-01-01");
        assert_eq!(date_of(-1), "1969-12-31");
    }
}
