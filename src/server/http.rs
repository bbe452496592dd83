//! Routes, authentication, limits and error objects.
//!
//! Every error is CONTRACT.md's error object, `{"error":{"code","message","field"?}}`. The
//! submission errors keep their contract codes and statuses: `invalid_json` and
//! `invalid_field` are 400, `too_large` (over 65,536 bytes or nested deeper than 16) is 413.
//! HTTP-level errors add codes of their own: `unauthorized` 401, `forbidden` 403, `not_found`
//! 404, `method_not_allowed` 405, `timeout` 408/503, `id_conflict` 409,
//! `unsupported_media_type` 415, `internal` 500, `unavailable` 503. Every response carries
//! `x-request-id` (the caller's, or a new one).

use super::ledger::{Job, Ledger, Outcome};
use super::metrics::{Metrics, Route};
use super::Config;
use crate::error::{ErrorCode, InputError};
use crate::json::MAX_BYTES;
use crate::model::{Blankable, ClientVerdict, Decision, Signals, Submission, Wire as _};
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Extension, Router};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};

/// The committed OpenAPI document, served as is at `/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// The widget's hidden field, passed through by the processor as a header.
pub const RESPONSE_HEADER: &str = "donation-guard-response";

/// The Content-Security-Policy of the static pages: the engine is WebAssembly, which needs
/// `'wasm-unsafe-eval'`.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Shared by every request.
#[derive(Debug)]
pub struct AppState {
    pub cfg: Config,
    pub ledger: Ledger,
    pub metrics: Metrics,
    /// Whether the ledger's last write worked, for `/healthz`.
    pub writes: super::edge::WriteHealth,
}

impl AppState {
    pub fn new(cfg: Config, ledger: Ledger) -> AppState {
        AppState { cfg, ledger, metrics: Metrics::default(), writes: super::edge::WriteHealth::default() }
    }
}

type St = Arc<AppState>;

/// Who is calling, as the gate found it.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    /// Sent a configured API key (a server, not a browser).
    pub authenticated: bool,
}

/// The error code a response carries, for the metrics.
#[derive(Debug, Clone, Copy)]
struct ErrCode(&'static str);

/// The service.
pub fn router(state: St) -> Router {
    let files = tower_http::services::ServeDir::new(&state.cfg.www)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip();
    let root = std::fs::canonicalize(&state.cfg.www).unwrap_or_else(|_| state.cfg.www.clone());
    let statics = Arc::new(super::edge::StaticState { root, etags: super::edge::Etags::default() });
    let files = tower::ServiceBuilder::new()
        .layer(
            tower_http::compression::CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(tower_http::CompressionLevel::Default)
                .compress_when(compressible),
        )
        .layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(axum::middleware::from_fn_with_state(statics, super::edge::static_files))
        .service(files);
    Router::new()
        .route("/", get(|| async { axum::response::Redirect::temporary("/demo/") }))
        .route("/v1/check", post(check))
        .route("/v1/contributions", post(contributions))
        .route("/v1/forms/check", post(super::forms::check))
        .route("/v1/forms/contributions", post(super::forms::contributions))
        .route("/v1/rulesets/{id}", get(ruleset))
        .merge(super::lifecycle::routes())
        .route("/v1/{*rest}", any(not_found))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .fallback_service(files)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&state), observe))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeId::new()))
        .with_state(state)
}

/// Compress a static file: a 200 of a type worth it, over 256 bytes.
fn compressible(status: StatusCode, _: axum::http::Version, headers: &HeaderMap, _: &axum::http::Extensions) -> bool {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let size = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    status == StatusCode::OK
        && size.map_or(true, |n| n > 256)
        && (ct.starts_with("text/")
            || ct.starts_with("application/javascript")
            || ct.starts_with("application/json")
            || ct.starts_with("application/wasm")
            || ct.starts_with("image/svg+xml"))
}

/// Request ids: a random per-process prefix and a counter (unique, and cheap).
#[derive(Debug, Clone)]
struct MakeId {
    prefix: u64,
    next: Arc<AtomicU64>,
}

impl MakeId {
    fn new() -> MakeId {
        let mut b = [0u8; 8];
        let _ = getrandom::fill(&mut b);
        MakeId { prefix: u64::from_le_bytes(b), next: Arc::new(AtomicU64::new(1)) }
    }
}

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:016x}-{n:x}", self.prefix)).ok().map(RequestId::new)
    }
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(v6.is_loopback(), |v4| v4.is_loopback()),
    }
}

