//! The ledger's correction routes (issue 11): read a contribution, list them for the review
//! queue, and append refunds, voids, chargebacks and review resolutions.
//!
//! - `GET /v1/contributions/{id}`: decision, state, amounts and events.
//! - `GET /v1/contributions?decision=&state=&since=&limit=&cursor=`: keyset pagination in
//!   (received, id) order; `next_cursor` is opaque.
//! - `POST /v1/contributions/{id}/refund|void|chargeback|resolve`: each with its own
//!   idempotency key (`Idempotency-Key` header or `idempotency_key` member). The same key with
//!   the same request replays the first response; with another request it is 409 `id_conflict`.
//!
//! The gate in [`super::http`] applies as on `POST /v1/contributions` (an API key, or loopback
//! only when the server has none). Responses carry no donor data: the ledger holds none.

use super::http::{error, AppState};
use super::ledger::events::{self, Action, EventJob, EventOutcome, Query};
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

type St = Arc<AppState>;

/// Largest correction body read.
const MAX_BODY: usize = 16 * 1024;
/// Longest idempotency key, reviewer and reason, in characters.
const MAX_KEY: usize = 255;
const MAX_REVIEWER: usize = 128;
const MAX_REASON: usize = 1000;
/// Default and largest page.
const PAGE: i64 = 50;
const MAX_PAGE: i64 = 100;

/// The routes, merged into [`super::http::router`].
pub fn routes() -> Router<St> {
    Router::new()
        .route("/v1/contributions", get(list))
        .route("/v1/contributions/{id}", get(show))
        .route("/v1/contributions/{id}/refund", post(refund))
        .route("/v1/contributions/{id}/void", post(void))
        .route("/v1/contributions/{id}/chargeback", post(chargeback))
        .route("/v1/contributions/{id}/resolve", post(resolve))
}

type IdPath = Result<Path<String>, axum::extract::rejection::PathRejection>;

async fn refund(st: State<St>, path: IdPath, headers: HeaderMap, body: Body) -> Response {
    correct(st, path, headers, body, Kind::Refund).await
}

async fn void(st: State<St>, path: IdPath, headers: HeaderMap, body: Body) -> Response {
    correct(st, path, headers, body, Kind::Void).await
}

async fn chargeback(st: State<St>, path: IdPath, headers: HeaderMap, body: Body) -> Response {
    correct(st, path, headers, body, Kind::Chargeback).await
}

async fn resolve(st: State<St>, path: IdPath, headers: HeaderMap, body: Body) -> Response {
    correct(st, path, headers, body, Kind::Resolve).await
}

fn json(status: StatusCode, body: String) -> Response {
    let mut resp = (status, body).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

fn invalid(message: &str, field: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "invalid_field", message, Some(field))
}

fn unavailable(e: &str) -> Response {
    tracing::error!(error = %e, "ledger unavailable");
    error(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "the ledger is unavailable; retry", None)
}

fn unknown() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "no contribution has this id", Some("id"))
}

/// The path's id, or an error object (a bad percent-encoding is 400, not axum's text).
#[allow(clippy::result_large_err)]
fn path_id(path: IdPath) -> Result<String, Response> {
    match path {
        Ok(Path(id)) if !id.trim().is_empty() => Ok(id),
        _ => Err(invalid("the id in the path is not valid", "id")),
    }
}

/// `GET /v1/contributions/{id}`.
async fn show(State(st): State<St>, path: IdPath) -> Response {
    let id = match path_id(path) {
        Ok(id) => id,
        Err(r) => return r,
    };
    match st.ledger.get(id).await {
        Ok(Some(view)) => json(StatusCode::OK, view.to_json()),
        Ok(None) => unknown(),
        Err(e) => unavailable(&e),
    }
}

/// `%XX` and `+` decoding of one query component; `None` when it is not UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The list's query string to a [`Query`].
#[allow(clippy::result_large_err)]
fn parse_query(raw: Option<&str>) -> Result<Query, Response> {
    let mut q = Query { after: (0, String::new()), decision: None, state: None, limit: PAGE };
    let mut since: Option<i64> = None;
    let mut cursor: Option<(i64, String)> = None;
    let mut seen: Vec<String> = Vec::new();
    for pair in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (Some(k), Some(v)) = (decode(k), decode(v)) else {
            return Err(invalid("the query string is not valid", "query"));
        };
        if seen.contains(&k) {
            return Err(invalid("a query parameter is repeated", "query"));
        }
        match k.as_str() {
            "decision" => {
                if !["accept", "review", "reject"].contains(&v.as_str()) {
                    return Err(invalid("decision is one of accept, review, reject", "decision"));
                }
                q.decision = Some(v);
            }
            "state" => {
                if !events::STATES.contains(&v.as_str()) {
                    return Err(invalid(&format!("state is one of {}", events::STATES.join(", ")), "state"));
                }
                q.state = Some(v);
            }
            "limit" => match v.parse::<i64>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) && v.bytes().all(|b| b.is_ascii_digit()) => q.limit = n,
                _ => return Err(invalid(&format!("limit is a whole number from 1 to {MAX_PAGE}"), "limit")),
            },
            "since" => match events::parse_since(&v) {
                Some(ms) => since = Some(ms),
                None => return Err(invalid("since is YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)", "since")),
            },
            "cursor" => match events::parse_cursor(&v) {
                Some(c) => cursor = Some(c),
                None => return Err(invalid("cursor is not one this server gave", "cursor")),
            },
            _ => return Err(invalid("unknown query parameter", "query")),
        }
        seen.push(k);
    }
    // The later of the cursor and `since` (a cursor past `since` keeps paging).
    let from_since = since.map(|ms| (ms, String::new()));
    q.after = match (cursor, from_since) {
        (Some(c), Some(s)) => c.max(s),
        (Some(c), None) => c,
        (None, Some(s)) => s,
        (None, None) => (i64::MIN, String::new()),
    };
    Ok(q)
}

