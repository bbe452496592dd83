//! Starting the real binary on a random loopback port, and a small HTTP/1.1 client over a plain
//! TcpStream (so the tests can send any bytes, including broken ones).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_donation-guard");
pub const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cases.jsonl");
pub const KEY: &str = "test-key-0123456789abcdef";
pub const SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";

/// A temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU64 = AtomicU64::new(0);
        let p = std::env::temp_dir().join(format!(
            "dg-test-{tag}-{}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            unique()
        ));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A value unique enough to tell test runs apart (ids in a shared PostgreSQL database).
pub fn unique() -> String {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{:x}{:x}{}", t.as_secs(), t.subsec_nanos(), N.fetch_add(1, Ordering::Relaxed))
}

/// Where the ledger lives for a test.
#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

impl Backend {
    /// Another ledger of the same kind (a new committee): SQLite servers get a new file anyway;
    /// PostgreSQL gets a new database.
    pub fn another(&self) -> Backend {
        match self {
            Backend::Sqlite => Backend::Sqlite,
            Backend::Postgres(_) => Backend::postgres().expect("DG_TEST_DATABASE_URL"),
        }
    }

    /// A fresh PostgreSQL database on the server of DG_TEST_DATABASE_URL (set by
    /// tests/server/pg.sh, with DG_TEST_PSQL), if any: one per call, as a SQLite test gets a
    /// new file, since one ledger is one committee's (`ledger_meta.committee_type`). The servers
    /// of one test share it by cloning the backend.
    pub fn postgres() -> Option<Backend> {
        match std::env::var("DG_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => {
                let name = format!("dg_t_{}", unique());
                let psql = std::env::var("DG_TEST_PSQL").unwrap_or_else(|_| "psql".to_owned());
                let out = Command::new(psql)
                    .args(["-q", "-d", &url, "-c", &format!("CREATE DATABASE {name}")])
                    .output()
                    .expect("run psql (DG_TEST_PSQL)");
                assert!(out.status.success(), "CREATE DATABASE: {}", String::from_utf8_lossy(&out.stderr));
                let base = url.rsplit_once('/').map_or(url.as_str(), |(b, _)| b);
                Some(Backend::Postgres(format!("{base}/{name}")))
            }
            _ => {
                eprintln!(
                    "skipped: DG_TEST_DATABASE_URL is not set (run tests/server/pg.sh for the PostgreSQL ledger tests)"
                );
                None
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct Opts {
    pub backend: Backend,
    pub keys: Vec<String>,
    pub args: Vec<String>,
    pub www: Option<PathBuf>,
}

impl Default for Opts {
    fn default() -> Self {
        Opts { backend: Backend::Sqlite, keys: vec![], args: vec![], www: None }
    }
}

pub struct Server {
    pub child: Child,
    pub addr: String,
    pub db: PathBuf,
    pub opts: Opts,
    _dir: Option<TempDir>,
}

impl Server {
    pub fn start(opts: Opts) -> Server {
        let dir = TempDir::new("server");
        let db = dir.path().join("ledger.sqlite");
        let mut s = Server::start_at(opts, &db);
        s._dir = Some(dir);
        s
    }

    /// Starts on an existing ledger file (for restarts).
    pub fn start_at(opts: Opts, db: &Path) -> Server {
        let mut cmd = Command::new(BIN);
        cmd.arg("serve").arg("--listen").arg("127.0.0.1:0").arg("--db").arg(db);
        let www = opts.www.clone().unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/www")));
        cmd.arg("--www").arg(www).arg("--threads").arg("2");
        for k in &opts.keys {
            cmd.arg("--api-key").arg(k);
        }
        cmd.args(&opts.args);
        cmd.env_remove("DG_API_KEYS")
            .env_remove("DATABASE_URL")
            .env_remove("DG_COMMITTEE_TYPE")
            .env_remove("DG_ELECTIONS")
            .env("DG_SECRET", SECRET);
        cmd.env("RUST_LOG", "warn");
        if let Backend::Postgres(url) = &opts.backend {
            cmd.env("DATABASE_URL", url);
        }
        cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()).stdin(Stdio::null());
        let mut child = cmd.spawn().expect("start donation-guard serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            for _ in lines {}
        });
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!("the server did not print its address");
            }
        };
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or_else(|| panic!("unexpected first line: {line}"))
            .to_owned();
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        Server { child, addr, db: db.to_owned(), opts, _dir: None }
    }

    /// kill -9.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn post(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        request(&self.addr, "POST", path, &with_json(headers), Some(body)).unwrap()
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        request(&self.addr, "GET", path, headers, None).unwrap()
    }
}

fn with_json<'a>(headers: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut h = headers.to_vec();
    if !h.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
        h.push(("content-type", "application/json"));
    }
    h
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or_default().to_owned()
    }
}