/// Constant-time comparison of two byte strings.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The gate, timeout, error bodies, metrics and the access log, around every request.
async fn observe(State(st): State<St>, mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = Route::of(req.uri().path());
    let method = req.method().clone();
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let peer = req.extensions().get::<ConnectInfo<super::Peer>>().map(|c| c.0 .0.ip());
    let path = req.uri().path().to_owned();
    let origin_headers = cors_request_headers(req.headers());
    let refused = super::edge::host_refusal(&st.cfg.edge, req.headers())
        .or_else(|| super::edge::preflight(&st.cfg.edge, &method, &path, req.headers()));
    let gated = match refused {
        Some(resp) => Err(resp),
        None => gate_at(&st.cfg, peer, req.headers(), route, &path),
    };
    let response = match gated {
        Err(resp) => resp,
        Ok(caller) => {
            req.extensions_mut().insert(caller);
            match tokio::time::timeout(st.cfg.timeout, next.run(req)).await {
                Ok(resp) => resp,
                Err(_) => {
                    error(StatusCode::SERVICE_UNAVAILABLE, "timeout", "the request took too long; retry it", None)
                }
            }
        }
    };
    let mut response = fill_error_body(response);
    super::edge::add_cors(&st.cfg.edge, &path, &origin_headers, &mut response);
    let status = response.status();
    if let Some(ErrCode(code)) = response.extensions().get::<ErrCode>() {
        st.metrics.error(route, code);
    }
    let elapsed = start.elapsed();
    st.metrics.request(route, status.as_u16(), elapsed);
    let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
    // The access log: never a body, a path parameter or a header value but the request id.
    if status.is_server_error() {
        tracing::warn!(request_id, %method, route = route.label(), status = status.as_u16(), micros, "request failed");
    } else {
        tracing::info!(request_id, %method, route = route.label(), status = status.as_u16(), micros, "request");
    }
    response
}

/// The request's Origin, kept for the response's CORS headers.
fn cors_request_headers(headers: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::new();
    if let Some(o) = headers.get(header::ORIGIN) {
        kept.insert(header::ORIGIN, o.clone());
    }
    kept
}

/// For a keyless (loopback) server: the Host is a loopback name (no DNS rebinding) unless
/// `--allowed-host` names the accepted ones (checked before), and an Origin, when sent, is this
/// server's own or an `--allow-origin` (no cross-site requests from a page elsewhere).
fn same_site(cfg: &Config, headers: &HeaderMap, client: &super::edge::Client, path: &str) -> bool {
    let host = super::edge::host(headers).unwrap_or_default();
    let name = super::edge::host_name(&host);
    let loopback_name = matches!(name, "localhost" | "[::1]") || name.starts_with("127.");
    let host_ok = loopback_name || !cfg.edge.allowed_hosts.is_empty();
    host_ok && super::edge::origin_ok(&cfg.edge, headers, client, super::edge::is_widget_file(path))
}

/// [`gate_at`] for a path that is not a widget file.
#[cfg(test)]
#[allow(clippy::result_large_err)]
fn gate(cfg: &Config, peer: Option<IpAddr>, headers: &HeaderMap, route: Route) -> Result<Caller, Response> {
    gate_at(cfg, peer, headers, route, "")
}

/// No keys configured: loopback clients only (the TCP peer, or the client a trusted proxy
/// names). Keys configured: the API routes need one.
#[allow(clippy::result_large_err)]
fn gate_at(
    cfg: &Config,
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    route: Route,
    path: &str,
) -> Result<Caller, Response> {
    if cfg.api_keys.is_empty() {
        let client = super::edge::client(&cfg.edge, peer, headers);
        // A forwarding header from an untrusted peer means a proxy stands between: the client
        // is not loopback.
        return if client.ip.is_some_and(is_loopback)
            && !client.untrusted_forwarding
            && same_site(cfg, headers, &client, path)
        {
            Ok(Caller { authenticated: false })
        } else {
            Err(error(
                StatusCode::FORBIDDEN,
                "forbidden",
                "no API key is configured on this server, so it serves loopback clients only",
                None,
            ))
        };
    }
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    let authenticated = presented.is_some_and(|k| cfg.api_keys.iter().any(|key| same(key.as_bytes(), k.as_bytes())));
    let open = matches!(route, Route::Healthz | Route::Openapi | Route::Static);
    if authenticated || open {
        return Ok(Caller { authenticated });
    }
    let mut resp = error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        if presented.is_some() { "the API key is not valid" } else { "send Authorization: Bearer <API key>" },
        None,
    );
    resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    Err(resp)
}

