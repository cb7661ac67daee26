//! `kijun serve` under load: the real binary on a free loopback port gets 1,000 requests at once
//! (one client thread and one connection each, released together), a tenth of them traversal
//! attempts over raw TCP. Every request gets its answer within a bounded time: 200 with exactly
//! the bytes `kijun build` writes for the same sources (pages: the page's own title), or 400 for
//! a traversal, with nothing from outside the site in the body. Traffic stays on 127.0.0.1.

mod serve_support;

use serve_support::{Server, TempSite};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const REQUESTS: usize = 1_000;
/// Generous for a debug build on a busy 2-core machine; a release build answers in about a second.
const DEADLINE: Duration = Duration::from_secs(120);

/// What a request must get back.
#[derive(Clone)]
enum Expect {
    /// 200 and exactly these bytes.
    Bytes(Vec<u8>),
    /// 200 and an HTML page with this text (pages carry the live-reload client in serve).
    Page(String),
    /// 400: refused before any lookup.
    Refused,
}

struct Answer {
    status: u16,
    body: Vec<u8>,
    took: Duration,
}

/// One HTTP/1.1 request on its own connection, read to the end; the body as sent with
/// `Content-Length`, or decoded from chunks (should a server chunk it).
fn fetch(addr: SocketAddr, target: &str) -> Result<Answer, String> {
    let started = Instant::now();
    let mut stream = TcpStream::connect_timeout(&addr, DEADLINE).map_err(|e| format!("{e}"))?;
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    stream.set_write_timeout(Some(DEADLINE)).unwrap();
    let request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("{e}"))?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| format!("{e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no header end in {} bytes", raw.len()))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {head:?}"))?;
    let body = &raw[split + 4..];
    let chunked = head
        .lines()
        .any(|l| l.to_ascii_lowercase() == "transfer-encoding: chunked");
    Ok(Answer {
        status,
        body: if chunked {
            dechunk(body)?
        } else {
            body.to_vec()
        },
        took: started.elapsed(),
    })
}