/// `GET /v1/contributions`: `{"items": [...], "next_cursor"}`.
async fn list(State(st): State<St>, RawQuery(raw): RawQuery) -> Response {
    let q = match parse_query(raw.as_deref()) {
        Ok(q) => q,
        Err(r) => return r,
    };
    match st.ledger.list(q).await {
        Ok(page) => json(StatusCode::OK, events::page_json(&page)),
        Err(e) => unavailable(&e),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Refund,
    Void,
    Chargeback,
    Resolve,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Refund => "refund",
            Kind::Void => "void",
            Kind::Chargeback => "chargeback",
            Kind::Resolve => "resolve",
        }
    }

    /// The body members the route takes.
    fn members(self) -> &'static [&'static str] {
        match self {
            Kind::Refund | Kind::Chargeback => &["idempotency_key", "amount", "reason"],
            Kind::Void => &["idempotency_key", "reason"],
            Kind::Resolve => &["idempotency_key", "outcome", "reviewer", "reason"],
        }
    }
}

/// A correction body to an [`EventJob`] (the digest and the time are filled by the caller).
#[allow(clippy::result_large_err)]
fn parse_correction(kind: Kind, id: String, headers: &HeaderMap, body: &[u8]) -> Result<EventJob, Response> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
        error(StatusCode::BAD_REQUEST, "invalid_json", "the body is not JSON (send {} for no members)", None)
    })?;
    let obj = value.as_object().ok_or_else(|| invalid("the body is a JSON object", "body"))?;
    let text = |name: &'static str| -> Result<Option<String>, Response> {
        match obj.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => {
                let s = s.trim();
                Ok((!s.is_empty()).then(|| s.to_owned()))
            }
            Some(_) => Err(invalid("a string is expected", name)),
        }
    };
    if let Some(other) = obj.keys().find(|k| !kind.members().contains(&k.as_str())) {
        return Err(invalid(&format!("{} takes only {}", kind.name(), kind.members().join(", ")), other));
    }
    let key_member = text("idempotency_key")?;
    let key_header = headers
        .get("idempotency-key")
        .map(|v| v.to_str().map(|s| s.trim().to_owned()))
        .transpose()
        .map_err(|_| invalid("the Idempotency-Key header is not text", "idempotency_key"))?
        .filter(|s| !s.is_empty());
    let key = match (key_member, key_header) {
        (Some(a), Some(b)) if a != b => {
            return Err(invalid("the Idempotency-Key header and idempotency_key differ", "idempotency_key"))
        }
        (Some(k), _) | (None, Some(k)) => k,
        (None, None) => {
            return Err(invalid(
                "send an Idempotency-Key header or idempotency_key: one per correction",
                "idempotency_key",
            ))
        }
    };
    if key.chars().count() > MAX_KEY || key.chars().any(char::is_control) {
        return Err(invalid(
            &format!("the idempotency key is at most {MAX_KEY} printable characters"),
            "idempotency_key",
        ));
    }
    let reason = text("reason")?;
    if reason.as_ref().is_some_and(|r| r.chars().count() > MAX_REASON) {
        return Err(invalid(&format!("reason is at most {MAX_REASON} characters"), "reason"));
    }
    let amount = match text("amount")? {
        None => None,
        Some(a) => match crate::money::parse(&a).map(|v| v.mantissa()) {
            Some(c) if c > 0 => Some(i64::try_from(c).map_err(|_| invalid("the amount is too large", "amount"))?),
            _ => return Err(invalid("amount is a positive dollar amount such as 25.00", "amount")),
        },
    };
    let mut reviewer = None;
    let action = match kind {
        Kind::Refund => Action::Refund { amount },
        Kind::Chargeback => Action::Chargeback { amount },
        Kind::Void => Action::Void,
        Kind::Resolve => {
            let accept = match text("outcome")?.as_deref() {
                Some("accept") => true,
                Some("reject") => false,
                _ => return Err(invalid("outcome is accept or reject", "outcome")),
            };
            let who = text("reviewer")?.ok_or_else(|| invalid("name the reviewer (a staff identifier)", "reviewer"))?;
            if who.chars().count() > MAX_REVIEWER {
                return Err(invalid(&format!("reviewer is at most {MAX_REVIEWER} characters"), "reviewer"));
            }
            if reason.is_none() {
                return Err(invalid("give the reason for the resolution", "reason"));
            }
            reviewer = Some(who);
            Action::Resolve { accept }
        }
    };
    Ok(EventJob {
        contribution_id: id,
        action,
        idempotency_key: key,
        digest: String::new(),
        reviewer,
        reason,
        at_ms: 0,
    })
}