/// Gives an error object to error responses that have no body of their own (the router's 404
/// and 405, the static files' errors).
fn fill_error_body(resp: Response) -> Response {
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) || resp.headers().contains_key(header::CONTENT_TYPE) {
        return resp;
    }
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", "no such resource"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "this method is not allowed here"),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long"),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "the request is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "send application/json"),
        s if s.is_server_error() => ("internal", "the server failed; retry later"),
        _ => ("bad_request", "the request is not valid"),
    };
    let (mut parts, _) = resp.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let fresh = error(status, code, message, None);
    let (fresh_parts, body) = fresh.into_parts();
    for (name, value) in &fresh_parts.headers {
        parts.headers.insert(name.clone(), value.clone());
    }
    parts.extensions.extend(fresh_parts.extensions);
    Response::from_parts(parts, body)
}

fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    // The panic's message may hold request data: it is not logged.
    tracing::error!("a handler panicked");
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the server failed; retry later", None)
}

/// A JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    crate::canonical::write_json_string(&mut out, s);
    out
}

/// Appends members (already JSON values) at the end of a JSON object's text.
pub fn append_members(mut object: String, members: &[(&str, &str)]) -> String {
    if object.ends_with('}') {
        object.pop();
        for (name, value) in members {
            if !object.ends_with('{') {
                object.push(',');
            }
            object.push_str(&json_string(name));
            object.push(':');
            object.push_str(value);
        }
        object.push('}');
    }
    object
}

fn json(status: StatusCode, body: String) -> Response {
    let mut resp = (status, body).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

/// An error object response.
pub fn error(status: StatusCode, code: &'static str, message: &str, field: Option<&str>) -> Response {
    let mut body = String::with_capacity(64 + message.len());
    body.push_str("{\"error\":{\"code\":");
    body.push_str(&json_string(code));
    body.push_str(",\"message\":");
    body.push_str(&json_string(message));
    if let Some(field) = field {
        body.push_str(",\"field\":");
        body.push_str(&json_string(field));
    }
    body.push_str("}}");
    let mut resp = json(status, body);
    resp.extensions_mut().insert(ErrCode(code));
    resp
}

/// A submission error: 400, or 413 for too_large.
fn input_error(e: &InputError) -> Response {
    let status = match e.code {
        ErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::InvalidJson | ErrorCode::InvalidField => StatusCode::BAD_REQUEST,
    };
    let mut resp = json(status, e.to_json(None));
    resp.extensions_mut().insert(ErrCode(e.code.as_str()));
    resp
}

/// A submission as the handlers use it, with the request's context applied.
struct Incoming {
    sub: Submission,
    client_unavailable: bool,
    /// The widget's reason for `unavailable`, as the ledger stores it (`unavailable:csp`).
    client_reason: Option<&'static str>,
    /// `--require-widget` and neither the widget's header nor a client_verdict came.
    client_missing: bool,
    /// Keyed digest of everything the verdict depends on: the body's bytes, the widget
    /// header, the trusted IP-country header and whether body signals count.
    request_digest: String,
}

impl Incoming {
    /// What the widget said, for `/metrics` ([`super::metrics::CLIENT_KINDS`]).
    fn client_kind(&self, mismatch: bool) -> &'static str {
        client_kind_of(self.sub.client_verdict.is_some(), self.client_unavailable, self.client_reason, mismatch)
    }
}

