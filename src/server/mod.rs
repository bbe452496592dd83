//! `donation-guard serve`: the HTTP service for payment processors and campaign back ends
//! (CONTRACT.md, "HTTP"). It runs the same [`crate::check`] as the browser and the CLI, keeps
//! a ledger of contributions (embedded SQLite, or PostgreSQL when `DATABASE_URL` says so), and
//! serves the demo page and the widget's files.
//!
//! Layout: [`http`] (routes, auth, errors, middleware), [`ledger`] (storage, idempotency,
//! limits), [`identity`] (donor identity and the HMACs that keep personal data out of storage),
//! [`metrics`] (Prometheus text).

pub mod edge;
pub mod forms;
pub mod http;
pub mod identity;
pub mod ledger;
pub mod lifecycle;
pub mod metrics;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Options of `donation-guard serve`. Secrets are best given through the environment
/// (`DG_API_KEYS`, `DG_SECRET`, `DATABASE_URL`), which `ps` does not show.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// The address to listen on (port 0 picks a free port; the URL is printed).
    #[arg(long, default_value = "127.0.0.1:8080", env = "DG_LISTEN")]
    pub listen: SocketAddr,
    /// The SQLite ledger file (created when absent). Ignored when DATABASE_URL is a
    /// postgres:// URL.
    #[arg(long, default_value = "donation-guard.sqlite", env = "DG_DB")]
    pub db: PathBuf,
    /// Static files served at / (the demo page and the widget).
    #[arg(long, default_value = "www", env = "DG_WWW")]
    pub www: PathBuf,
    /// A bearer key callers must send (`Authorization: Bearer KEY`); repeatable. Also read from
    /// DG_API_KEYS (comma-separated). With no key at all, only loopback clients are served.
    #[arg(long = "api-key", value_name = "KEY")]
    pub api_keys: Vec<String>,
    /// A request header set by your CDN or processor that carries the client's country
    /// (for example CF-IPCountry); it becomes signals.ip_country.
    #[arg(long, value_name = "NAME", env = "DG_TRUSTED_IP_HEADER")]
    pub trusted_ip_header: Option<String>,
    /// Take `signals`, `contribution.card.country` and `contribution.bank_country` from the body
    /// even from callers without an API key. By default they are kept only from callers that
    /// authenticated with a key (servers, not browsers): they are the processor's facts.
    #[arg(long, env = "DG_TRUST_BODY_SIGNALS")]
    pub trust_body_signals: bool,
    /// Load a ruleset file (validated at start) beside the embedded ones; submissions name it
    /// by its id. Repeatable.
    #[arg(long = "ruleset-file", value_name = "FILE", env = "DG_RULESET_FILE")]
    pub ruleset_files: Vec<PathBuf>,
    /// OFAC SDN screening of every donor (README, "Sanctions screening"): server side only.
    #[command(flatten)]
    pub sanctions: crate::cli::SanctionsArgs,
    /// The file holding the HMAC secret for donor keys, passports and emails. Default: DG_SECRET,
    /// else `<db>.secret`, generated on first start.
    #[arg(long, value_name = "PATH", env = "DG_SECRET_FILE")]
    pub secret_file: Option<PathBuf>,
    /// Log format on standard error: compact or json. RUST_LOG sets the level (default info).
    #[arg(long, default_value = "compact", value_parser = ["compact", "json"], env = "DG_LOG_FORMAT")]
    pub log_format: String,
    /// Worker threads (default: the number of cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256), env = "DG_THREADS")]
    pub threads: Option<u16>,
    /// Seconds a request may take, body included, before it is answered 408/503.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600), env = "DG_TIMEOUT")]
    pub timeout: u64,
    /// PostgreSQL pool size (with DATABASE_URL).
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u64).range(1..=1024), env = "DG_PG_POOL")]
    pub pg_pool: u64,
    /// This server's committee type (candidate, pac, party_national, party_state): a body naming
    /// another `recipient.type` is refused (400 invalid_field). Also DG_COMMITTEE_TYPE.
    #[arg(long, value_name = "TYPE", env = "DG_COMMITTEE_TYPE")]
    pub committee_type: Option<String>,
    /// The elections a candidate committee holds, comma-separated (primary, general, runoff,
    /// special): a body naming another is refused. Default: all. Also DG_ELECTIONS.
    #[arg(long, value_name = "LIST", env = "DG_ELECTIONS")]
    pub elections: Option<String>,
    /// An origin whose pages may embed the widget and call the API from the browser
    /// (`https://campaign.example`); repeatable, or comma-separated in DG_ALLOW_ORIGINS. `*`
    /// lets any origin load the widget's static files (/widget/), never the API.
    #[arg(long = "allow-origin", value_name = "ORIGIN", env = "DG_ALLOW_ORIGINS", value_delimiter = ',')]
    pub allow_origins: Vec<String>,
    /// A reverse proxy (address or CIDR block) whose Forwarded / X-Forwarded-For /
    /// X-Forwarded-Proto headers are believed; repeatable (DG_TRUSTED_PROXIES, comma-separated).
    /// The client is the right-most hop that is not a trusted proxy. From any other peer a
    /// forwarding header makes the client remote.
    #[arg(long = "trusted-proxy", value_name = "CIDR", env = "DG_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,
    /// A Host name this server answers (`donations.example.org`, or with `:port`); repeatable
    /// (DG_ALLOWED_HOSTS). Another Host gets 421. Default: loopback names without keys, any
    /// with keys.
    #[arg(long = "allowed-host", value_name = "HOST", env = "DG_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,
    /// A contribution that arrives without the widget's response (no Donation-Guard-Response
    /// header, no client_verdict) gets client_verdict_missing (review). Also DG_REQUIRE_WIDGET.
    #[arg(long, env = "DG_REQUIRE_WIDGET")]
    pub require_widget: bool,
    /// Seconds a client has to send a request's headers (from the connection's start, or from
    /// the previous response on a kept-alive connection).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600), env = "DG_HEADER_TIMEOUT")]
    pub header_timeout: u64,
    /// Most connections served at once; more wait in the listen backlog. Default: 1024, or
    /// fewer when the process's open-file limit (`ulimit -n`, LimitNOFILE=) leaves less room
    /// (the limit less 64 descriptors for the ledger, the listener and the static files).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000), env = "DG_MAX_CONNECTIONS")]
    pub max_connections: Option<u32>,
    /// Check the options, the environment, --www and the secret, print what would be served,
    /// and exit (0 when it would start).
    #[arg(long)]
    pub check_config: bool,
}

