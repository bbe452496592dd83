//! Deployment (issue 11 §4, §5, §7): behind a reverse proxy (`--trusted-proxy`), Host names
//! (`--allowed-host`), the header-read timeout and the connection cap, every flag from DG_*,
//! the start-up refusals (ledger in --www, a symlink out of it, weak keys), /healthz write
//! health, and the shipped systemd unit and Dockerfile.

use crate::support::*;
use std::io::{Read as _, Write as _};
use std::time::{Duration, Instant};

fn body() -> Vec<u8> {
    serde_json::to_vec(&contribution("d-1", "Okafor", "25.00")).unwrap()
}

/// `serve` with these args and env, expected to refuse to start: its standard error.
fn refused(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = std::process::Command::new(BIN);
    cmd.args(["serve", "--listen", "127.0.0.1:0"]).args(args);
    cmd.env_remove("DG_API_KEYS").env_remove("DATABASE_URL").env("DG_SECRET", SECRET);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(std::process::Stdio::null());
    let out = cmd.output().unwrap();
    assert!(!out.status.success(), "{args:?} {env:?} started");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn forwarding_headers_count_only_from_a_trusted_proxy() {
    let json = [("content-type", "application/json")];
    // No trusted proxy: a forwarding header means a proxy stands between, so the keyless
    // server refuses, whatever the header says.
    let plain = Server::start(Opts::default());
    for h in [("x-forwarded-for", "127.0.0.1"), ("forwarded", "for=127.0.0.1"), ("x-forwarded-proto", "https")] {
        let r = plain.post("/v1/check", &[h], &body());
        assert_eq!((r.status, r.error_code()), (403, "forbidden".into()), "{h:?}");
    }
    // Loopback is the trusted proxy: the client is the right-most untrusted hop.
    let proxied = Server::start(Opts { args: vec!["--trusted-proxy".into(), "127.0.0.0/8".into()], ..Opts::default() });
    let r = proxied.post("/v1/check", &[("x-forwarded-for", "8.8.8.8")], &body());
    assert_eq!((r.status, r.error_code()), (403, "forbidden".into()));
    // A spoofed loopback entry on the left does not help.
    let r = proxied.post("/v1/check", &[("x-forwarded-for", "127.0.0.1, 8.8.8.8")], &body());
    assert_eq!(r.status, 403);
    let r = proxied.post("/v1/check", &[("forwarded", "for=unknown")], &body());
    assert_eq!(r.status, 403);
    // A local client through the local proxy is still local.
    let r = proxied.post("/v1/check", &[("x-forwarded-for", "127.0.0.1"), ("x-forwarded-proto", "http")], &body());
    assert_eq!(r.status, 200, "{}", r.text());
    // With keys, a key is what counts, proxy or not.
    let keyed = Server::start(Opts {
        keys: vec![KEY.into()],
        args: vec!["--trusted-proxy".into(), "127.0.0.1".into()],
        ..Opts::default()
    });
    let auth = format!("Bearer {KEY}");
    let r = request(
        &keyed.addr,
        "POST",
        "/v1/check",
        &[json[0], ("x-forwarded-for", "8.8.8.8"), ("authorization", &auth)],
        Some(&body()),
    )
    .unwrap();
    assert_eq!(r.status, 200);
    let r =
        request(&keyed.addr, "POST", "/v1/check", &[json[0], ("x-forwarded-for", "8.8.8.8")], Some(&body())).unwrap();
    assert_eq!((r.status, r.error_code()), (401, "unauthorized".into()));
    assert!(refused(&["--trusted-proxy", "10.0.0.0/40"], &[]).contains("not an address or CIDR"));
}

#[test]
fn only_allowed_hosts_are_answered() {
    let server = Server::start(Opts {
        keys: vec![KEY.into()],
        args: vec!["--allowed-host".into(), "donations.example.org".into()],
        ..Opts::default()
    });
    let auth = format!("Bearer {KEY}");
    let ok = server.post("/v1/check", &[("host", "donations.example.org"), ("authorization", &auth)], &body());
    assert_eq!(ok.status, 200, "{}", ok.text());
    let ok = server.get("/healthz", &[("host", "DONATIONS.example.org:443")]);
    assert_eq!(ok.status, 200);
    for host in ["evil.example", "127.0.0.1", "donations.example.org.evil.example"] {
        let r = server.post("/v1/check", &[("host", host), ("authorization", &auth)], &body());
        assert_eq!((r.status, r.error_code()), (421, "misdirected_request".into()), "{host}");
        let r = server.get("/healthz", &[("host", host)]);
        assert_eq!(r.status, 421, "{host}");
    }
}

#[test]
fn slow_headers_are_cut_off_and_connections_are_capped() {
    let server = Server::start(Opts {
        args: ["--header-timeout", "2", "--timeout", "30", "--max-connections", "4"].map(String::from).to_vec(),
        ..Opts::default()
    });
    // A trickle, one byte every 300 ms, never finishes its headers: cut at about 2 s although
    // no gap is long (the idle timeout, 90 s here, never fires).
    let mut s = std::net::TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
    let start = Instant::now();
    let head =
        b"GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nx-pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let mut closed = None;
    for b in head.iter().cycle().take(200) {
        if s.write_all(&[*b]).is_err() {
            closed = Some(start.elapsed());
            break;
        }
        let mut buf = [0u8; 64];
        match s.read(&mut buf) {
            Ok(0) => {
                closed = Some(start.elapsed());
                break;
            }
            Ok(_) => {}
            Err(_) => {}
        }
    }
    let closed = closed.expect("the trickling connection was never closed");
    assert!(closed >= Duration::from_millis(1500) && closed < Duration::from_secs(8), "{closed:?}");

    // Kept-alive connections: the cap (4) holds a fifth in the backlog until one closes.
    let mut open: Vec<std::net::TcpStream> = (0..4)
        .map(|_| {
            let mut c = std::net::TcpStream::connect(&server.addr).unwrap();
            c.write_all(b"GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n").unwrap();
            c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut buf = [0u8; 1024];
            assert!(c.read(&mut buf).unwrap() > 0);
            c
        })
        .collect();
    let mut fifth = std::net::TcpStream::connect(&server.addr).unwrap();
    fifth.write_all(b"GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n").unwrap();
    fifth.set_read_timeout(Some(Duration::from_millis(700))).unwrap();
    let mut buf = [0u8; 1024];
    assert!(fifth.read(&mut buf).is_err(), "a fifth connection was served over the cap");
    open.pop();
    fifth.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let n = fifth.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
}

#[test]
fn every_flag_has_an_environment_variable() {
    let help = std::process::Command::new(BIN).args(["serve", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    for var in [
        "DG_LISTEN",
        "DG_DB",
        "DG_WWW",
        "DG_ALLOW_ORIGINS",
        "DG_TRUSTED_PROXIES",
        "DG_ALLOWED_HOSTS",
        "DG_REQUIRE_WIDGET",
        "DG_HEADER_TIMEOUT",
        "DG_MAX_CONNECTIONS",
        "DG_TIMEOUT",
        "DG_THREADS",
        "DG_LOG_FORMAT",
        "DG_SECRET_FILE",
        "DG_COMMITTEE_TYPE",
        "DG_ELECTIONS",
        "DG_TRUSTED_IP_HEADER",
        "DG_TRUST_BODY_SIGNALS",
        "DG_SANCTIONS_LIST",
    ] {
        assert!(help.contains(&format!("env: {var}")), "{var} is not in serve --help");
    }
    // And they work: the env's origin list and host list apply.
    let dir = TempDir::new("env");
    let out = std::process::Command::new(BIN)
        .args(["serve", "--check-config"])
        .env("DG_LISTEN", "127.0.0.1:0")
        .env("DG_DB", dir.path().join("l.sqlite"))
        .env("DG_WWW", concat!(env!("CARGO_MANIFEST_DIR"), "/www"))
        .env("DG_ALLOW_ORIGINS", "https://a.example,https://b.example,*")
        .env("DG_ALLOWED_HOSTS", "donations.example.org")
        .env("DG_REQUIRE_WIDGET", "true")
        .env("DG_SECRET", SECRET)
        .env_remove("DG_API_KEYS")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    for needle in ["allowed origins 2 and * for /widget/", "allowed hosts donations.example.org", "require widget true"]
    {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    assert!(!dir.path().join("l.sqlite").exists(), "--check-config created the ledger");
}

#[test]
fn the_ledger_and_symlinks_out_of_www_are_refused() {
    let www = TempDir::new("www-refuse");
    std::fs::create_dir_all(www.path().join("widget")).unwrap();
    let db = www.path().join("ledger.sqlite");
    let e = refused(&["--www", www.path().to_str().unwrap(), "--db", db.to_str().unwrap()], &[]);
    assert!(e.contains("inside --www"), "{e}");
    let e = refused(
        &["--www", www.path().to_str().unwrap(), "--secret-file", www.path().join("widget/s").to_str().unwrap()],
        &[],
    );
    assert!(e.contains("inside --www"), "{e}");
    let e = refused(&["--www", "/no/such/www"], &[]);
    assert!(e.contains("cannot be served"), "{e}");
    #[cfg(unix)]
    {
        let other = TempDir::new("outside");
        std::fs::write(other.path().join("secret.txt"), "private").unwrap();
        std::os::unix::fs::symlink(other.path().join("secret.txt"), www.path().join("widget/leak.txt")).unwrap();
        let elsewhere = TempDir::new("db");
        let db = elsewhere.path().join("l.sqlite");
        let e = refused(&["--www", www.path().to_str().unwrap(), "--db", db.to_str().unwrap()], &[]);
        assert!(e.contains("symlink"), "{e}");
        // One made after start is not served either.
        std::fs::remove_file(www.path().join("widget/leak.txt")).unwrap();
        std::fs::write(www.path().join("widget/ok.txt"), "fine").unwrap();
        let server = Server::start(Opts { www: Some(www.path().to_owned()), ..Opts::default() });
        assert_eq!(server.get("/widget/ok.txt", &[]).status, 200);
        std::os::unix::fs::symlink(other.path().join("secret.txt"), www.path().join("widget/late.txt")).unwrap();
        let r = server.get("/widget/late.txt", &[]);
        assert_eq!((r.status, r.error_code()), (404, "not_found".into()));
        assert!(!r.text().contains("private"));
        let r = server.get("/widget/%6cate.txt", &[]);
        assert_eq!(r.status, 404);
    }
}

#[test]
fn weak_keys_and_secrets_are_refused() {
    let e = refused(&["--api-key", "aaaaaaaaaaaaaaaaaaaaaaaa"], &[]);
    assert!(e.contains("too predictable"), "{e}");
    // Characters, not bytes: eight two-byte letters are 8 characters.
    let e = refused(&["--api-key", "éééééééé"], &[]);
    assert!(e.contains("8 characters"), "{e}");
    let e = refused(&[], &[("DG_API_KEYS", " , ,")]);
    assert!(e.contains("holds no key"), "{e}");
    let e = refused(&[], &[("DG_SECRET", &"ab".repeat(20))]);
    assert!(e.contains("too predictable"), "{e}");
    let e = refused(&[], &[("DG_SECRET", "short-secret")]);
    assert!(e.contains("characters"), "{e}");
}

#[test]
fn healthz_reports_ledger_write_health() {
    let server = Server::start(Opts::default());
    let r = server.get("/healthz", &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["ledger_write"], "ok");
    // The ledger file goes away under the running server: it can no longer be written.
    std::fs::remove_file(&server.db).unwrap();
    let r = server.get("/healthz", &[]);
    assert_eq!((r.status, r.error_code()), (503, "unavailable".into()), "{}", r.text());
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("not writable"));
}

/// The ExecStart of deploy/donation-guard.service and the Dockerfile's command parse and pass
/// `--check-config` (paths from the environment, as the unit sets them).
#[test]
fn the_shipped_unit_and_dockerfile_parse() {
    let root = env!("CARGO_MANIFEST_DIR");
    let unit = std::fs::read_to_string(format!("{root}/deploy/donation-guard.service")).unwrap();
    let exec = unit.lines().find_map(|l| l.strip_prefix("ExecStart=")).expect("ExecStart");
    let docker = std::fs::read_to_string(format!("{root}/deploy/Dockerfile")).unwrap();
    let cmd = docker.lines().find_map(|l| l.strip_prefix("CMD ")).expect("CMD");
    let cmd: Vec<String> = serde_json::from_str(cmd).unwrap();
    for argv in [exec.split_whitespace().skip(1).map(String::from).collect::<Vec<_>>(), cmd] {
        assert_eq!(argv.first().map(String::as_str), Some("serve"), "{argv:?}");
        let dir = TempDir::new("unit");
        let out = std::process::Command::new(BIN)
            .args(&argv)
            .arg("--check-config")
            .env("DG_DB", dir.path().join("l.sqlite"))
            .env("DG_WWW", format!("{root}/www"))
            .env("DG_SECRET", SECRET)
            .env("DG_API_KEYS", KEY)
            .output()
            .unwrap();
        assert!(out.status.success(), "{argv:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    for hardening in ["NoNewPrivileges=yes", "ProtectSystem=strict", "DynamicUser=yes", "LimitNOFILE="] {
        assert!(unit.contains(hardening), "{hardening}");
    }
    assert!(docker.contains("USER "), "the image runs as root");
}
