//! The server's edge: what it takes from a reverse proxy (`--trusted-proxy`), which Host names
//! it answers (`--allowed-host`), cross-origin embedding (`--allow-origin`: CORS and
//! `Cross-Origin-Resource-Policy`), the static files' caching (`Cache-Control`, `ETag`,
//! `If-None-Match` → 304) and the checks made at start (the ledger outside `--www`, no symlink
//! out of it, keys and secrets with enough entropy).

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

/// The widget's static files, which other origins may embed.
pub const WIDGET_PREFIX: &str = "/widget/";

/// `Cache-Control` of the widget's files: five minutes, then revalidated with the ETag (the
/// files keep their names across releases, so they are not `immutable`).
pub const WIDGET_CACHE: &str = "public, max-age=300, must-revalidate";

/// `Cache-Control` of the other static files (the demo page): always revalidated.
pub const OTHER_CACHE: &str = "no-cache";

/// The request headers a cross-origin caller may send to the API.
const ALLOW_HEADERS: &str = "authorization, content-type, donation-guard-response, x-request-id";
/// The response headers a cross-origin caller may read.
const EXPOSE_HEADERS: &str = "x-request-id, idempotent-replayed, etag";

/// An address block, `10.0.0.0/8` or `::1/128`; a bare address is one host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    bits: u8,
}

impl Cidr {
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let text = text.trim();
        let bad = || format!("--trusted-proxy {text:?} is not an address or CIDR block (10.0.0.0/8, ::1/128)");
        let (addr, bits) = match text.split_once('/') {
            Some((a, b)) => (a, Some(b.parse::<u8>().map_err(|_| bad())?)),
            None => (text, None),
        };
        let net: IpAddr = addr.parse().map_err(|_| bad())?;
        let net = canonical(net);
        let max = if net.is_ipv4() { 32 } else { 128 };
        let bits = bits.unwrap_or(max);
        if bits > max {
            return Err(bad());
        }
        Ok(Cidr { net, bits })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, canonical(ip)) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.bits)).unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.bits)).unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4-mapped IPv6 address as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The edge options, resolved at start.
#[derive(Debug, Clone, Default)]
pub struct Edge {
    /// Exact origins (`https://campaign.example`), lower case, without a trailing slash.
    pub allow_origins: Vec<String>,
    /// `--allow-origin '*'`: any origin may load the widget's static files (never the API).
    pub any_origin_static: bool,
    pub trusted_proxies: Vec<Cidr>,
    /// Host names (`name` or `name:port`), lower case. Empty: loopback names for a keyless
    /// server, any name with keys.
    pub allowed_hosts: Vec<String>,
    /// `--require-widget`: a contribution without the widget's response gets
    /// `client_verdict_missing` (review).
    pub require_widget: bool,
    /// The SQLite ledger file, for the write probe of `/healthz`.
    pub ledger_file: Option<PathBuf>,
}

impl Edge {
    pub fn new(
        origins: &[String],
        proxies: &[String],
        hosts: &[String],
        require_widget: bool,
        ledger_file: Option<PathBuf>,
    ) -> Result<Edge, String> {
        let mut edge = Edge { require_widget, ledger_file, ..Edge::default() };
        for o in origins.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
            if o == "*" {
                edge.any_origin_static = true;
                continue;
            }
            let lower = o.trim_end_matches('/').to_ascii_lowercase();
            let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
            if rest.map_or(true, |r| r.is_empty() || r.contains('/') || r.contains('*')) {
                return Err(format!(
                    "--allow-origin {o:?} is not an origin: give scheme://host[:port] (https://campaign.example) or *"
                ));
            }
            if !edge.allow_origins.contains(&lower) {
                edge.allow_origins.push(lower);
            }
        }
        for p in proxies.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            edge.trusted_proxies.push(Cidr::parse(p)?);
        }
        for h in hosts.iter().map(|h| h.trim()).filter(|h| !h.is_empty()) {
            let h = h.to_ascii_lowercase();
            if h.contains('/') || h.contains(' ') || h.contains('@') {
                return Err(format!("--allowed-host {h:?} is not a host name (example.org or example.org:8443)"));
            }
            edge.allowed_hosts.push(h);
        }
        Ok(edge)
    }

    fn trusted(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|c| c.contains(ip))
    }

    /// Whether `origin` is listed (exactly; `*` does not count here).
    pub fn listed(&self, origin: &str) -> bool {
        let o = origin.trim().trim_end_matches('/').to_ascii_lowercase();
        self.allow_origins.contains(&o)
    }
}

