//! Corrections to recorded contributions (issue 11): refunds (full or partial), voids (the
//! payment failed or was declined), chargebacks, and review resolutions. Each is an event
//! appended to `contribution_events`; no contribution row is rewritten, so the ledger is an
//! audit trail. What a contribution counts toward the limits is the last event's
//! `remaining_after` (else its amount).
//!
//! The state machine is here, store-free: both stores load a [`View`], [`View::apply`] the
//! action, and insert the event it appended, under their own lock (SQLite: the one writer;
//! PostgreSQL: the id's advisory lock).

use rust_decimal::Decimal;
use serde_json::{json, Value};

/// A contribution's state, as the API names it.
pub const STATES: &[&str] = &["accepted", "review", "rejected", "refunded", "voided", "charged_back"];

/// What the caller asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Money back to the donor: the amount (default: all that still counts).
    Refund { amount: Option<i64> },
    /// The payment failed or was declined: nothing counts.
    Void,
    /// The donor's bank took the money back: the amount (default: all that still counts).
    Chargeback { amount: Option<i64> },
    /// A review item accepted, or rejected (and refunded).
    Resolve { accept: bool },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Refund { .. } => "refund",
            Action::Void => "void",
            Action::Chargeback { .. } => "chargeback",
            Action::Resolve { .. } => "resolve",
        }
    }
}

/// One correction on its way into the ledger.
#[derive(Debug, Clone)]
pub struct EventJob {
    pub contribution_id: String,
    pub action: Action,
    /// The caller's idempotency key for this correction (unique per contribution).
    pub idempotency_key: String,
    /// The keyed digest of the request (route and body): a retry, or a conflict.
    pub digest: String,
    /// Who resolved a review (a staff identifier, not donor data).
    pub reviewer: Option<String>,
    pub reason: Option<String>,
    pub at_ms: i64,
}

/// What the ledger answers to a correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventOutcome {
    /// Applied now: the contribution after it.
    Done {
        body: String,
    },
    /// The idempotency key was used before for this same request: its first response.
    Replay {
        body: String,
    },
    /// The idempotency key was used before for another request.
    Conflict,
    NotFound,
    /// The correction does not fit the contribution's state or amounts (409).
    Refused {
        code: &'static str,
        message: String,
    },
}

/// A decision row, with its contribution when it was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub decision_id: String,
    pub received_ms: i64,
    pub decision: String,
    /// The stored response (the verdict): read for its finding codes and ruleset id only.
    pub response: String,
    pub ruleset: Option<String>,
    pub recipient_type: Option<String>,
    pub election: Option<String>,
    pub year: Option<i32>,
    /// None: not recorded (rejected).
    pub amount_cents: Option<i64>,
}

/// One stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub seq: i32,
    pub kind: String,
    pub amount_cents: i64,
    pub remaining_after: i64,
    pub state_after: String,
    pub reviewer: Option<String>,
    pub reason: Option<String>,
    pub at_ms: i64,
}

/// A contribution as `GET /v1/contributions/{id}` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub row: Row,
    pub events: Vec<EventRow>,
}

/// The columns of [`Row`], in order.
pub const ROW_COLUMNS: &str = "d.id, d.decision_id, d.received_at_ms, d.decision, d.response, c.ruleset, \
     c.recipient_type, c.election, c.year, c.amount_cents";

/// The state of a decision row in SQL (for the list's `state` filter); [`View::state`] in Rust.
macro_rules! state_sql {
    () => {
        "(CASE WHEN c.id IS NULL THEN 'rejected' ELSE COALESCE((SELECT e.state_after FROM contribution_events e
            WHERE e.contribution_id = d.id ORDER BY e.seq DESC LIMIT 1),
            CASE WHEN d.decision = 'review' THEN 'review' ELSE 'accepted' END) END)"
    };
}

/// One decision row by id.
pub const GET_SQL: &str = "SELECT d.id, d.decision_id, d.received_at_ms, d.decision, d.response, c.ruleset, \
     c.recipient_type, c.election, c.year, c.amount_cents FROM decisions d LEFT JOIN contributions c ON c.id = d.id \
     WHERE d.id = $1";