fn client_kind_of(verdict: bool, unavailable: bool, reason: Option<&'static str>, mismatch: bool) -> &'static str {
    match (verdict, unavailable) {
        (_, true) => reason.unwrap_or("unavailable"),
        (true, false) if mismatch => "mismatch",
        (true, false) => "agree",
        (false, false) => "missing",
    }
}

/// [`Incoming::request_digest`]: any byte of difference gives another digest (409 on a retry).
fn request_digest(st: &AppState, caller: Caller, headers: &HeaderMap, body: &[u8]) -> String {
    let widget = header_text(headers, &HeaderName::from_static(RESPONSE_HEADER)).unwrap_or_default();
    let ip = st.cfg.trusted_ip_header.as_ref().and_then(|n| header_text(headers, n)).unwrap_or_default();
    let trusted: &[u8] = if caller.authenticated || st.cfg.trust_body_signals { b"1" } else { b"0" };
    format!("r:{}", st.ledger.hasher().hmac_parts("request", &[body, widget.as_bytes(), ip.as_bytes(), trusted]))
}

/// Reads and parses the body, then applies the request's context: the trusted IP-country
/// header, the widget's response header, and who may set `signals`.
#[allow(clippy::result_large_err)]
async fn read_submission(st: &AppState, caller: Caller, headers: &HeaderMap, body: Body) -> Result<Incoming, Response> {
    // Required: a cross-site form or no-cors fetch cannot send application/json.
    {
        let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let ct = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if ct != "application/json" && !ct.ends_with("+json") {
            return Err(error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the submission as application/json",
                None,
            ));
        }
    }
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let too_large =
        || input_error(&InputError::new(ErrorCode::TooLarge, format!("the body is over {MAX_BYTES} bytes"), None));
    if declared.is_some_and(|n| n > MAX_BYTES as u64) {
        return Err(too_large());
    }
    let bytes = match tokio::time::timeout(st.cfg.timeout, axum::body::to_bytes(body, MAX_BYTES)).await {
        Err(_) => return Err(error(StatusCode::REQUEST_TIMEOUT, "timeout", "the body took too long to arrive", None)),
        Ok(Err(e)) => {
            let over = std::error::Error::source(&e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
                || e.to_string().contains("length limit");
            return Err(if over {
                too_large()
            } else {
                error(StatusCode::BAD_REQUEST, "invalid_json", "the body could not be read", None)
            });
        }
        Ok(Ok(b)) => b,
    };
    let mut sub = crate::parse(&bytes).map_err(|e| input_error(&e))?;
    let request_digest = request_digest(st, caller, headers, &bytes);
    if !(caller.authenticated || st.cfg.trust_body_signals) {
        // A browser does not get to say where it is, nor where its card or bank is: those are
        // the processor's facts, like `signals`, taken only from key holders.
        sub.signals = None;
        if let Some(c) = sub.contribution.as_mut() {
            if let Some(card) = c.card.as_mut() {
                card.country = None;
            }
            c.bank_country = None;
        }
    }
    if let Some(name) = &st.cfg.trusted_ip_header {
        if let Some(country) = header_text(headers, name) {
            if country.len() <= 64 {
                sub.signals = Some(Signals { ip_country: Some(country.to_owned()) });
            }
        }
    }
    let mut client_unavailable = false;
    let mut client_reason = None;
    let widget_header = header_text(headers, &HeaderName::from_static(RESPONSE_HEADER));
    if let Some(text) = widget_header {
        client_reason = unavailable_reason(text);
        match client_header(text) {
            Err(msg) => return Err(error(StatusCode::BAD_REQUEST, "invalid_field", msg, Some("client_verdict"))),
            // The header, when given, replaces a client_verdict in the body.
            Ok(cv) => match cv {
                Some(cv) => sub.client_verdict = Some(cv),
                None => {
                    sub.client_verdict = None;
                    client_unavailable = true;
                }
            },
        }
    }
    let client_missing = st.cfg.edge.require_widget && widget_header.is_none() && sub.client_verdict.is_none();
    Ok(Incoming { sub, client_unavailable, client_reason, client_missing, request_digest })
}

fn header_text<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty())
}

/// The widget's response: `{"decision":"accept"|"review"|"reject","submission_digest",
/// "ruleset_digest"}` becomes `client_verdict`; `{"decision":"unavailable",...}` means the
/// browser could not check (None: nothing to compare). Other members are ignored.
fn client_header(text: &str) -> Result<Option<ClientVerdict>, &'static str> {
    const BAD: &str = "the Donation-Guard-Response header is not the widget's response";
    if text.len() > 2048 {
        return Err(BAD);
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| BAD)?;
    let obj = value.as_object().ok_or(BAD)?;
    let string = |name: &str| -> Result<Option<String>, &'static str> {
        match obj.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(BAD),
        }
    };
    let decision = string("decision")?.ok_or(BAD)?;
    if decision == "unavailable" {
        return Ok(None);
    }
    let decision = Decision::from_wire(&decision).ok_or(BAD)?;
    Ok(Some(ClientVerdict {
        decision: Some(Blankable::Value(decision)),
        submission_digest: string("submission_digest")?,
        ruleset_digest: string("ruleset_digest")?,
    }))
}