/// Who the client is, once the proxy's headers are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// The client's address: the TCP peer, or the right-most untrusted hop a trusted proxy
    /// reported. None: a trusted proxy reported a hop that is not an address (`unknown`, an
    /// obfuscated name), so the client is remote and unknown.
    pub ip: Option<IpAddr>,
    /// A forwarding header came from a peer that is not a trusted proxy: the TCP peer says
    /// nothing about the client, who is treated as remote.
    pub untrusted_forwarding: bool,
    /// The scheme the client used, as a trusted proxy said (`X-Forwarded-Proto`,
    /// `Forwarded: proto=`).
    pub https: Option<bool>,
}

/// The forwarding headers.
const FORWARDING: [&str; 5] = ["forwarded", "x-forwarded-for", "x-real-ip", "x-forwarded-host", "x-forwarded-proto"];

/// The client: forwarding headers are read only from a trusted proxy, right to left, and the
/// first hop that is not itself a trusted proxy is the client.
pub fn client(edge: &Edge, peer: Option<IpAddr>, headers: &HeaderMap) -> Client {
    let forwarding = FORWARDING.iter().any(|h| headers.contains_key(*h));
    let Some(peer) = peer else {
        return Client { ip: None, untrusted_forwarding: forwarding, https: None };
    };
    if !edge.trusted(peer) {
        return Client { ip: Some(peer), untrusted_forwarding: forwarding, https: None };
    }
    let mut hops: Vec<&str> = Vec::new();
    let mut protos: Vec<&str> = Vec::new();
    if headers.contains_key("forwarded") {
        for value in headers.get_all("forwarded").iter().filter_map(|v| v.to_str().ok()) {
            for element in value.split(',') {
                for pair in element.split(';') {
                    let Some((k, v)) = pair.split_once('=') else { continue };
                    match k.trim().to_ascii_lowercase().as_str() {
                        "for" => hops.push(v.trim()),
                        "proto" => protos.push(v.trim().trim_matches('"')),
                        _ => {}
                    }
                }
            }
        }
    } else {
        for value in headers.get_all("x-forwarded-for").iter() {
            match value.to_str() {
                Ok(v) => hops.extend(v.split(',').map(str::trim)),
                Err(_) => hops.push("unknown"),
            }
        }
        for value in headers.get_all("x-forwarded-proto").iter().filter_map(|v| v.to_str().ok()) {
            protos.extend(value.split(',').map(str::trim));
        }
    }
    let https = protos.last().map(|p| p.eq_ignore_ascii_case("https"));
    let mut ip = Some(peer);
    for hop in hops.iter().rev() {
        match hop_address(hop) {
            Some(a) if edge.trusted(a) => ip = Some(a),
            Some(a) => {
                ip = Some(a);
                break;
            }
            None => {
                ip = None;
                break;
            }
        }
    }
    Client { ip, untrusted_forwarding: false, https }
}

/// `203.0.113.7`, `203.0.113.7:4711`, `"[2001:db8::1]:4711"`, `2001:db8::1`.
fn hop_address(hop: &str) -> Option<IpAddr> {
    let h = hop.trim().trim_matches('"');
    if let Ok(ip) = h.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = h.strip_prefix('[') {
        return rest.split(']').next().and_then(|a| a.parse::<IpAddr>().ok()).map(canonical);
    }
    h.rsplit_once(':').and_then(|(a, _)| a.parse::<std::net::Ipv4Addr>().ok()).map(IpAddr::V4)
}