/// The one committee whose ledger this server keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committee {
    pub kind: crate::model::RecipientType,
    /// Empty: every election.
    pub elections: Vec<crate::model::Election>,
}

/// `--committee-type` and `--elections` (or DG_COMMITTEE_TYPE, DG_ELECTIONS) to a [`Committee`].
pub fn committee(args: &ServeArgs) -> Result<Option<Committee>, String> {
    use crate::model::{Election, RecipientType, Wire as _};
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let kind = args.committee_type.clone().or_else(|| env("DG_COMMITTEE_TYPE"));
    let elections = args.elections.clone().or_else(|| env("DG_ELECTIONS"));
    let Some(kind) = kind else {
        if elections.is_some() {
            return Err("--elections needs --committee-type candidate".to_owned());
        }
        return Ok(None);
    };
    let kind = RecipientType::ALL.iter().copied().find(|t| t.wire() == kind.trim()).ok_or_else(|| {
        format!(
            "--committee-type {kind:?} is not one of {}",
            RecipientType::ALL.iter().map(|t| t.wire()).collect::<Vec<_>>().join(", ")
        )
    })?;
    let mut list = Vec::new();
    if let Some(text) = elections {
        if kind != RecipientType::Candidate {
            return Err("--elections applies to --committee-type candidate only".to_owned());
        }
        for e in text.split(',').map(str::trim) {
            let e = Election::ALL.iter().copied().find(|x| x.wire() == e).ok_or_else(|| {
                format!(
                    "--elections: {e:?} is not one of {}",
                    Election::ALL.iter().map(|x| x.wire()).collect::<Vec<_>>().join(", ")
                )
            })?;
            if !list.contains(&e) {
                list.push(e);
            }
        }
        if list.is_empty() {
            return Err("--elections is empty".to_owned());
        }
    }
    Ok(Some(Committee { kind, elections: list }))
}

/// Everything the running service needs, resolved from the options and the environment.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub www: PathBuf,
    pub api_keys: Vec<String>,
    pub trusted_ip_header: Option<axum::http::HeaderName>,
    pub trust_body_signals: bool,
    /// The SDN list and its thresholds, when `--sanctions-list` is given.
    pub sanctions: Option<Arc<crate::cli::Screening>>,
    pub timeout: Duration,
    /// The committee, when configured: bodies for another recipient or election are refused.
    pub committee: Option<Committee>,
    /// Proxies, Host names, origins, --require-widget ([`edge`]).
    pub edge: edge::Edge,
}

/// Where the ledger lives.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(PathBuf),
    Postgres { url: String, pool: usize },
}