/// The reason of an `unavailable` widget response, from the widget's fixed set (anything else
/// is `other`), as stored in the ledger's client_verdict column.
fn unavailable_reason(text: &str) -> Option<&'static str> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    if value.get("decision")?.as_str()? != "unavailable" {
        return None;
    }
    let reason = value.get("reason")?.as_str()?;
    Some(match reason {
        "load_failed" => "unavailable:load_failed",
        "csp" => "unavailable:csp",
        "timeout" => "unavailable:timeout",
        "unsupported" => "unavailable:unsupported",
        "engine_error" => "unavailable:engine_error",
        "invalid_submission" => "unavailable:invalid_submission",
        "unmapped" => "unavailable:unmapped",
        _ => "unavailable:other",
    })
}

/// `--require-widget`: the verdict of a submission that came without the widget's response
/// gets `client_verdict_missing` (review).
pub fn widget_missing<'r>(
    mut verdict: crate::Verdict<'r>,
    sub: &Submission,
    rs: &'r crate::ruleset::Ruleset,
) -> crate::Verdict<'r> {
    let mut extra = crate::rules::Findings::in_language(rs, crate::normalize::form(sub).language);
    extra.add(crate::findings::Code::ClientVerdictMissing, "client_verdict");
    verdict.findings.extend(extra.into_vec());
    crate::findings::sort(&mut verdict.findings);
    verdict.decision = crate::findings::decide(&verdict.findings);
    verdict
}