/// The Host header, lower case; None when absent or not text.
pub fn host(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
}

/// The name part of a Host (`[::1]:80` → `[::1]`, `example.org:8443` → `example.org`).
pub fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').and_then(|i| host.get(..=i)).unwrap_or(host);
    }
    host.split(':').next().unwrap_or(host)
}

/// `--allowed-host`: None when the Host is allowed (or no list is configured), else the refusal.
pub fn host_refusal(edge: &Edge, headers: &HeaderMap) -> Option<Response> {
    if edge.allowed_hosts.is_empty() {
        return None;
    }
    let Some(host) = host(headers) else {
        return Some(super::http::error(StatusCode::BAD_REQUEST, "host_required", "send a Host header", None));
    };
    let name = host_name(&host);
    if edge.allowed_hosts.iter().any(|h| *h == host || h == name) {
        return None;
    }
    Some(super::http::error(
        StatusCode::MISDIRECTED_REQUEST,
        "misdirected_request",
        "this server does not answer for that Host (see --allowed-host)",
        None,
    ))
}

/// Whether the request's Origin (when sent) is one the caller may come from: this server's own
/// origin, a listed one, or, for the widget's static files, any when `*` is configured.
pub fn origin_ok(edge: &Edge, headers: &HeaderMap, client: &Client, widget_file: bool) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    let o = origin.trim().to_ascii_lowercase();
    let host = host(headers).unwrap_or_default();
    let own = match client.https {
        Some(true) => o == format!("https://{host}"),
        Some(false) => o == format!("http://{host}"),
        None => o == format!("http://{host}") || o == format!("https://{host}"),
    };
    own || edge.listed(&o) || (widget_file && edge.any_origin_static)
}

/// Whether a path is one of the widget's static files.
pub fn is_widget_file(path: &str) -> bool {
    path.starts_with(WIDGET_PREFIX)
}

/// Whether a path is an API route (CORS only for listed origins).
fn is_api(path: &str) -> bool {
    path.starts_with("/v1/") || path == "/healthz" || path == "/openapi.json"
}

/// A CORS preflight (`OPTIONS` with `Access-Control-Request-Method`): the answer, or None when
/// the request is not one.
pub fn preflight(edge: &Edge, method: &Method, path: &str, headers: &HeaderMap) -> Option<Response> {
    if method != Method::OPTIONS || !headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD) {
        return None;
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).unwrap_or("");
    let allowed = if is_widget_file(path) {
        edge.listed(origin) || edge.any_origin_static
    } else {
        is_api(path) && edge.listed(origin)
    };
    if !allowed {
        return Some(super::http::error(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "this origin may not call this server (see --allow-origin)",
            None,
        ));
    }
    let mut resp = Response::new(axum::body::Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    let h = resp.headers_mut();
    cors_headers(edge, path, origin, h);
    let methods = if is_widget_file(path) { "GET, HEAD" } else { "GET, POST" };
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static(methods));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static(ALLOW_HEADERS));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    Some(resp)
}

/// Adds `Access-Control-Allow-Origin` (and `Vary: Origin`) when the origin may read the answer.
fn cors_headers(edge: &Edge, path: &str, origin: &str, h: &mut HeaderMap) {
    let widget = is_widget_file(path);
    let value = if edge.listed(origin) && (widget || is_api(path)) {
        HeaderValue::from_str(origin.trim()).ok()
    } else if widget && edge.any_origin_static {
        Some(HeaderValue::from_static("*"))
    } else {
        None
    };
    if !edge.allow_origins.is_empty() {
        h.append(header::VARY, HeaderValue::from_static("Origin"));
    }
    if let Some(v) = value {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSE_HEADERS));
    }
}