/// `POST /v1/contributions/{id}/{refund,void,chargeback,resolve}`.
async fn correct(State(st): State<St>, path: IdPath, headers: HeaderMap, body: Body, kind: Kind) -> Response {
    let id = match path_id(path) {
        Ok(id) => id,
        Err(r) => return r,
    };
    {
        let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let ct = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if ct != "application/json" && !ct.ends_with("+json") {
            return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send application/json", None);
        }
    }
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return error(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "the body is over 16 KiB", None),
    };
    let mut job = match parse_correction(kind, id, &headers, &bytes) {
        Ok(j) => j,
        Err(r) => return r,
    };
    job.digest = st.ledger.hasher().hmac_parts(
        "correction",
        &[kind.name().as_bytes(), job.contribution_id.as_bytes(), job.idempotency_key.as_bytes(), &bytes],
    );
    job.at_ms = super::ledger::now().0;
    match st.ledger.event(job).await {
        Ok(EventOutcome::Done { body }) => json(StatusCode::OK, body),
        Ok(EventOutcome::Replay { body }) => {
            let mut resp = json(StatusCode::OK, body);
            resp.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            resp
        }
        Ok(EventOutcome::Conflict) => error(
            StatusCode::CONFLICT,
            "id_conflict",
            "this idempotency key was already used for a different correction",
            Some("idempotency_key"),
        ),
        Ok(EventOutcome::NotFound) => unknown(),
        Ok(EventOutcome::Refused { code, message }) => error(StatusCode::CONFLICT, code, &message, None),
        Err(e) => unavailable(&e),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn list_queries() {
        let q = parse_query(Some("decision=review&state=review&limit=10&since=2026-01-01")).unwrap();
        assert_eq!((q.decision.as_deref(), q.state.as_deref(), q.limit), (Some("review"), Some("review"), 10));
        assert_eq!(q.after, (1_767_225_600_000, String::new()));
        let c = events::cursor(1_800_000_000_000, "a b");
        let q = parse_query(Some(&format!("cursor={c}&since=2026-01-01T00%3A00%3A00Z"))).unwrap();
        assert_eq!(q.after, (1_800_000_000_000, "a b".to_owned()));
        assert_eq!(parse_query(None).unwrap().limit, PAGE);
        for bad in [
            "limit=0",
            "limit=101",
            "limit=+5",
            "state=gone",
            "decision=x",
            "cursor=zz",
            "x=1",
            "limit=1&limit=2",
            "since=%ff",
        ] {
            assert_eq!(parse_query(Some(bad)).unwrap_err().status(), StatusCode::BAD_REQUEST, "{bad}");
        }
    }

    #[test]
    fn correction_bodies() {
        let h = HeaderMap::new();
        let j = parse_correction(Kind::Refund, "c".into(), &h, br#"{"idempotency_key":"k1","amount":"12.5"}"#).unwrap();
        assert_eq!(j.action, Action::Refund { amount: Some(1250) });
        let mut keyed = HeaderMap::new();
        keyed.insert("idempotency-key", HeaderValue::from_static("k2"));
        let j = parse_correction(Kind::Void, "c".into(), &keyed, b"{}").unwrap();
        assert_eq!((j.action, j.idempotency_key.as_str()), (Action::Void, "k2"));
        let j = parse_correction(
            Kind::Resolve,
            "c".into(),
            &keyed,
            br#"{"outcome":"reject","reviewer":"staff-17","reason":"no proof of residence"}"#,
        )
        .unwrap();
        assert_eq!((j.action, j.reviewer.as_deref()), (Action::Resolve { accept: false }, Some("staff-17")));
        for (kind, body, headers) in [
            (Kind::Refund, &br#"{"amount":"5"}"#[..], &h),
            (Kind::Refund, br#"{"idempotency_key":"k","amount":"0"}"#, &h),
            (Kind::Refund, br#"{"idempotency_key":"k","amount":"1.234"}"#, &h),
            (Kind::Void, br#"{"idempotency_key":"k","amount":"5"}"#, &h),
            (Kind::Void, br#"{"idempotency_key":"other"}"#, &keyed),
            (Kind::Resolve, br#"{"outcome":"accept","reason":"ok"}"#, &keyed),
            (Kind::Resolve, br#"{"outcome":"maybe","reviewer":"a","reason":"ok"}"#, &keyed),
            (Kind::Resolve, br#"{"outcome":"accept","reviewer":"a"}"#, &keyed),
            (Kind::Void, b"[]", &keyed),
            (Kind::Void, b"", &keyed),
            (Kind::Void, br#"{"idempotency_key":7}"#, &h),
        ] {
            assert!(parse_correction(kind, "c".into(), headers, body).is_err(), "{}", String::from_utf8_lossy(body));
        }
    }
}