/// A page of decision rows after a keyset position ($1 ms, $2 id), with optional decision ($3)
/// and state ($4) filters ('' for none), at most $5 rows.
pub const LIST_SQL: &str = concat!(
    "SELECT d.id, d.decision_id, d.received_at_ms, d.decision, d.response, c.ruleset, c.recipient_type, c.election,
            c.year, c.amount_cents
     FROM decisions d LEFT JOIN contributions c ON c.id = d.id
     WHERE (d.received_at_ms > $1 OR (d.received_at_ms = $1 AND d.id > $2))
       AND ($3 = '' OR d.decision = $3)
       AND ($4 = '' OR ",
    state_sql!(),
    " = $4)
     ORDER BY d.received_at_ms, d.id LIMIT $5"
);
/// A contribution's events, in order.
pub const EVENTS_SQL: &str = "SELECT seq, kind, amount_cents, remaining_after, state_after, reviewer, reason, at_ms \
     FROM contribution_events WHERE contribution_id = $1 ORDER BY seq";
/// An earlier event under the same idempotency key.
pub const EXISTING_SQL: &str =
    "SELECT request_digest, response FROM contribution_events WHERE contribution_id = $1 AND idempotency_key = $2";
pub const INSERT_SQL: &str = "INSERT INTO contribution_events (contribution_id, seq, kind, idempotency_key, \
     request_digest, amount_cents, remaining_after, state_after, reviewer, reason, at_ms, response) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

/// The list's query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Start after this (received_at_ms, id); `(since, "")` lists from `since` on.
    pub after: (i64, String),
    pub decision: Option<String>,
    pub state: Option<String>,
    /// At most this many items (1..=100).
    pub limit: i64,
}

/// A page of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub items: Vec<View>,
    /// Where the next page starts, when there may be one.
    pub next: Option<(i64, String)>,
}

/// Cuts a list fetched with `limit + 1` rows to `limit`, with the next cursor when more remain.
pub fn paginate(mut items: Vec<View>, limit: i64) -> Page {
    let limit = usize::try_from(limit).unwrap_or(0);
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|v| (v.row.received_ms, v.row.id.clone()))
    } else {
        None
    };
    Page { items, next }
}

fn refused(code: &'static str, message: impl Into<String>) -> EventOutcome {
    EventOutcome::Refused { code, message: message.into() }
}

fn money(cents: i64) -> String {
    Decimal::new(cents, 2).to_string()
}

impl View {
    pub fn recorded(&self) -> bool {
        self.row.amount_cents.is_some()
    }

    /// accepted, review, rejected, refunded, voided or charged_back.
    pub fn state(&self) -> &str {
        if !self.recorded() {
            return "rejected";
        }
        match self.events.last() {
            Some(e) => &e.state_after,
            None if self.row.decision == "review" => "review",
            None => "accepted",
        }
    }

    /// What counts toward the limits now, in cents.
    pub fn remaining(&self) -> i64 {
        match (self.events.last(), self.row.amount_cents) {
            (Some(e), _) => e.remaining_after,
            (None, Some(a)) => a,
            (None, None) => 0,
        }
    }

    fn sum(&self, kinds: &[&str]) -> i64 {
        self.events
            .iter()
            .filter(|e| kinds.contains(&e.kind.as_str()))
            .fold(0i64, |a, e| a.saturating_add(e.amount_cents))
    }

    /// Checks the action against the state and amounts and appends its event; the outcome is
    /// `Refused` when it does not fit.
    pub fn apply(&mut self, job: &EventJob) -> Result<&EventRow, EventOutcome> {
        let Some(amount) = self.row.amount_cents else {
            return Err(refused(
                "not_recorded",
                "this contribution was rejected and never recorded: there is nothing to correct",
            ));
        };
        let state = self.state().to_owned();
        let remaining = self.remaining();
        let open = state == "accepted" || state == "review";
        let over = |asked: i64| {
            refused(
                "exceeds_remaining",
                format!("{} is more than the {} that still counts", money(asked), money(remaining)),
            )
        };
        let (kind, taken, state_after) = match job.action {
            Action::Refund { amount: asked } | Action::Chargeback { amount: asked } => {
                if !open {
                    return Err(refused("invalid_state", format!("a {state} contribution cannot be corrected")));
                }
                let taken = asked.unwrap_or(remaining);
                if taken > remaining {
                    return Err(over(taken));
                }
                let (kind, done) = if matches!(job.action, Action::Refund { .. }) {
                    ("refund", "refunded")
                } else {
                    ("chargeback", "charged_back")
                };
                (kind, taken, if taken == remaining { done.to_owned() } else { state.clone() })
            }
            Action::Void => {
                if !open {
                    return Err(refused("invalid_state", format!("a {state} contribution cannot be voided")));
                }
                if remaining != amount {
                    return Err(refused(
                        "invalid_state",
                        "part of this contribution was already refunded or charged back: refund the rest instead",
                    ));
                }
                ("void", remaining, "voided".to_owned())
            }
            Action::Resolve { accept } => {
                if state != "review" {
                    return Err(refused("not_in_review", format!("this contribution is {state}, not under review")));
                }
                if accept {
                    ("resolve_accept", 0, "accepted".to_owned())
                } else {
                    ("resolve_reject", remaining, "rejected".to_owned())
                }
            }
        };
        let seq = self.events.last().map_or(1, |e| e.seq.saturating_add(1));
        self.events.push(EventRow {
            seq,
            kind: kind.to_owned(),
            amount_cents: taken,
            remaining_after: remaining.saturating_sub(taken),
            state_after,
            reviewer: job.reviewer.clone(),
            reason: job.reason.clone(),
            at_ms: job.at_ms,
        });
        self.events.last().ok_or_else(|| refused("internal", "no event"))
    }