/// The CORS headers of a response to `path` (every response, errors included, so a refused
/// cross-origin caller can read why).
pub fn add_cors(edge: &Edge, path: &str, request: &HeaderMap, resp: &mut Response) {
    let origin = request.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match origin {
        Some(o) => cors_headers(edge, path, o, resp.headers_mut()),
        None if is_widget_file(path) && !edge.allow_origins.is_empty() => {
            resp.headers_mut().append(header::VARY, HeaderValue::from_static("Origin"));
        }
        None => {}
    }
}

/// ETags of the static files, by (path, encoding, length, Last-Modified): a file is hashed
/// once per change.
#[derive(Debug, Default)]
pub struct Etags {
    map: Mutex<HashMap<(String, String, String, String), String>>,
}

const ETAG_ENTRIES: usize = 4096;
/// Files larger than this get no ETag (they are not buffered); Last-Modified still applies.
const ETAG_MAX_BYTES: usize = 32 * 1024 * 1024;

/// The static files' headers: `Cache-Control`, `Cross-Origin-Resource-Policy`, and a weak
/// `ETag` (SHA-256 of the file) with `If-None-Match` answered 304. A file reached through a
/// symlink that leaves `--www` is 404.
pub async fn static_files(
    axum::extract::State(st): axum::extract::State<Arc<StaticState>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path().to_owned();
    if escapes(&st.root, &path) {
        tracing::warn!("a static path leaves --www through a symlink; refused");
        return super::http::error(StatusCode::NOT_FOUND, "not_found", "no such resource", None);
    }
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let head = req.method() == Method::HEAD;
    let resp = next.run(req).await;
    let status = resp.status();
    let (mut parts, body) = resp.into_parts();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        let (cache, corp) =
            if is_widget_file(&path) { (WIDGET_CACHE, "cross-origin") } else { (OTHER_CACHE, "same-origin") };
        parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        parts.headers.insert("cross-origin-resource-policy", HeaderValue::from_static(corp));
        parts.headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    }
    if status != StatusCode::OK {
        return Response::from_parts(parts, body);
    }
    let text =
        |name: header::HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let key = (path, text(header::CONTENT_ENCODING), text(header::CONTENT_LENGTH), text(header::LAST_MODIFIED));
    let known = st.etags.map.lock().ok().and_then(|m| m.get(&key).cloned());
    let (etag, body) = match known {
        Some(e) => (Some(e), body),
        None if head => (None, body),
        None => match axum::body::to_bytes(body, ETAG_MAX_BYTES).await {
            Ok(bytes) => {
                let etag = etag_of(&bytes);
                if let Ok(mut m) = st.etags.map.lock() {
                    if m.len() >= ETAG_ENTRIES {
                        m.clear();
                    }
                    m.insert(key, etag.clone());
                }
                (Some(etag), axum::body::Body::from(bytes))
            }
            Err(_) => {
                return super::http::error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the file could not be read",
                    None,
                )
            }
        },
    };
    let Some(etag) = etag else { return Response::from_parts(parts, body) };
    if let Ok(v) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, v);
    }
    if if_none_match.is_some_and(|inm| matches(&inm, &etag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        for h in [header::CONTENT_LENGTH, header::CONTENT_TYPE, header::ACCEPT_RANGES] {
            parts.headers.remove(h);
        }
        return Response::from_parts(parts, axum::body::Body::empty());
    }
    Response::from_parts(parts, body)
}

/// What the static middleware needs.
#[derive(Debug)]
pub struct StaticState {
    /// `--www`, canonical.
    pub root: PathBuf,
    pub etags: Etags,
}

fn etag_of(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(bytes);
    format!("W/\"{}\"", super::identity::hex(digest.get(..16).unwrap_or_default()))
}

/// `If-None-Match` (weak comparison): `*` or any listed tag.
fn matches(if_none_match: &str, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let ours = bare(etag);
    if_none_match.split(',').any(|t| t.trim() == "*" || bare(t) == ours)
}

