//! Counters and a latency histogram, printed in the Prometheus text format at `GET /metrics`.
//! Plain atomics over fixed label sets: no locks on the request path.

use crate::findings::Code;
use crate::model::Decision;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

/// The routes, as metric labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Check,
    Contributions,
    Rulesets,
    Healthz,
    Metrics,
    Openapi,
    Static,
}

impl Route {
    pub const ALL: [Route; 7] = [
        Route::Check,
        Route::Contributions,
        Route::Rulesets,
        Route::Healthz,
        Route::Metrics,
        Route::Openapi,
        Route::Static,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Route::Check => "/v1/check",
            Route::Contributions => "/v1/contributions",
            Route::Rulesets => "/v1/rulesets/{id}",
            Route::Healthz => "/healthz",
            Route::Metrics => "/metrics",
            Route::Openapi => "/openapi.json",
            Route::Static => "static",
        }
    }

    /// The route a path belongs to.
    pub fn of(path: &str) -> Route {
        match path {
            "/v1/check" | "/v1/forms/check" => Route::Check,
            "/v1/contributions" | "/v1/forms/contributions" => Route::Contributions,
            p if p.starts_with("/v1/contributions/") => Route::Contributions,
            "/healthz" => Route::Healthz,
            "/metrics" => Route::Metrics,
            "/openapi.json" => Route::Openapi,
            p if p.starts_with("/v1/rulesets/") => Route::Rulesets,
            _ => Route::Static,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Status codes counted one by one; the rest go under "other".
const STATUSES: [u16; 14] = [200, 304, 400, 401, 403, 404, 405, 408, 409, 413, 415, 500, 503, 0];
/// Histogram buckets, in seconds.
const BUCKETS: [f64; 14] = [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];
const ERROR_CODES: [&str; 9] = [
    "invalid_json",
    "invalid_field",
    "too_large",
    "unauthorized",
    "forbidden",
    "unsupported_media_type",
    "id_conflict",
    "unavailable",
    "other",
];
/// What the widget's response was, for a deciding request: it agreed with the server, it
/// disagreed (forged or stale: `client_verdict_mismatch`), none came, or the browser said it
/// could not check (by reason). A wave of any but `agree` is a bypass attempt worth a look.
pub const CLIENT_KINDS: [&str; 11] = [
    "agree",
    "mismatch",
    "missing",
    "unavailable",
    "unavailable:load_failed",
    "unavailable:csp",
    "unavailable:timeout",
    "unavailable:unsupported",
    "unavailable:engine_error",
    "unavailable:invalid_submission",
    "unavailable:unmapped",
];
const DECISIONS: [Decision; 3] = [Decision::Accept, Decision::Review, Decision::Reject];
const DECIDING: [Route; 2] = [Route::Check, Route::Contributions];

fn counters(n: usize) -> Vec<AtomicU64> {
    (0..n).map(|_| AtomicU64::new(0)).collect()
}

/// All the service's numbers.
#[derive(Debug)]
pub struct Metrics {
    requests: Vec<AtomicU64>,
    decisions: Vec<AtomicU64>,
    findings: Vec<AtomicU64>,
    errors: Vec<AtomicU64>,
    buckets: Vec<AtomicU64>,
    latency_sum_ns: Vec<AtomicU64>,
    latency_count: Vec<AtomicU64>,
    replays: AtomicU64,
    clients: Vec<AtomicU64>,
}

impl Default for Metrics {
    fn default() -> Self {
        let routes = Route::ALL.len();
        Metrics {
            requests: counters(routes * STATUSES.len()),
            decisions: counters(DECIDING.len() * DECISIONS.len()),
            findings: counters(DECIDING.len() * Code::ALL.len()),
            errors: counters(routes * ERROR_CODES.len()),
            buckets: counters(routes * (BUCKETS.len() + 1)),
            latency_sum_ns: counters(routes),
            latency_count: counters(routes),
            replays: AtomicU64::new(0),
            clients: counters(DECIDING.len() * (CLIENT_KINDS.len() + 1)),
        }
    }
}

fn bump(v: &[AtomicU64], i: usize) {
    if let Some(c) = v.get(i) {
        c.fetch_add(1, Relaxed);
    }
}

fn read(v: &[AtomicU64], i: usize) -> u64 {
    v.get(i).map_or(0, |c| c.load(Relaxed))
}

impl Metrics {
    /// One finished request.
    pub fn request(&self, route: Route, status: u16, elapsed: Duration) {
        let r = route.index();
        let s = STATUSES.iter().position(|&x| x == status).unwrap_or(STATUSES.len() - 1);
        bump(&self.requests, r * STATUSES.len() + s);
        let secs = elapsed.as_secs_f64();
        let b = BUCKETS.iter().position(|&le| secs <= le).unwrap_or(BUCKETS.len());
        bump(&self.buckets, r * (BUCKETS.len() + 1) + b);
        if let Some(c) = self.latency_sum_ns.get(r) {
            c.fetch_add(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX), Relaxed);
        }
        bump(&self.latency_count, r);
    }

    /// One verdict, with its finding codes.
    pub fn verdict(&self, route: Route, decision: Decision, codes: impl Iterator<Item = Code>) {
        let Some(r) = DECIDING.iter().position(|&x| x == route) else {
            return;
        };
        let d = DECISIONS.iter().position(|&x| x == decision).unwrap_or(0);
        bump(&self.decisions, r * DECISIONS.len() + d);
        for code in codes {
            bump(&self.findings, r * Code::ALL.len() + code as usize);
        }
    }

    /// One error object returned.
    pub fn error(&self, route: Route, code: &str) {
        let e = ERROR_CODES.iter().position(|&x| x == code).unwrap_or(ERROR_CODES.len() - 1);
        bump(&self.errors, route.index() * ERROR_CODES.len() + e);
    }

    /// What the widget said for one verdict: a [`CLIENT_KINDS`] entry (others count as
    /// `unavailable:other`).
    pub fn client(&self, route: Route, kind: &str) {
        let Some(r) = DECIDING.iter().position(|&x| x == route) else {
            return;
        };
        let k = CLIENT_KINDS.iter().position(|&x| x == kind).unwrap_or(CLIENT_KINDS.len());
        bump(&self.clients, r * (CLIENT_KINDS.len() + 1) + k);
    }

    /// An idempotent replay of an earlier contribution.
    pub fn replay(&self) {
        self.replays.fetch_add(1, Relaxed);
    }

    /// The Prometheus text exposition (version 0.0.4).
    pub fn render(&self) -> String {
        let mut o = String::with_capacity(16 * 1024);
        o.push_str("# HELP donation_guard_requests_total HTTP requests by route and status.\n");
        o.push_str("# TYPE donation_guard_requests_total counter\n");
        for route in Route::ALL {
            for (s, status) in STATUSES.iter().enumerate() {
                let n = read(&self.requests, route.index() * STATUSES.len() + s);
                if n > 0 {
                    let status = if *status == 0 { "other".to_owned() } else { status.to_string() };
                    let _ = writeln!(
                        o,
                        "donation_guard_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                        route.label()
                    );
                }
            }
        }
        o.push_str("# HELP donation_guard_decisions_total Verdicts by route and decision.\n");
        o.push_str("# TYPE donation_guard_decisions_total counter\n");
        for (r, route) in DECIDING.iter().enumerate() {
            for (d, decision) in DECISIONS.iter().enumerate() {
                let n = read(&self.decisions, r * DECISIONS.len() + d);
                let name = crate::model::Wire::wire(*decision);
                let _ = writeln!(
                    o,
                    "donation_guard_decisions_total{{route=\"{}\",decision=\"{name}\"}} {n}",
                    route.label()
                );
            }
        }
        o.push_str(
            "# HELP donation_guard_client_responses_total The widget's response by route: agree, mismatch, missing, unavailable (by reason).\n",
        );
        o.push_str("# TYPE donation_guard_client_responses_total counter\n");
        for (r, route) in DECIDING.iter().enumerate() {
            for (k, kind) in CLIENT_KINDS.iter().chain(["unavailable:other"].iter()).enumerate() {
                let n = read(&self.clients, r * (CLIENT_KINDS.len() + 1) + k);
                let _ = writeln!(
                    o,
                    "donation_guard_client_responses_total{{route=\"{}\",kind=\"{kind}\"}} {n}",
                    route.label()
                );
            }
        }
        o.push_str("# HELP donation_guard_findings_total Findings in verdicts by route and code.\n");
        o.push_str("# TYPE donation_guard_findings_total counter\n");
        for (r, route) in DECIDING.iter().enumerate() {
            for code in Code::ALL {
                let n = read(&self.findings, r * Code::ALL.len() + *code as usize);
                let _ = writeln!(
                    o,
                    "donation_guard_findings_total{{route=\"{}\",code=\"{}\"}} {n}",
                    route.label(),
                    code.as_str()
                );
            }
        }
        o.push_str("# HELP donation_guard_errors_total Error objects returned, by route and error code.\n");
        o.push_str("# TYPE donation_guard_errors_total counter\n");
        for route in Route::ALL {
            for (e, code) in ERROR_CODES.iter().enumerate() {
                let n = read(&self.errors, route.index() * ERROR_CODES.len() + e);
                if n > 0 {
                    let _ =
                        writeln!(o, "donation_guard_errors_total{{route=\"{}\",code=\"{code}\"}} {n}", route.label());
                }
            }
        }
        o.push_str("# HELP donation_guard_idempotent_replays_total Contributions answered from the ledger for a repeated id.\n");
        o.push_str("# TYPE donation_guard_idempotent_replays_total counter\n");
        let _ = writeln!(o, "donation_guard_idempotent_replays_total {}", self.replays.load(Relaxed));
        o.push_str("# HELP donation_guard_request_duration_seconds Time from request to response, by route.\n");
        o.push_str("# TYPE donation_guard_request_duration_seconds histogram\n");
        for route in Route::ALL {
            let r = route.index();
            let count = read(&self.latency_count, r);
            if count == 0 {
                continue;
            }
            let mut cumulative = 0;
            for (b, le) in BUCKETS.iter().enumerate() {
                cumulative += read(&self.buckets, r * (BUCKETS.len() + 1) + b);
                let _ = writeln!(
                    o,
                    "donation_guard_request_duration_seconds_bucket{{route=\"{}\",le=\"{le}\"}} {cumulative}",
                    route.label()
                );
            }
            let _ = writeln!(
                o,
                "donation_guard_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {count}",
                route.label()
            );
            #[allow(clippy::cast_precision_loss)]
            let sum = read(&self.latency_sum_ns, r) as f64 / 1e9;
            let _ = writeln!(o, "donation_guard_request_duration_seconds_sum{{route=\"{}\"}} {sum}", route.label());
            let _ = writeln!(o, "donation_guard_request_duration_seconds_count{{route=\"{}\"}} {count}", route.label());
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_widget_responses_by_kind() {
        let m = Metrics::default();
        m.client(Route::Check, "missing");
        m.client(Route::Check, "missing");
        m.client(Route::Contributions, "unavailable:csp");
        m.client(Route::Contributions, "unavailable:something-new");
        m.client(Route::Healthz, "agree");
        let text = m.render();
        assert!(
            text.contains("donation_guard_client_responses_total{route=\"/v1/check\",kind=\"missing\"} 2\n"),
            "{text}"
        );
        assert!(text.contains(
            "donation_guard_client_responses_total{route=\"/v1/contributions\",kind=\"unavailable:csp\"} 1\n"
        ));
        assert!(text.contains(
            "donation_guard_client_responses_total{route=\"/v1/contributions\",kind=\"unavailable:other\"} 1\n"
        ));
        assert!(text.contains("donation_guard_client_responses_total{route=\"/v1/check\",kind=\"agree\"} 0\n"));
    }

    #[test]
    fn renders_counts_and_a_cumulative_histogram() {
        let m = Metrics::default();
        m.request(Route::Check, 200, Duration::from_micros(300));
        m.request(Route::Check, 200, Duration::from_millis(3));
        m.request(Route::Check, 418, Duration::from_millis(3));
        m.verdict(Route::Check, Decision::Reject, [Code::ForeignNational].into_iter());
        m.error(Route::Contributions, "too_large");
        let text = m.render();
        assert!(text.contains("donation_guard_requests_total{route=\"/v1/check\",status=\"200\"} 2\n"), "{text}");
        assert!(text.contains("donation_guard_requests_total{route=\"/v1/check\",status=\"other\"} 1\n"));
        assert!(text.contains("donation_guard_decisions_total{route=\"/v1/check\",decision=\"reject\"} 1\n"));
        assert!(text.contains("donation_guard_findings_total{route=\"/v1/check\",code=\"foreign_national\"} 1\n"));
        assert!(text.contains("donation_guard_errors_total{route=\"/v1/contributions\",code=\"too_large\"} 1\n"));
        assert!(text.contains("donation_guard_request_duration_seconds_bucket{route=\"/v1/check\",le=\"0.0005\"} 1\n"));
        assert!(text.contains("donation_guard_request_duration_seconds_bucket{route=\"/v1/check\",le=\"0.005\"} 3\n"));
        assert!(text.contains("donation_guard_request_duration_seconds_count{route=\"/v1/check\"} 3\n"));
    }
}