/// The body of a `Transfer-Encoding: chunked` response.
fn dechunk(mut raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("chunk size line without end")?;
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|e| format!("bad chunk size {size_text:?}: {e}"))?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if raw.len() < size + 2 {
            return Err("chunk shorter than its size".into());
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

fn build_into(root: &Path, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(["build", "--drafts", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success(), "kijun build");
}

#[test]
fn a_thousand_concurrent_requests_get_the_right_answers_and_traversal_is_refused() {
    let site = TempSite::mini();
    std::fs::write(site.path("secret.txt"), "top secret").unwrap();
    // What the server must send: the bytes `kijun build` writes for the same sources.
    let built = tempfile::tempdir().unwrap();
    let out = built.path().join("site");
    build_into(site.root(), &out);
    let file = |rel: &str| Expect::Bytes(std::fs::read(out.join(rel)).unwrap());
    let targets: Vec<(&str, Expect)> = vec![
        ("/static/css/kijun.css", file("static/css/kijun.css")),
        ("/static/js/search.js", file("static/js/search.js")),
        (
            "/static/vendor/lunr/lunr.min.js",
            file("static/vendor/lunr/lunr.min.js"),
        ),
        (
            "/search/search-index.ja.js",
            file("search/search-index.ja.js"),
        ),
        ("/downloads/baseline.json", file("downloads/baseline.json")),
        (
            "/ja/measures/am-1/index.html",
            Expect::Page("<h1 id=\"measure-title\">資産台帳の整備</h1>".into()),
        ),
        (
            "/en/measures/ac-1/",
            Expect::Page("<h1 id=\"measure-title\">Multi-factor authentication</h1>".into()),
        ),
        ("/ja/", Expect::Page("ミニ基準".into())),
        (
            "/en/glossary/index.html",
            Expect::Page("Multi-factor authentication".into()),
        ),
        ("/../kijun.toml", Expect::Refused),
    ];
    let traversals = [
        "/../kijun.toml",
        "/ja/../../secret.txt",
        "/%2e%2e/kijun.toml",
        "/..%2fsecret.txt",
        "/%252e%252e/kijun.toml",
        "/static/..\\..\\secret.txt",
        "//etc/passwd",
        "/.git/config",
        "/C:/Windows/win.ini",
        "/ja/%00/index.html",
    ];

    let server = Server::start(site.root(), &[]);
    let addr = server.addr;
    // Every request in its own thread, all released at once.
    let barrier = Arc::new(Barrier::new(REQUESTS));
    let started = Instant::now();
    let handles: Vec<_> = (0..REQUESTS)
        .map(|i| {
            let (target, expect) = if i % 10 == 9 {
                (
                    traversals[(i / 10) % traversals.len()].to_string(),
                    Expect::Refused,
                )
            } else {
                let (t, e) = &targets[i % (targets.len() - 1)];
                (t.to_string(), e.clone())
            };
            let barrier = barrier.clone();
            std::thread::Builder::new()
                .stack_size(128 * 1024)
                .spawn(move || {
                    barrier.wait();
                    (target.clone(), expect, fetch(addr, &target))
                })
                .expect("client thread")
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let elapsed = started.elapsed();

    let mut failures = Vec::new();
    let mut times = Vec::new();
    let mut refused = 0;
    for (target, expect, result) in &results {
        let answer = match result {
            Ok(a) => a,
            Err(e) => {
                failures.push(format!("{target}: {e}"));
                continue;
            }
        };
        times.push(answer.took);
        let body = String::from_utf8_lossy(&answer.body);
        // secret.txt, kijun.toml and /etc/passwd, which sit outside the site.
        if body.contains("top secret") || body.contains("base_url =") || body.contains("root:x:0") {
            failures.push(format!("{target}: leaked a file from outside the site"));
        }
        let ok = match expect {
            Expect::Bytes(bytes) => answer.status == 200 && &answer.body == bytes,
            Expect::Page(text) => answer.status == 200 && body.contains(text.as_str()),
            Expect::Refused => {
                refused += 1;
                answer.status == 400
            }
        };
        if !ok {
            failures.push(format!(
                "{target}: status {} with {} bytes",
                answer.status,
                answer.body.len()
            ));
        }
    }
    times.sort();
    let pct = |p: usize| {
        times
            .get(times.len() * p / 100)
            .copied()
            .unwrap_or_default()
    };
    eprintln!(
        "{REQUESTS} concurrent requests in {elapsed:?}: median {:?}, p99 {:?}, max {:?}",
        pct(50),
        pct(99),
        times.last().copied().unwrap_or_default()
    );
    assert!(
        failures.is_empty(),
        "{} of {REQUESTS} failed:\n{}\nserver stderr:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n"),
        server.stderr()
    );
    assert_eq!(refused, REQUESTS / 10, "traversal attempts made");
    assert!(elapsed < DEADLINE, "took {elapsed:?}");
    // And it is still serving.
    assert_eq!(server.get("/ja/").status, 200);
}

// ---- Hostile clients (issue 20): slow and silent connections, descriptor exhaustion, huge
// heads, foreign Host headers. Loopback only; every wait is bounded.

/// Resident memory of a process, in KiB (Linux).
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Open descriptors of a process (Linux).
fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

/// Sends `raw` (ignoring a reset once the server has answered) and reads the status line.
fn status_of(addr: SocketAddr, raw: &[u8]) -> u16 {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let _ = stream.write_all(raw);
    let mut head = [0u8; 64];
    let mut got = 0;
    while got < 12 {
        match stream.read(&mut head[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    String::from_utf8_lossy(&head[..got])
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn two_thousand_slow_connections_and_exhausted_descriptors_do_not_stop_the_server() {
    // With 1,024 descriptors the connection cap (1,000) is met first; with 256, `accept`
    // itself fails (EMFILE) and the server backs off and keeps accepting.
    let (mut server, _site) = slow_attack(1024);
    assert!(server.is_running());
    let (server, _site) = slow_attack(256);
    assert!(
        server.stderr().contains("cannot accept a connection"),
        "descriptors ran out and the server said so:\n{}",
        server.stderr()
    );
}

/// Opens 2,000 slow connections to a server limited to `nofile` descriptors, closes them, and
/// checks that a normal request is then answered within a second and memory came back.
fn slow_attack(nofile: u32) -> (Server, TempSite) {
    const SLOW: usize = 2_000;
    let site = TempSite::mini();
    let mut server = Server::start_with_nofile(site.root(), nofile, &[]);
    let addr = server.addr;
    assert_eq!(server.get("/ja/").status, 200);
    let pid = server.pid();
    let rss_before = rss_kib(pid);
    // Each sends half a request head and then nothing (slowloris).
    let started = Instant::now();
    let mut slow = Vec::new();
    for _ in 0..SLOW {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(50)) {
            Ok(mut s) => {
                let _ = s.write_all(b"GET /ja/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
                slow.push(s);
            }
            Err(_) => {} // the backlog is full: the kernel holds the rest off
        }
        if started.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    std::thread::sleep(Duration::from_millis(500));
    let held = open_fds(pid);
    let rss_attacked = rss_kib(pid);
    assert!(
        server.is_running(),
        "the server survives:\n{}",
        server.stderr()
    );
    eprintln!(
        "{} slow connections opened in {:?}; the server holds {held} descriptors, RSS {rss_before} KiB before, {rss_attacked} KiB under attack",
        slow.len(),
        started.elapsed()
    );
    assert!(held <= nofile as usize, "{held} descriptors");
    drop(slow);
    let closed = Instant::now();
    let answer = server.get("/ja/");
    let took = closed.elapsed();
    assert_eq!(answer.status, 200, "{}", server.stderr());
    assert!(
        took < Duration::from_secs(1),
        "answered {took:?} after they closed"
    );
    std::thread::sleep(Duration::from_millis(500));
    let rss_after = rss_kib(pid);
    eprintln!(
        "nofile {nofile}: a normal request answered {took:?} after they closed; RSS then {rss_after} KiB"
    );
    assert!(
        rss_after < rss_before + 64 * 1024,
        "memory back near {rss_before} KiB: {rss_after} KiB"
    );
    (server, site)
}

#[test]
fn heads_and_targets_over_the_limits_are_refused_without_growing_memory() {
    let site = TempSite::mini();
    let server = Server::start(site.root(), &[]);
    let addr = server.addr;
    assert_eq!(server.get("/ja/").status, 200);
    let rss_before = rss_kib(server.pid());
    let long_target = format!(
        "GET /{} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "a".repeat(9_000)
    );
    assert_eq!(status_of(addr, long_target.as_bytes()), 414);
    let big_head = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\n\r\n",
        "b".repeat(20_000)
    );
    assert_eq!(status_of(addr, big_head.as_bytes()), 431);
    // An unterminated header of 64 MiB: refused once 16 KiB are in, never buffered whole.
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ");
    let chunk = vec![b'x'; 1 << 20];
    let mut sent = 0;
    for _ in 0..64 {
        match stream.write_all(&chunk) {
            Ok(()) => sent += 1,
            Err(_) => break, // closed by the server
        }
    }
    assert!(
        sent < 64,
        "the server stopped reading a 64 MiB head ({sent} MiB sent)"
    );
    let rss_after = rss_kib(server.pid());
    assert!(
        rss_after < rss_before + 16 * 1024,
        "{rss_before} → {rss_after} KiB"
    );
    assert_eq!(server.get("/ja/").status, 200);
}

#[test]
fn a_silent_connection_is_closed_after_the_head_timeout() {
    let site = TempSite::mini();
    let server = Server::start(site.root(), &[]);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 16];
    let n = stream.read(&mut buf).unwrap_or(0);
    let took = started.elapsed();
    assert_eq!(n, 0, "closed without an answer");
    assert!(
        (Duration::from_secs(9)..Duration::from_secs(15)).contains(&took),
        "closed after {took:?}"
    );
}

#[test]
fn only_the_hosts_the_server_listens_on_are_answered() {
    let site = TempSite::mini();
    let server = Server::start(site.root(), &["--allow-host", "preview.example.jp"]);
    let addr = server.addr;
    let port = addr.port();
    let with_host = |host: &str| {
        status_of(
            addr,
            format!("GET /ja/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
    };
    for ok in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("preview.example.jp:{port}"),
    ] {
        assert_eq!(with_host(&ok), 200, "{ok}");
    }
    for bad in [
        format!("[::1]evil.com:{port}"),
        format!("evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "127.0.0.1.nip.io".to_string(),
        "preview.example.jp.evil".to_string(),
    ] {
        assert_eq!(with_host(&bad), 403, "{bad}");
    }
    let bad_flag = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(["serve", "--root"])
        .arg(site.root())
        .args(["--port", "0", "--allow-host", "http://x/"])
        .output()
        .unwrap();
    assert_eq!(bad_flag.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad_flag.stderr)
            .contains("--allow-host http://x/: not a host name")
    );
}

#[test]
fn connections_over_the_cap_are_told_to_come_back() {
    // The cap is 1,000; the 1,001st open connection gets 503 with Retry-After.
    let site = TempSite::mini();
    let server = Server::start(site.root(), &[]);
    let addr = server.addr;
    let mut held = Vec::new();
    for _ in 0..1_000 {
        held.push(TcpStream::connect(addr).unwrap());
    }
    // Let the server accept them all.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut status = 0;
    while Instant::now() < deadline {
        status = status_of(
            addr,
            b"GET /ja/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        );
        if status == 503 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(status, 503);
    drop(held);
    let started = Instant::now();
    loop {
        let answer = server.get("/ja/");
        if answer.status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{}",
            answer.status
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