/// Whether a URL path, under `root`, resolves (through a symlink) to a file outside `root`.
pub fn escapes(root: &Path, url_path: &str) -> bool {
    let Some(decoded) = percent_decode(url_path) else { return false };
    let mut p = root.to_path_buf();
    for seg in decoded.split('/') {
        if seg.is_empty() || seg == "." {
            continue;
        }
        if seg == ".." || seg.contains('\\') || seg.contains('\0') {
            // ServeDir refuses these itself.
            return false;
        }
        p.push(seg);
    }
    let outside = |q: &Path| std::fs::canonicalize(q).is_ok_and(|c| !c.starts_with(root));
    outside(&p) || (p.is_dir() && outside(&p.join("index.html")))
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The checks of `--www` made at start: it exists and is a directory, the ledger (and its
/// secret) are not inside it, and no symlink in it leads outside. Returns the canonical root.
pub fn check_www(www: &Path, private: &[PathBuf]) -> Result<PathBuf, String> {
    let root = std::fs::canonicalize(www).map_err(|e| {
        format!("--www {} cannot be served: {e} (give the folder holding demo/ and widget/)", www.display())
    })?;
    if !root.is_dir() {
        return Err(format!("--www {} is not a folder", www.display()));
    }
    for file in private {
        if inside(&root, file) {
            return Err(format!(
                "{} is inside --www {}: it would be served to anyone; keep the ledger and its secret elsewhere",
                file.display(),
                www.display()
            ));
        }
    }
    let mut stack = vec![(root.clone(), 0usize)];
    let mut seen = 0usize;
    while let Some((dir, depth)) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            seen += 1;
            if seen > 100_000 {
                return Err(format!("--www {} holds over 100,000 files; serve a smaller folder", www.display()));
            }
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_symlink() {
                match std::fs::canonicalize(&path) {
                    Ok(target) if !target.starts_with(&root) => {
                        return Err(format!(
                            "{} is a symlink to {}, outside --www; remove it or copy the file in",
                            path.display(),
                            target.display()
                        ))
                    }
                    _ => {}
                }
            } else if kind.is_dir() && depth < 32 {
                stack.push((path, depth + 1));
            }
        }
    }
    Ok(root)
}

/// Whether `file` (existing or not) would be inside `root`.
fn inside(root: &Path, file: &Path) -> bool {
    if let Ok(c) = std::fs::canonicalize(file) {
        return c.starts_with(root);
    }
    let absolute = if file.is_absolute() {
        file.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(file)).unwrap_or_else(|_| file.to_path_buf())
    };
    match (absolute.parent().and_then(|p| std::fs::canonicalize(p).ok()), absolute.file_name()) {
        (Some(dir), Some(_)) => dir.starts_with(root),
        _ => false,
    }
}