    /// The API's JSON. No donor data: the row holds none.
    pub fn to_value(&self) -> Value {
        let stored: Value = serde_json::from_str(&self.row.response).unwrap_or(Value::Null);
        let codes: Vec<Value> = stored
            .get("findings")
            .and_then(Value::as_array)
            .map(|f| f.iter().filter_map(|x| x.get("code").cloned()).collect())
            .unwrap_or_default();
        let ruleset = self
            .row
            .ruleset
            .clone()
            .map(Value::String)
            .unwrap_or_else(|| stored.get("ruleset").and_then(|r| r.get("id")).cloned().unwrap_or(Value::Null));
        let events: Vec<Value> = self
            .events
            .iter()
            .map(|e| {
                json!({
                    "seq": e.seq,
                    "type": e.kind,
                    "amount": money(e.amount_cents),
                    "counted_after": money(e.remaining_after),
                    "state_after": e.state_after,
                    "reviewer": e.reviewer,
                    "reason": e.reason,
                    "at": rfc3339(e.at_ms),
                })
            })
            .collect();
        json!({
            "id": self.row.id,
            "decision_id": self.row.decision_id,
            "decision": self.row.decision,
            "state": self.state(),
            "recorded": self.recorded(),
            "received_at": rfc3339(self.row.received_ms),
            "ruleset": ruleset,
            "recipient_type": self.row.recipient_type,
            "election": self.row.election,
            "year": self.row.year,
            "codes": codes,
            "amount": self.row.amount_cents.map(money),
            "counted": money(self.remaining()),
            "refunded": money(self.sum(&["refund", "resolve_reject"])),
            "charged_back": money(self.sum(&["chargeback"])),
            "voided": money(self.sum(&["void"])),
            "events": events,
        })
    }

    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }
}

/// The page as JSON: `{"items": [...], "next_cursor": "..." | null}`.
pub fn page_json(page: &Page) -> String {
    json!({
        "items": page.items.iter().map(View::to_value).collect::<Vec<_>>(),
        "next_cursor": page.next.as_ref().map(|(ms, id)| cursor(*ms, id)),
    })
    .to_string()
}

/// An opaque cursor: the hex of `ms:id`.
pub fn cursor(ms: i64, id: &str) -> String {
    super::super::identity::hex(format!("{ms}:{id}").as_bytes())
}