/// Runs the service; returns the process exit status.
pub fn main(args: ServeArgs) -> i32 {
    init_tracing(&args.log_format);
    match run_blocking(args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("donation-guard: {e}");
            tracing::error!(error = %e, "serve failed");
            1
        }
    }
}

fn init_tracing(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    // A second init (tests calling main twice) is harmless: keep the first.
    let _ = if format == "json" {
        builder.json().flatten_event(true).with_current_span(true).try_init()
    } else {
        builder.compact().try_init()
    };
}

fn run_blocking(args: ServeArgs) -> Result<(), String> {
    let threads = args.threads.map_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()), usize::from);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .thread_name("dg-worker")
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(run(args))
}

async fn run(args: ServeArgs) -> Result<(), String> {
    let (config, store) = resolve(&args)?;
    if args.check_config {
        return check_config(&args, &config, &store);
    }
    let secret = load_secret(&args, &store)?;
    let ledger = ledger::Ledger::open(&store, secret).await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    if config.committee.is_none() {
        tracing::warn!(
            "no --committee-type: the ledger keeps the recipient type of its first recorded gift, and the body's election picks the limit"
        );
    }
    if config.api_keys.is_empty() && !addr.ip().is_loopback() {
        tracing::warn!("no API key is configured: only loopback clients will be served");
    }
    tracing::info!(
        %addr,
        ledger = ledger.kind(),
        keys = config.api_keys.len(),
        "donation-guard serving"
    );
    {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "donation-guard listening on http://{addr} (demo: http://{addr}/demo/)");
        let _ = out.flush();
    }
    let idle = config.timeout.saturating_mul(3);
    let closing = ledger.clone();
    let app = http::router(Arc::new(http::AppState::new(config, ledger)));
    let listener = Timed {
        inner: listener,
        idle,
        header_timeout: Duration::from_secs(args.header_timeout),
        slots: Arc::new(tokio::sync::Semaphore::new(
            usize::try_from(max_connections(args.max_connections, open_file_limit())).unwrap_or(1024),
        )),
    };
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<Peer>())
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| format!("server error: {e}"));
    match closing.checkpoint().await {
        Ok(()) => tracing::info!("ledger checkpointed"),
        Err(e) => tracing::warn!(error = %e, "ledger checkpoint failed"),
    }
    served
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

/// Options and environment to a [`Config`] and a [`Store`].
pub fn resolve(args: &ServeArgs) -> Result<(Config, Store), String> {
    let mut api_keys: Vec<String> = args.api_keys.iter().map(|k| k.trim().to_owned()).collect();
    if let Ok(env) = std::env::var("DG_API_KEYS") {
        let before = api_keys.len();
        api_keys.extend(env.split(',').map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()));
        if !env.is_empty() && api_keys.len() == before {
            return Err("DG_API_KEYS is set but holds no key (only commas or blanks); give keys or unset it".to_owned());
        }
    }
    if args.api_keys.iter().any(|k| k.trim().is_empty()) {
        return Err("an --api-key is empty".to_owned());
    }
    for key in &api_keys {
        edge::check_key(key, "an API key", 16, 64.0)?;
    }
    api_keys.sort();
    api_keys.dedup();
    let trusted_ip_header = match &args.trusted_ip_header {
        Some(name) => Some(
            axum::http::HeaderName::try_from(name.trim().to_ascii_lowercase())
                .map_err(|_| format!("--trusted-ip-header {name:?} is not a header name"))?,
        ),
        None => None,
    };
    let store = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Store::Postgres { url, pool: usize::try_from(args.pg_pool).unwrap_or(16) }
        }
        Ok(url) if !url.trim().is_empty() && !url.starts_with("sqlite:") => {
            return Err("DATABASE_URL must be a postgres:// URL (or unset for the SQLite ledger)".to_owned())
        }
        Ok(url) if url.starts_with("sqlite:") => {
            Store::Sqlite(PathBuf::from(url.trim_start_matches("sqlite://").trim_start_matches("sqlite:")))
        }
        _ => Store::Sqlite(args.db.clone()),
    };
    crate::cli::load_ruleset_files(&args.ruleset_files)
        .map_err(|_| "a --ruleset-file could not be loaded (the error is printed above)".to_owned())?;
    let config = Config {
        listen: args.listen,
        www: args.www.clone(),
        api_keys,
        trusted_ip_header,
        trust_body_signals: args.trust_body_signals,
        sanctions: args.sanctions.load()?.map(Arc::new),
        timeout: Duration::from_secs(args.timeout),
        committee: committee(args)?,
        edge: edge::Edge::new(
            &args.allow_origins,
            &args.trusted_proxies,
            &args.allowed_hosts,
            args.require_widget,
            match &store {
                Store::Sqlite(path) => Some(path.clone()),
                Store::Postgres { .. } => None,
            },
        )?,
    };
    let mut private = Vec::new();
    if let Store::Sqlite(db) = &store {
        private.push(db.clone());
        for tail in [".secret", "-wal", "-shm"] {
            let mut p = db.clone().into_os_string();
            p.push(tail);
            private.push(PathBuf::from(p));
        }
    }
    private.extend(args.secret_file.iter().cloned());
    edge::check_www(&config.www, &private)?;
    Ok((config, store))
}