/// An estimate of a key's entropy in bits: its length in characters times the Shannon entropy
/// of its characters' frequencies. A random hex key of 64 characters gives about 250; `aaaa…`
/// gives 0; `abab…` one bit per character.
pub fn entropy_bits(key: &str) -> f64 {
    let mut counts: HashMap<char, usize> = HashMap::new();
    let mut n = 0usize;
    for c in key.chars() {
        *counts.entry(c).or_default() += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let total = n as f64;
    let h: f64 = counts.values().map(|&k| k as f64 / total).map(|p| -p * p.log2()).sum();
    h * total
}

/// Refuses a secret or key that is too short (in characters) or too predictable.
pub fn check_key(key: &str, what: &str, min_chars: usize, min_bits: f64) -> Result<(), String> {
    let chars = key.chars().count();
    if chars < min_chars {
        return Err(format!("{what} has {chars} characters; use at least {min_chars} random ones"));
    }
    let bits = entropy_bits(key);
    if bits < min_bits {
        return Err(format!(
            "{what} is too predictable (about {bits:.0} bits of entropy, {min_bits:.0} needed); generate one with: openssl rand -hex 32"
        ));
    }
    Ok(())
}

/// Whether the ledger can write: the last write's outcome, and for SQLite that the file and
/// its folder are open for writing.
#[derive(Debug, Default)]
pub struct WriteHealth {
    failing: AtomicBool,
    last_error_ms: AtomicI64,
}

impl WriteHealth {
    pub fn ok(&self) {
        self.failing.store(false, Ordering::Relaxed);
    }

    pub fn failed(&self) {
        self.failing.store(true, Ordering::Relaxed);
        self.last_error_ms.store(super::ledger::now().0, Ordering::Relaxed);
    }

    /// None when writes work, else why not.
    pub fn problem(&self, ledger_file: Option<&Path>) -> Option<String> {
        if let Some(file) = ledger_file {
            if let Err(e) = std::fs::OpenOptions::new().append(true).open(file) {
                return Some(format!("the ledger file is not writable ({})", e.kind()));
            }
            let dir = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            if std::fs::metadata(dir).is_ok_and(|m| m.permissions().readonly()) {
                return Some("the ledger's folder is read-only".to_owned());
            }
        }
        if self.failing.load(Ordering::Relaxed) {
            return Some(format!(
                "the last ledger write failed (at {} ms since the epoch)",
                self.last_error_ms.load(Ordering::Relaxed)
            ));
        }
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cidr_blocks() {
        let c = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(c.contains("10.1.2.3".parse().unwrap()));
        assert!(c.contains("::ffff:10.1.2.3".parse().unwrap()));
        assert!(!c.contains("11.0.0.1".parse().unwrap()));
        assert!(Cidr::parse("::1").unwrap().contains("::1".parse().unwrap()));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains("8.8.8.8".parse().unwrap()));
        assert!(Cidr::parse("2001:db8::/32").unwrap().contains("2001:db8:1::5".parse().unwrap()));
        for bad in ["10.0.0.0/33", "nope", "10.0.0.0/x", ""] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    fn hm(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_client_is_the_right_most_untrusted_hop() {
        let edge = Edge::new(&[], &["127.0.0.1".into(), "10.0.0.0/8".into()], &[], false, None).unwrap();
        let lo = Some("127.0.0.1".parse().unwrap());
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        // A spoofed left-most entry does not count: the client is what the proxy saw.
        let c = client(&edge, lo, &hm(&[("x-forwarded-for", "127.0.0.1, 8.8.8.8, 10.0.0.5")]));
        assert_eq!((c.ip, c.untrusted_forwarding), (ip("8.8.8.8"), false));
        let c = client(&edge, lo, &hm(&[("x-forwarded-for", "127.0.0.1"), ("x-forwarded-for", "8.8.4.4")]));
        assert_eq!(c.ip, ip("8.8.4.4"));
        let c = client(&edge, lo, &hm(&[("forwarded", "for=198.51.100.1;proto=https, for=\"[2001:db8::7]:443\"")]));
        assert_eq!((c.ip, c.https), (ip("2001:db8::7"), Some(true)));
        let c = client(&edge, lo, &hm(&[("forwarded", "for=unknown")]));
        assert_eq!(c.ip, None);
        let c = client(&edge, lo, &hm(&[("x-forwarded-for", "10.0.0.9, 127.0.0.1")]));
        assert_eq!(c.ip, ip("10.0.0.9"));
        let c = client(&edge, lo, &hm(&[("x-forwarded-proto", "http")]));
        assert_eq!((c.ip, c.https), (lo, Some(false)));
        // From an untrusted peer the headers are not read, and mark the client remote.
        let far = ip("192.0.2.1");
        let c = client(&edge, far, &hm(&[("x-forwarded-for", "127.0.0.1")]));
        assert_eq!((c.ip, c.untrusted_forwarding), (far, true));
        let none = Edge::default();
        let c = client(&none, lo, &hm(&[("x-forwarded-for", "127.0.0.1")]));
        assert!(c.untrusted_forwarding);
    }

    #[test]
    fn origins_and_hosts() {
        let edge =
            Edge::new(&["https://Campaign.example/".into(), "*".into()], &[], &["dg.example".into()], false, None)
                .unwrap();
        assert_eq!(edge.allow_origins, ["https://campaign.example"]);
        assert!(edge.any_origin_static);
        for bad in ["campaign.example", "https://", "https://x.example/path", "https://*.example"] {
            assert!(Edge::new(&[bad.into()], &[], &[], false, None).is_err(), "{bad}");
        }
        let cl = Client { ip: None, untrusted_forwarding: false, https: None };
        let h = hm(&[("host", "dg.example"), ("origin", "https://evil.example")]);
        assert!(!origin_ok(&edge, &h, &cl, false));
        assert!(origin_ok(&edge, &h, &cl, true));
        let h = hm(&[("host", "dg.example"), ("origin", "https://campaign.example")]);
        assert!(origin_ok(&edge, &h, &cl, false));
        let h = hm(&[("host", "dg.example:443"), ("origin", "http://dg.example:443")]);
        assert!(origin_ok(&edge, &h, &cl, false));
        assert!(!origin_ok(&edge, &h, &Client { https: Some(true), ..cl }, false));
        assert!(host_refusal(&edge, &hm(&[("host", "DG.example:8443")])).is_none());
        let r = host_refusal(&edge, &hm(&[("host", "evil.example")])).unwrap();
        assert_eq!(r.status(), StatusCode::MISDIRECTED_REQUEST);
        assert_eq!(host_refusal(&edge, &HeaderMap::new()).unwrap().status(), StatusCode::BAD_REQUEST);
        assert_eq!(host_name("[::1]:80"), "[::1]");
    }

    #[test]
    fn preflights() {
        let edge = Edge::new(&["https://campaign.example".into(), "*".into()], &[], &[], false, None).unwrap();
        let pre = |path: &str, origin: &str| {
            preflight(
                &edge,
                &Method::OPTIONS,
                path,
                &hm(&[("origin", origin), ("access-control-request-method", "POST")]),
            )
            .unwrap()
        };
        let r = pre("/v1/check", "https://campaign.example");
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        assert_eq!(r.headers()["access-control-allow-origin"], "https://campaign.example");
        assert_eq!(pre("/v1/check", "https://evil.example").status(), StatusCode::FORBIDDEN);
        let r = pre("/widget/engine/donation_guard_bg.wasm", "https://evil.example");
        assert_eq!(r.headers()["access-control-allow-origin"], "*");
        assert!(preflight(&edge, &Method::GET, "/v1/check", &HeaderMap::new()).is_none());
    }

    #[test]
    fn entropy() {
        assert!(check_key(&"a".repeat(64), "k", 32, 128.0).is_err());
        assert!(check_key(&"ab".repeat(32), "k", 32, 128.0).is_err());
        assert!(check_key("0123456789abcdef", "k", 32, 128.0).is_err());
        assert!(check_key("3f9c1e0b7a5d24c8e6f1a9b3d7c05e2f8a4b6c1d9e3f7a0b5c2d8e4f1a6b3c9d", "k", 32, 128.0).is_ok());
        // Characters, not bytes: 16 two-byte letters are 16 characters.
        assert!(check_key(&"é".repeat(16), "k", 17, 0.0).is_err());
        assert!(entropy_bits("test-key-0123456789abcdef") > 64.0);
    }

    #[test]
    fn if_none_match() {
        assert!(matches("W/\"ab\"", "W/\"ab\""));
        assert!(matches("\"ab\", W/\"cd\"", "W/\"cd\""));
        assert!(matches("*", "W/\"cd\""));
        assert!(!matches("\"ab\"", "W/\"cd\""));
    }

    #[test]
    fn percent_paths() {
        assert_eq!(percent_decode("/a%20b/%2e%2e").as_deref(), Some("/a b/.."));
        assert_eq!(percent_decode("/a%2"), None);
    }
}