/// A cursor back to its position; `None` when it is not one of ours.
pub fn parse_cursor(text: &str) -> Option<(i64, String)> {
    if text.len() % 2 != 0 || text.len() > 4096 {
        return None;
    }
    let bytes: Option<Vec<u8>> =
        (0..text.len()).step_by(2).map(|i| text.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect();
    let text = String::from_utf8(bytes?).ok()?;
    let (ms, id) = text.split_once(':')?;
    let ms: i64 = ms.parse().ok()?;
    (!id.is_empty() && ms >= 0).then(|| (ms, id.to_owned()))
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `since`: `YYYY-MM-DD` (that day, 00:00 UTC) or `YYYY-MM-DDTHH:MM:SSZ` (optional fraction),
/// to milliseconds since 1970.
pub fn parse_since(text: &str) -> Option<i64> {
    let text = text.trim();
    let date = text.get(..10)?;
    if !crate::ruleset::valid_date(date) {
        return None;
    }
    let num = |s: Option<&str>| s.filter(|s| s.bytes().all(|b| b.is_ascii_digit())).and_then(|s| s.parse::<i64>().ok());
    let (y, m, d) = (num(date.get(..4))?, num(date.get(5..7))?, num(date.get(8..10))?);
    let mut ms = days_from_civil(y, m, d).checked_mul(86_400_000)?;
    let rest = text.get(10..)?;
    if rest.is_empty() {
        return Some(ms);
    }
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix('t'))?;
    let rest = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z'))?;
    let (hms, frac) = rest.split_once('.').unwrap_or((rest, ""));
    if hms.len() != 8 || hms.get(2..3) != Some(":") || hms.get(5..6) != Some(":") {
        return None;
    }
    let (h, mi, s) = (num(hms.get(..2))?, num(hms.get(3..5))?, num(hms.get(6..8))?);
    if h > 23 || mi > 59 || s > 59 || frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let milli = format!("{frac:0<3}").get(..3).and_then(|f| f.parse::<i64>().ok())?;
    ms += ((h * 60 + mi) * 60 + s) * 1000 + milli;
    Some(ms)
}

/// Milliseconds since 1970 as `YYYY-MM-DDTHH:MM:SS.sssZ`.
pub fn rfc3339(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn view(decision: &str, amount: Option<i64>) -> View {
        View {
            row: Row {
                id: "c-1".into(),
                decision_id: "d".into(),
                received_ms: 0,
                decision: decision.into(),
                response:
                    r#"{"decision":"accept","findings":[{"code":"itemization_info_missing"}],"ruleset":{"id":"r"}}"#
                        .into(),
                ruleset: amount.map(|_| "us-federal-2025-2026".into()),
                recipient_type: None,
                election: None,
                year: None,
                amount_cents: amount,
            },
            events: vec![],
        }
    }

    fn job(action: Action) -> EventJob {
        EventJob {
            contribution_id: "c-1".into(),
            action,
            idempotency_key: "k".into(),
            digest: "d".into(),
            reviewer: None,
            reason: None,
            at_ms: 1,
        }
    }

    fn code(r: Result<&EventRow, EventOutcome>) -> &'static str {
        match r {
            Err(EventOutcome::Refused { code, .. }) => code,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn refunds_reduce_what_counts_and_cannot_pass_the_amount() {
        let mut v = view("accept", Some(300_000));
        v.apply(&job(Action::Refund { amount: Some(100_000) })).unwrap();
        assert_eq!((v.state(), v.remaining()), ("accepted", 200_000));
        assert_eq!(code(v.apply(&job(Action::Refund { amount: Some(200_001) }))), "exceeds_remaining");
        assert_eq!(code(v.apply(&job(Action::Void))), "invalid_state");
        v.apply(&job(Action::Refund { amount: None })).unwrap();
        assert_eq!((v.state(), v.remaining()), ("refunded", 0));
        assert_eq!(code(v.apply(&job(Action::Chargeback { amount: None }))), "invalid_state");
        assert_eq!(v.to_value()["refunded"], "3000.00");
        assert_eq!(v.to_value()["events"][1]["seq"], 2);
    }

    #[test]
    fn voids_chargebacks_and_resolutions() {
        let mut v = view("accept", Some(5000));
        v.apply(&job(Action::Void)).unwrap();
        assert_eq!((v.state(), v.remaining()), ("voided", 0));
        let mut v = view("review", Some(5000));
        assert_eq!(v.state(), "review");
        v.apply(&job(Action::Resolve { accept: false })).unwrap();
        assert_eq!((v.state(), v.remaining()), ("rejected", 0));
        assert_eq!(code(v.apply(&job(Action::Resolve { accept: true }))), "not_in_review");
        let mut v = view("review", Some(5000));
        v.apply(&job(Action::Resolve { accept: true })).unwrap();
        assert_eq!((v.state(), v.remaining()), ("accepted", 5000));
        assert_eq!(code(v.apply(&job(Action::Resolve { accept: true }))), "not_in_review");
        v.apply(&job(Action::Chargeback { amount: Some(5000) })).unwrap();
        assert_eq!((v.state(), v.remaining()), ("charged_back", 0));
        let mut v = view("reject", None);
        assert_eq!(v.state(), "rejected");
        assert_eq!(code(v.apply(&job(Action::Refund { amount: None }))), "not_recorded");
        assert_eq!(v.to_value()["ruleset"], "r");
        assert_eq!(v.to_value()["codes"], json!(["itemization_info_missing"]));
    }

    #[test]
    fn cursors_and_times() {
        let c = cursor(1_700_000_000_123, "id:with:colons");
        assert_eq!(parse_cursor(&c), Some((1_700_000_000_123, "id:with:colons".to_owned())));
        for bad in ["", "zz", "abc", "3a", &cursor(-1, "x")] {
            assert_eq!(parse_cursor(bad), None, "{bad}");
        }
        assert_eq!(parse_since("1970-01-01"), Some(0));
        assert_eq!(parse_since("2024-12-31T23:59:59.999Z"), Some(1_735_689_599_999));
        assert_eq!(parse_since("2025-01-01T00:00:00Z"), Some(1_735_689_600_000));
        for bad in ["2025-02-30", "2025-01-01T24:00:00Z", "2025-01-01T00:00:00", "yesterday", "2025-01-01T1:00:00Z"] {
            assert_eq!(parse_since(bad), None, "{bad}");
        }
        assert_eq!(rfc3339(1_735_689_599_999), "2024-12-31T23:59:59.999Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