/// The HMAC secret: DG_SECRET, else --secret-file, else `<db>.secret` (SQLite only), created
/// with 32 random bytes on first start and readable by the owner alone.
fn load_secret(args: &ServeArgs, store: &Store) -> Result<Vec<u8>, String> {
    if let Ok(s) = std::env::var("DG_SECRET") {
        return check_secret(s.trim().as_bytes().to_vec(), "DG_SECRET");
    }
    if let Some(path) = &args.secret_file {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        return check_secret(text.trim().as_bytes().to_vec(), &path.display().to_string());
    }
    match store {
        Store::Postgres { .. } => {
            Err("with PostgreSQL, give the HMAC secret in DG_SECRET or --secret-file (the same on every server)"
                .to_owned())
        }
        Store::Sqlite(db) => {
            let mut path = db.clone().into_os_string();
            path.push(".secret");
            secret_beside(Path::new(&path))
        }
    }
}

fn check_secret(secret: Vec<u8>, from: &str) -> Result<Vec<u8>, String> {
    let text = String::from_utf8_lossy(&secret);
    edge::check_key(&text, &format!("the secret in {from}"), 32, 128.0)?;
    Ok(secret)
}

/// `serve --check-config`: what [`resolve`] found, and whether the secret would load, then exit.
fn check_config(args: &ServeArgs, config: &Config, store: &Store) -> Result<(), String> {
    use std::io::Write as _;
    let secret = if std::env::var_os("DG_SECRET").is_some() || args.secret_file.is_some() {
        load_secret(args, store).map(|_| "ok")?
    } else {
        "from <db>.secret (generated on first start)"
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "donation-guard: configuration ok: listen {}, ledger {}, www {}, keys {}, trusted proxies {}, allowed hosts {}, allowed origins {}{}, require widget {}, header timeout {} s, max connections {}, secret {secret}",
        config.listen,
        match store {
            Store::Sqlite(p) => format!("sqlite {}", p.display()),
            Store::Postgres { .. } => "postgres".to_owned(),
        },
        config.www.display(),
        config.api_keys.len(),
        config.edge.trusted_proxies.len(),
        if config.edge.allowed_hosts.is_empty() { "(default)".to_owned() } else { config.edge.allowed_hosts.join(" ") },
        config.edge.allow_origins.len(),
        if config.edge.any_origin_static { " and * for /widget/" } else { "" },
        config.edge.require_widget,
        args.header_timeout,
        max_connections(args.max_connections, open_file_limit()),
    );
    Ok(())
}

/// `--max-connections`, or its default: 1024, or the open-file limit less 64 descriptors when
/// that is smaller (at least 16), so a small `ulimit -n` is never starved by connections.
fn max_connections(given: Option<u32>, open_files: Option<u64>) -> u32 {
    given.unwrap_or_else(|| match open_files {
        Some(n) => u32::try_from(n.saturating_sub(64).clamp(16, 1024)).unwrap_or(1024),
        None => 1024,
    })
}

/// The soft open-file limit (`Max open files` in /proc/self/limits), where the system says.
fn open_file_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files").split_whitespace().next()?.parse().ok()
}

fn secret_beside(path: &Path) -> Result<Vec<u8>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => return check_secret(text.trim().as_bytes().to_vec(), &path.display().to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for the secret: {e}"))?;
    let hex = identity::hex(&bytes);
    write_private(path, &hex).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a new HMAC secret; keep it with the ledger");
    Ok(hex.into_bytes())
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()
}

/// The client's address, as the gate sees it.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, Timed>> for Peer {
    fn connect_info(stream: axum::serve::IncomingStream<'_, Timed>) -> Peer {
        Peer(*stream.remote_addr())
    }
}