/// One request on a fresh connection (`Connection: close`).
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> std::io::Result<Resp> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let host = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("host")).map_or(addr, |(_, v)| *v);
    let mut head = format!("{method} {path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n");
    let headers: Vec<&(&str, &str)> = headers.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("host")).collect();
    for (k, v) in &headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let chunked = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if let Some(b) = body {
        if !chunked {
            head.push_str(&format!("content-length: {}\r\n", b.len()));
        }
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    if let Some(b) = body {
        if chunked {
            // As below: the server may answer (413) and close before the last chunk.
            let mut send = || -> std::io::Result<()> {
                for c in b.chunks(8192) {
                    s.write_all(format!("{:x}\r\n", c.len()).as_bytes())?;
                    s.write_all(c)?;
                    s.write_all(b"\r\n")?;
                }
                s.write_all(b"0\r\n\r\n")
            };
            let _ = send();
        } else {
            // The server may answer (413) before reading everything: ignore a reset here.
            let _ = s.write_all(b);
        }
    }
    let mut raw = Vec::new();
    let read = s.read_to_end(&mut raw);
    if raw.is_empty() {
        read?;
        return Err(std::io::Error::other("empty response"));
    }
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> std::io::Result<Resp> {
    let bad =
        || std::io::Error::other(format!("bad response: {}", String::from_utf8_lossy(&raw[..raw.len().min(200)])));
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(bad)?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| bad())?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n").ok_or_else(bad)?;
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).map_err(|_| bad())?.trim(), 16)
                .map_err(|_| bad())?;
            rest = &rest[nl + 2..];
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
        body = out;
    } else if let Some(len) =
        headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse::<usize>().ok())
    {
        if body.len() < len {
            return Err(bad());
        }
        body.truncate(len);
    }
    Ok(Resp { status, headers, body })
}

/// The fixture cases: (name, request body bytes).
pub fn cases() -> Vec<(String, Vec<u8>)> {
    std::fs::read_to_string(CASES)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let name = v["name"].as_str().unwrap().to_owned();
            let body = match v.get("submission") {
                Some(s) => serde_json::to_vec(s).unwrap(),
                None => v["input"].as_str().unwrap().as_bytes().to_vec(),
            };
            (name, body)
        })
        .collect()
}

/// A valid $amount card contribution to a candidate's primary from the given donor.
/// Each donor has its own email (a shared one makes donors near matches of each other).
pub fn contribution(id: &str, last_name: &str, amount: &str) -> serde_json::Value {
    let email = format!("m.{}@example.org", last_name.to_lowercase());
    // One passport per donor: the same passport under another name is a near match.
    let passport = format!(
        "A{:08}",
        last_name.bytes().fold(17u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))) % 100_000_000
    );
    serde_json::json!({
        "id": id,
        "recipient": {"type": "candidate", "election": "primary"},
        "donor": {
            "first_name": "Margaret", "last_name": last_name, "email": email,
            "address": {"line1": "418 Linden Avenue", "city": "Springfield", "country": "US", "state": "IL", "postal_code": "62704"},
            "citizenship": "us_citizen", "employer": "Sangamon Valley Hospital", "occupation": "Registered nurse",
            "passport": {"country": "US", "number": passport}
        },
        "contribution": {"amount": amount, "currency": "USD", "method": "card", "card": {"country": "US"}},
        "attestations": {"affirmed": ["us_citizen_or_lpr", "own_funds", "personal_card", "not_federal_contractor", "age_18_or_older"]}
    })
}

/// Reads the ledger: (count, total cents) of contributions whose id starts with `prefix`, and
/// the ids.
pub fn ledger(server_db: &Path, backend: &Backend, prefix: &str) -> (i64, i64, Vec<String>) {
    let like = format!("{prefix}%");
    match backend {
        Backend::Sqlite => {
            let conn = rusqlite::Connection::open(server_db).unwrap();
            let (n, total): (i64, i64) = conn
                .query_row(
                    "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM contributions WHERE id LIKE ?1",
                    [&like],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            let mut stmt = conn.prepare("SELECT id FROM contributions WHERE id LIKE ?1").unwrap();
            let ids = stmt.query_map([&like], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
            (n, total, ids)
        }
        Backend::Postgres(url) => {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
                tokio::spawn(conn);
                let row = client
                    .query_one(
                        "SELECT COUNT(*), CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM contributions WHERE id LIKE $1",
                        &[&like],
                    )
                    .await
                    .unwrap();
                let ids = client
                    .query("SELECT id FROM contributions WHERE id LIKE $1", &[&like])
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.get::<_, String>(0))
                    .collect();
                (row.get(0), row.get(1), ids)
            })
        }
    }
}

/// One column of one contribution row (SQLite only), for privacy checks.
pub fn row_text(db: &Path, id: &str, column: &str) -> Option<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(&format!("SELECT {column} FROM contributions WHERE id = ?1"), [id], |r| r.get(0)).unwrap()
}