/// A UUIDv7: the time in milliseconds, then 74 bits from a per-process random seed mixed with
/// a counter (splitmix64), so ids are unique and time-ordered without a syscall per request.
fn decision_id() -> String {
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let seed = *SEED.get_or_init(|| {
        let mut b = [0u8; 8];
        let _ = getrandom::fill(&mut b);
        u64::from_le_bytes(b)
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let a = mix(seed.wrapping_add(n.wrapping_mul(0x9e37_79b9_7f4a_7c15)));
    let b = mix(a ^ seed.rotate_left(17));
    let mut random = [0u8; 10];
    for (d, s) in random.iter_mut().zip(a.to_le_bytes().into_iter().chain(b.to_le_bytes())) {
        *d = s;
    }
    let ms = u64::try_from(super::ledger::now().0).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(ms, &random).into_uuid().to_string()
}

/// 400 invalid_field when the gift's date or ruleset would open a period of its own in the
/// ledger, which scopes totals by ruleset id and by the limit's period (election, calendar year,
/// cycle). Without these, one person could give the limit again by dating the gift last year or
/// naming last cycle's ruleset.
/// - A date after tomorrow (UTC) is refused: a gift is made when it is received (11 CFR
///   110.1(b)(6)).
/// - A caller without an API key (a browser) dates its gift today: a date more than a day from
///   the server's (time zones) is refused. A processor, holding a key, may record an earlier
///   receipt date.
/// - A ruleset the body names must cover the gift's date (the given date, else today), unless
///   it is the one the date implies anyway.
fn date_refusal(
    caller: Caller,
    sub: &crate::model::Submission,
    rs: &crate::ruleset::Ruleset,
    now_ms: i64,
) -> Option<Response> {
    const DAY_MS: i64 = 86_400_000;
    let refuse =
        |message: &str, field: &str| Some(error(StatusCode::BAD_REQUEST, "invalid_field", message, Some(field)));
    let (yesterday, today, tomorrow) = (
        super::ledger::date_of(now_ms - DAY_MS),
        super::ledger::date_of(now_ms),
        super::ledger::date_of(now_ms + DAY_MS),
    );
    let given = sub.contribution.as_ref().and_then(|c| c.date.as_deref()).map(str::trim).filter(|d| !d.is_empty());
    if let Some(d) = given {
        // ruleset_for has checked the form (YYYY-MM-DD), so text order is date order.
        if d > tomorrow.as_str() {
            return refuse(
                &format!("{d} is in the future (today is {today} UTC): a gift is dated when it is received"),
                "contribution.date",
            );
        }
        if !caller.authenticated && d < yesterday.as_str() {
            return refuse(
                &format!(
                    "a gift recorded without an API key is dated the day it is received ({today} UTC); only a processor's key may record an earlier date"
                ),
                "contribution.date",
            );
        }
    }
    let date = given.unwrap_or(today.as_str());
    // The ruleset the date implies (the default with no date) is never refused, so a server
    // keeps taking gifts past the last cycle it ships, under the latest law it has.
    let implied = crate::ruleset::for_date(given).is_some_and(|r| r.id() == rs.id());
    if !implied && rs.has_cycle() && !rs.covers_date(date) {
        let field = if sub.ruleset.as_deref().map(str::trim).is_some_and(|r| !r.is_empty()) {
            "ruleset"
        } else {
            "contribution.date"
        };
        return refuse(
            &format!(
                "ruleset {} does not cover {date}: the ledger counts each gift under the ruleset of its date",
                rs.id()
            ),
            field,
        );
    }
    None
}

/// 400 invalid_field when the body names a recipient type or election this server's committee
/// does not have (`--committee-type`, `--elections`).
fn committee_refusal(st: &AppState, sub: &crate::model::Submission) -> Option<Response> {
    use crate::model::Wire as _;
    let committee = st.cfg.committee.as_ref()?;
    let form = crate::normalize::form(sub);
    let kind = form.recipient_type?;
    if kind != committee.kind {
        return Some(error(
            StatusCode::BAD_REQUEST,
            "invalid_field",
            &format!("this server keeps the ledger of a {} committee", committee.kind.wire()),
            Some("recipient.type"),
        ));
    }
    match form.election {
        Some(e) if !committee.elections.is_empty() && !committee.elections.contains(&e) => Some(error(
            StatusCode::BAD_REQUEST,
            "invalid_field",
            &format!(
                "this committee holds no {} election (it holds: {})",
                e.wire(),
                committee.elections.iter().map(|x| x.wire()).collect::<Vec<_>>().join(", ")
            ),
            Some("recipient.election"),
        )),
        _ => None,
    }
}

/// `POST /v1/check`: the verdict, with `decision_id` appended. Records nothing.
pub(super) async fn check(
    State(st): State<St>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let incoming = match read_submission(&st, caller, &headers, body).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Some(r) = committee_refusal(&st, &incoming.sub) {
        return r;
    }
    let rs = match crate::ruleset_for(&incoming.sub) {
        Ok(rs) => rs,
        Err(e) => return input_error(&e),
    };
    let verdict = crate::check(&incoming.sub, rs);
    let verdict = match &st.cfg.sanctions {
        Some(s) => s.list.amend(verdict, &incoming.sub, &s.thresholds),
        None => verdict,
    };
    let verdict = if incoming.client_missing { widget_missing(verdict, &incoming.sub, rs) } else { verdict };
    st.metrics.verdict(Route::Check, verdict.decision, verdict.findings.iter().map(|f| f.code));
    st.metrics.client(Route::Check, incoming.client_kind(verdict.has(crate::findings::Code::ClientVerdictMismatch)));
    let body = append_members(verdict.to_json(), &[("decision_id", &json_string(&decision_id()))]);
    json(StatusCode::OK, body)
}

/// `POST /v1/contributions`: checks with the ledger's history and records when not reject.
pub(super) async fn contributions(
    State(st): State<St>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Incoming { mut sub, client_unavailable, client_reason, client_missing, request_digest } =
        match read_submission(&st, caller, &headers, body).await {
            Ok(s) => s,
            Err(r) => return r,
        };
    let had_verdict = sub.client_verdict.is_some();
    let client_kind = |mismatch| client_kind_of(had_verdict, client_unavailable, client_reason, mismatch);
    let id = match sub.id.as_deref() {
        Some(id) if !id.trim().is_empty() => id.to_owned(),
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_field",
                "id is required here: it is the contribution's idempotency key",
                Some("id"),
            )
        }
    };
    if let Some(r) = committee_refusal(&st, &sub) {
        return r;
    }
    let rs = match crate::ruleset_for(&sub) {
        Ok(rs) => rs,
        Err(e) => return input_error(&e),
    };
    let (received_ms, year) = super::ledger::now();
    if let Some(r) = date_refusal(caller, &sub, rs, received_ms) {
        return r;
    }
    // The ledger, not the caller, supplies the history.
    sub.history = None;
    let hasher = st.ledger.hasher();
    let email = hasher.email(sub.donor.as_ref().and_then(|d| d.email.as_deref()));
    let (legacy_digest, donor_key, (legacy_donor_keys, near_keys), passport, recipient_type, election, amount_cents) = {
        let form = crate::normalize::form(&sub);
        let recipient_type = form.recipient_type;
        (
            crate::canonical::submission_digest(&form, rs.id()),
            hasher.donor_key(&form),
            hasher.ledger_keys(&form, sub.donor.as_ref().and_then(|d| d.email.as_deref())),
            hasher.passport(&form),
            recipient_type.map(|t| t.wire()),
            form.election.filter(|_| recipient_type == Some(crate::model::RecipientType::Candidate)).map(|e| e.wire()),
            form.amount.as_deref().and_then(cents),
        )
    };
    let job = Job {
        sanctions: st.cfg.sanctions.clone(),
        screened: Vec::new(),
        sub,
        ruleset: rs,
        id,
        decision_id: decision_id(),
        digest: request_digest,
        legacy_digest,
        donor_key,
        legacy_donor_keys,
        near_keys,
        recipient_type,
        election,
        year,
        received_ms,
        amount_cents,
        passport,
        email,
        client_unavailable,
        client_reason,
        client_missing,
    };
    match st.ledger.record(job).await {
        Ok(Outcome::Fresh { body, decision, codes }) => {
            st.writes.ok();
            st.metrics.client(
                Route::Contributions,
                client_kind(codes.contains(&crate::findings::Code::ClientVerdictMismatch)),
            );
            st.metrics.verdict(Route::Contributions, decision, codes.into_iter());
            json(StatusCode::OK, body)
        }
        Ok(Outcome::Replay { body }) => {
            st.metrics.replay();
            let mut resp = json(StatusCode::OK, body);
            resp.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            resp
        }
        Ok(Outcome::Conflict) => error(
            StatusCode::CONFLICT,
            "id_conflict",
            "this id was already used for a different submission",
            Some("id"),
        ),
        Ok(Outcome::OtherCommittee { kind }) => error(
            StatusCode::BAD_REQUEST,
            "invalid_field",
            &format!(
                "this ledger keeps a {kind} committee's gifts (one ledger, one committee: its first recorded gift or --committee-type set it)"
            ),
            Some("recipient.type"),
        ),
        Err(e) => {
            st.writes.failed();
            tracing::error!(error = %e, "ledger unavailable");
            error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the ledger is unavailable; retry with the same id",
                None,
            )
        }
    }
}