/// The listener: TCP_NODELAY on every connection, and a connection that sends nothing for
/// `idle` (three times --timeout) is closed, so slow or idle clients cannot hold connections
/// open forever (axum's `serve` has no header-read timeout of its own).
pub struct Timed {
    inner: tokio::net::TcpListener,
    idle: Duration,
    /// `--header-timeout`: from the accept, and from every response written, the client has
    /// this long to finish a request's headers (a byte trickle does not reset it).
    header_timeout: Duration,
    /// `--max-connections`: a connection holds one slot until it closes.
    slots: Arc<tokio::sync::Semaphore>,
}

impl axum::serve::Listener for Timed {
    type Io = IdleTimeout;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            // At the cap, wait for a connection to close before accepting another.
            let Ok(slot) = Arc::clone(&self.slots).acquire_owned().await else {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            };
            match self.inner.accept().await {
                Ok((io, addr)) => {
                    let _ = io.set_nodelay(true);
                    let now = tokio::time::Instant::now();
                    let first = (now + self.idle).min(now + self.header_timeout);
                    let io = IdleTimeout {
                        io,
                        idle: self.idle,
                        last: now,
                        timer: Box::pin(tokio::time::sleep_until(first)),
                        header_timeout: self.header_timeout,
                        head_deadline: Some(now + self.header_timeout),
                        tail: [0; 3],
                        _slot: slot,
                    };
                    return (io, addr);
                }
                // Out of file descriptors and the like: wait a little rather than spin.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A TCP stream whose reads fail with `TimedOut` after `idle` without a byte.
pub struct IdleTimeout {
    io: tokio::net::TcpStream,
    idle: Duration,
    last: tokio::time::Instant,
    timer: std::pin::Pin<Box<tokio::time::Sleep>>,
    header_timeout: Duration,
    /// While a request's headers are awaited: when they must be complete.
    head_deadline: Option<tokio::time::Instant>,
    /// The last three bytes read, to find a `\r\n\r\n` split across reads.
    tail: [u8; 3],
    _slot: tokio::sync::OwnedSemaphorePermit,
}

impl IdleTimeout {
    /// Watches the bytes read for the end of a request's headers.
    fn saw(&mut self, bytes: &[u8]) {
        if self.head_deadline.is_none() || bytes.is_empty() {
            return;
        }
        let mut joined = Vec::with_capacity(3 + bytes.len());
        joined.extend_from_slice(&self.tail);
        joined.extend_from_slice(bytes);
        if joined.windows(4).any(|w| w == b"\r\n\r\n") {
            self.head_deadline = None;
        }
        if let Some(last) = joined.len().checked_sub(3).and_then(|i| joined.get(i..)) {
            self.tail.copy_from_slice(last);
        }
    }
}

impl tokio::io::AsyncRead for IdleTimeout {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        use std::future::Future as _;
        use std::task::Poll;
        let this = self.get_mut();
        let before = buf.filled().len();
        match std::pin::Pin::new(&mut this.io).poll_read(cx, buf) {
            Poll::Ready(r) => {
                this.last = tokio::time::Instant::now();
                this.saw(buf.filled().get(before..).unwrap_or_default());
                Poll::Ready(r)
            }
            Poll::Pending => loop {
                // The timer is moved lazily: only when it fires is the last activity looked at.
                if this.timer.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                let idle = this.last + this.idle;
                let deadline = this.head_deadline.map_or(idle, |h| h.min(idle));
                if tokio::time::Instant::now() >= deadline {
                    return Poll::Ready(Err(std::io::ErrorKind::TimedOut.into()));
                }
                this.timer.as_mut().reset(deadline);
            },
        }
    }
}

impl IdleTimeout {
    /// A response is going out: the next bytes read are the next request's headers.
    fn rearm(&mut self) {
        let now = tokio::time::Instant::now();
        self.head_deadline = Some(now + self.header_timeout);
        self.tail = [0; 3];
        // A sooner deadline than the armed timer: move the timer (it is only ever moved later
        // lazily).
        if now + self.header_timeout < self.timer.deadline() {
            self.timer.as_mut().reset(now + self.header_timeout);
        }
    }
}

impl tokio::io::AsyncWrite for IdleTimeout {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        this.rearm();
        std::pin::Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        this.rearm();
        std::pin::Pin::new(&mut this.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_connections_default_follows_the_open_file_limit() {
        assert_eq!(max_connections(Some(50), Some(200)), 50, "an explicit value stands");
        assert_eq!(max_connections(None, None), 1024);
        assert_eq!(max_connections(None, Some(1_048_576)), 1024);
        assert_eq!(max_connections(None, Some(200)), 136);
        assert_eq!(max_connections(None, Some(40)), 16);
        if cfg!(target_os = "linux") {
            assert!(open_file_limit().is_some_and(|n| n > 0), "read from /proc/self/limits");
        }
    }
}