/// A valid amount in cents: the amount syntax, positive.
fn cents(text: &str) -> Option<i64> {
    let value = crate::money::parse(text)?;
    let cents = value.mantissa();
    (cents > 0).then(|| i64::try_from(cents).ok()).flatten()
}

/// `GET /v1/rulesets/{id}`: the ruleset, as `donation-guard rules ID` prints it.
async fn ruleset(Path(id): Path<String>) -> Response {
    match crate::ruleset::get(&id) {
        Some(rs) => {
            let mut resp = json(StatusCode::OK, rs.to_json_pretty());
            resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
            resp
        }
        None => error(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("unknown ruleset; this server has: {}", crate::ruleset::ids().collect::<Vec<_>>().join(", ")),
            Some("id"),
        ),
    }
}

async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "no such resource", None)
}

/// `GET /healthz`: 200 when the ledger answers and can write, 503 otherwise.
async fn healthz(State(st): State<St>) -> Response {
    let ledger = st.ledger.kind();
    if let Some(problem) = st.writes.problem(st.cfg.edge.ledger_file.as_deref()) {
        tracing::warn!(problem, "ledger cannot write");
        return error(StatusCode::SERVICE_UNAVAILABLE, "unavailable", &problem, None);
    }
    match tokio::time::timeout(Duration::from_secs(5), st.ledger.health()).await {
        Ok(Ok(())) => json(
            StatusCode::OK,
            format!(
                "{{\"status\":\"ok\",\"engine\":{},\"ledger\":\"{ledger}\",\"ledger_write\":\"ok\",\"sanctions\":{}}}",
                json_string(crate::findings::ENGINE),
                st.cfg.sanctions.as_ref().map_or_else(
                    || "null".to_owned(),
                    |s| format!("{{\"digest\":{},\"entries\":{}}}", json_string(s.list.digest()), s.list.len())
                )
            ),
        ),
        _ => error(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "the ledger does not answer", None),
    }
}

/// `GET /metrics`: Prometheus text.
async fn metrics(State(st): State<St>) -> Response {
    let mut resp = st.metrics.render().into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    resp
}

/// `GET /openapi.json`: the committed document.
async fn openapi() -> Response {
    json(StatusCode::OK, OPENAPI.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widget_response_kinds_for_metrics() {
        assert_eq!(client_kind_of(true, false, None, false), "agree");
        assert_eq!(client_kind_of(true, false, None, true), "mismatch");
        assert_eq!(client_kind_of(false, false, None, false), "missing");
        assert_eq!(client_kind_of(false, true, None, false), "unavailable");
        assert_eq!(client_kind_of(false, true, Some("unavailable:csp"), false), "unavailable:csp");
        assert!(super::super::metrics::CLIENT_KINDS
            .contains(&unavailable_reason(r#"{"decision":"unavailable","reason":"unmapped"}"#).unwrap_or("")));
    }

    #[test]
    fn members_are_appended_at_the_end() {
        assert_eq!(append_members("{\"a\":1}".into(), &[("b", "\"x\"")]), "{\"a\":1,\"b\":\"x\"}");
        assert_eq!(append_members("{}".into(), &[("b", "true"), ("c", "1")]), "{\"b\":true,\"c\":1}");
    }

    #[test]
    fn the_widget_response_header() {
        let cv = client_header(r#"{"decision":"accept","submission_digest":"sha256:ab","ruleset_digest":"sha256:cd"}"#)
            .unwrap()
            .unwrap();
        assert_eq!(cv.decision, Some(Blankable::Value(Decision::Accept)));
        assert_eq!(cv.submission_digest.as_deref(), Some("sha256:ab"));
        assert_eq!(client_header(r#"{"decision":"unavailable","reason":"load_failed"}"#), Ok(None));
        for bad in ["", "x", "[]", r#"{"decision":"maybe"}"#, r#"{"decision":1}"#, r#"{"submission_digest":"x"}"#] {
            assert!(client_header(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn amounts_in_cents() {
        assert_eq!(cents("25"), Some(2500));
        assert_eq!(cents("25.5"), Some(2550));
        assert_eq!(cents("0.01"), Some(1));
        assert_eq!(cents("0"), None);
        assert_eq!(cents("1e3"), None);
        assert_eq!(cents("1000000000.00"), Some(100_000_000_000));
    }

    #[test]
    fn without_keys_only_loopback_clients_are_served() {
        let cfg = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            www: "www".into(),
            api_keys: vec![],
            trusted_ip_header: None,
            trust_body_signals: false,
            sanctions: None,
            timeout: Duration::from_secs(1),
            committee: None,
            edge: Default::default(),
        };
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(gate(&cfg, Some("127.0.0.1".parse().unwrap()), &h, Route::Check).is_ok());
        for (host, origin) in [("evil.example", None), ("127.0.0.1:8080", Some("https://evil.example")), ("", None)] {
            let mut bad = HeaderMap::new();
            bad.insert(header::HOST, HeaderValue::from_str(host).unwrap());
            if let Some(o) = origin {
                bad.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
            }
            assert!(gate(&cfg, Some("127.0.0.1".parse().unwrap()), &bad, Route::Check).is_err(), "{host} {origin:?}");
        }
        let mut own = h.clone();
        own.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(gate(&cfg, Some("127.0.0.1".parse().unwrap()), &own, Route::Check).is_ok());
        for name in ["[::1]:80", "localhost", "LOCALHOST:9"] {
            let mut ok = HeaderMap::new();
            ok.insert(header::HOST, HeaderValue::from_str(name).unwrap());
            assert!(gate(&cfg, Some("::1".parse().unwrap()), &ok, Route::Check).is_ok(), "{name}");
        }
        assert!(gate(&cfg, Some("::1".parse().unwrap()), &h, Route::Static).is_ok());
        let far = gate(&cfg, Some("192.0.2.7".parse().unwrap()), &h, Route::Healthz).unwrap_err();
        assert_eq!(far.status(), StatusCode::FORBIDDEN);
        assert_eq!(gate(&cfg, None, &h, Route::Check).unwrap_err().status(), StatusCode::FORBIDDEN);
        let keyed = Config { api_keys: vec!["k".repeat(20)], ..cfg };
        let far: Option<IpAddr> = Some("192.0.2.7".parse().unwrap());
        assert_eq!(gate(&keyed, far, &h, Route::Check).unwrap_err().status(), StatusCode::UNAUTHORIZED);
        assert!(gate(&keyed, far, &h, Route::Healthz).is_ok_and(|c| !c.authenticated));
        let mut auth = HeaderMap::new();
        auth.insert(header::AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {}", "k".repeat(20))).unwrap());
        assert!(gate(&keyed, far, &auth, Route::Contributions).is_ok_and(|c| c.authenticated));
    }

    #[test]
    fn decision_ids_are_unique_uuid_v7() {
        let ids: std::collections::BTreeSet<String> = (0..10_000).map(|_| decision_id()).collect();
        assert_eq!(ids.len(), 10_000);
        for id in ids.iter().take(3) {
            let u = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(u.get_version_num(), 7);
        }
    }

    #[test]
    fn loopback() {
        assert!(is_loopback("127.0.0.1".parse().unwrap()));
        assert!(is_loopback("::1".parse().unwrap()));
        assert!(is_loopback("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!is_loopback("10.0.0.1".parse().unwrap()));
    }
}
